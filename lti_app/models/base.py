"""Column helpers shared by the models."""

from __future__ import annotations

from lti_app.db_types import UtcDateTime, utcnow

__all__ = ["UtcDateTime", "utcnow"]
