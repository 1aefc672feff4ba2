"""Column helpers shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Aware UTC now; stored naive-free so SQLite and PostgreSQL compare the same way."""
    return datetime.now(UTC).replace(tzinfo=None)
