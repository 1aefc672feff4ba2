"""What a career service refuses, with the HTTP status the API answers it with."""

from __future__ import annotations

from career_core.errors import ValidationError


class CareerServiceError(Exception):
    """Base class; ``status`` is the HTTP status the API maps the error to."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(CareerServiceError):
    """No such record among those the caller may see. Records of other learners, courses, deployments or
    platforms are reported exactly like records that do not exist, so a 404 reveals nothing."""

    status = 404


class Forbidden(CareerServiceError):
    """The caller's role may not do this (a learner importing a framework, reading the course roster)."""

    status = 403


class Conflict(CareerServiceError):
    """The request is well formed but clashes with the record's state (a workflow step not open now)."""

    status = 409


class InvalidInput(CareerServiceError):
    """Input broke a rule; ``errors`` maps each field path to its messages."""

    status = 400

    def __init__(self, errors: dict[str, list[str]], message: str = "The input is not valid.") -> None:
        super().__init__(message)
        self.errors = errors

    @classmethod
    def from_domain(cls, error: ValidationError, *, prefix: str = "") -> InvalidInput:
        """Group career_core's located messages (``goals[1].title: must not be empty``) by their location."""
        return cls(messages_by_field(error.errors, prefix=prefix))

    @classmethod
    def field(cls, name: str, message: str) -> InvalidInput:
        return cls({name: [message]})


def messages_by_field(messages: list[str], *, prefix: str = "") -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for message in messages:
        location, separator, text = message.partition(": ")
        if not separator or " " in location:
            location, text = "_schema", message
        grouped.setdefault(prefix + location, []).append(text)
    return grouped
