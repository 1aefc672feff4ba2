"""Pages of a list: which slice a caller asked for, and the envelope every paged answer carries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 500


@dataclass(frozen=True)
class Paging:
    """Page ``page`` (1-based) of ``per_page`` items; the API validates both, so a bad value never gets here."""

    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    def __post_init__(self) -> None:
        if self.page < 1 or not 1 <= self.per_page <= MAX_PER_PAGE:
            raise ValueError(f"no page {self.page} of {self.per_page} items")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def envelope(self, total: int) -> dict[str, Any]:
        """Where this page sits among ``total`` items; a page past the last is empty and says so."""
        pages = max(1, -(-total // self.per_page))
        return {
            "total": total,
            "page": self.page,
            "per_page": self.per_page,
            "pages": pages,
            "next_page": self.page + 1 if self.page < pages else None,
            "previous_page": min(self.page - 1, pages) if self.page > 1 else None,
        }


#: The default: the first page at the default size.
FIRST_PAGE = Paging()
