"""Exceptions raised by the career domain, so front ends can catch one family of errors."""

from __future__ import annotations


class CareerDomainError(Exception):
    """Base class for every error the career domain raises on purpose."""


class ValidationError(CareerDomainError):
    """Input broke one or more domain rules.

    Every problem is gathered before raising, so a caller can show all of them at once.
    Each message starts with the location of the problem (a field path such as
    ``skills[3].parent_code`` or ``line 7``) so it can be tied back to the input.
    """

    def __init__(self, errors: list[str] | str) -> None:
        self.errors: list[str] = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("; ".join(self.errors) if self.errors else "invalid input")

    def __reduce__(self) -> tuple[type[ValidationError], tuple[list[str]]]:
        # Keeps the error picklable (background jobs re-raise it in another process).
        return (type(self), (self.errors,))
