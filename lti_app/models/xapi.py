"""xAPI sources (systems allowed to send statements, each bound to one platform) and the statements they sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.platform import Platform


class XapiSource(db.Model):  # type: ignore[name-defined]
    """A sender of xAPI statements (the Open edX XBlocks, an LRS forwarder) with its HTTP Basic credentials.

    Its statements name learners of ``platform`` only. The secret is kept as a SHA-256 digest: it is 256 random
    bits, so a slow password hash adds nothing but latency to every request.
    """

    __tablename__ = "xapi_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platform.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column()

    platform: Mapped[Platform] = relationship()


class XapiStatementRow(db.Model):  # type: ignore[name-defined]
    """A statement as accepted (kept whole, so GET returns it and a replay can be compared), and its outcome.

    ``outcome`` is ``evidence`` (``evidence_ids`` were added or already in the ledger) or ``ignored`` with the
    reason in ``note`` (a verb or shape the toolkit does not turn into evidence). Rows are never updated.
    """

    __tablename__ = "xapi_statement"
    __table_args__ = (Index("ix_xapi_statement_platform_user", "platform_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[str] = mapped_column(String(36), unique=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platform.id", ondelete="CASCADE"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("xapi_source.id", ondelete="SET NULL"))
    user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"))
    verb_id: Mapped[str] = mapped_column(String(1000))
    digest: Mapped[str] = mapped_column(String(64))
    statement: Mapped[dict[str, Any]] = mapped_column(JSON)
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(500), default="")
    evidence_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
