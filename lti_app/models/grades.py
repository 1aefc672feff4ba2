"""The grade outbox: scores owed to an LMS, every attempt to deliver them, and the shared AGS access tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lti_app.extensions import db
from lti_app.models.base import UtcDateTime, utcnow
from lti_app.models.platform import Platform

# A delivery's life: pending -> delivering -> delivered | deferred (retry later) | failed (permanent).
# A pending or deferred score replaced by a newer change for the same line item and user is superseded.
PENDING = "pending"
DELIVERING = "delivering"
DELIVERED = "delivered"
DEFERRED = "deferred"
FAILED = "failed"
SUPERSEDED = "superseded"
STATUSES = (PENDING, DELIVERING, DELIVERED, DEFERRED, FAILED, SUPERSEDED)
WAITING = (PENDING, DEFERRED)
# The same test as SQL text: a partial index is used only when the query repeats its predicate literally.
WAITING_SQL = "status IN ('pending', 'deferred')"


class ScoreDelivery(db.Model):  # type: ignore[name-defined]
    """One score change owed to one line item for one user, written in the transaction that caused it."""

    __tablename__ = "score_delivery"
    __table_args__ = (
        Index("ix_score_delivery_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_score_delivery_score_key_status", "score_key", "status"),
        # The claim's queue: waiting scores by due time. Partial, so delivered history never costs a claim.
        Index(
            "ix_score_delivery_due",
            "next_attempt_at",
            "id",
            postgresql_where=text(WAITING_SQL),
            sqlite_where=text(WAITING_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platform.id", ondelete="CASCADE"), index=True)
    line_item_url: Mapped[str] = mapped_column(String(1000))
    user_sub: Mapped[str] = mapped_column(String(255))
    # sha256 of (platform, line item, user): one indexed column to find the other changes of the same grade.
    score_key: Mapped[str] = mapped_column(String(64))
    # The AGS score body (userId, scoreGiven, ..., timestamp) exactly as it is sent.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The timestamp first given to this change; `payload["timestamp"]` differs only after a 1-second bump.
    original_timestamp: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # While delivering: who holds it and until when; past the lease another worker may reclaim it.
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    launch_session_id: Mapped[str | None] = mapped_column(String(64))
    # The request that caused this score (its X-Request-ID), so a delivery can be traced back to it.
    request_id: Mapped[str | None] = mapped_column(String(64))
    # Why a waiting score is not being sent at all (e.g. "signing_key"); cleared by the next real attempt.
    blocked_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    superseded_by_id: Mapped[int | None] = mapped_column(Integer)

    platform: Mapped[Platform] = relationship()
    attempt_log: Mapped[list[DeliveryAttempt]] = relationship(
        back_populates="delivery", cascade="all, delete-orphan", order_by="DeliveryAttempt.id"
    )


class DeliveryAttempt(db.Model):  # type: ignore[name-defined]
    """One HTTP attempt to deliver a score: when, the answer (or the error) and how long it took."""

    __tablename__ = "delivery_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("score_delivery.id", ondelete="CASCADE"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    outcome: Mapped[str] = mapped_column(String(16))
    http_status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[float] = mapped_column(Float, default=0.0)
    score_timestamp: Mapped[str | None] = mapped_column(String(40))
    worker: Mapped[str | None] = mapped_column(String(100))

    delivery: Mapped[ScoreDelivery] = relationship(back_populates="attempt_log")


class PlatformAccessToken(db.Model):  # type: ignore[name-defined]
    """An OAuth 2 access token for one platform and scope set, shared by the server, sync runs and workers."""

    __tablename__ = "platform_access_token"
    __table_args__ = (UniqueConstraint("platform_id", "scope_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platform.id", ondelete="CASCADE"))
    # The scopes, sorted and space separated.
    scope_key: Mapped[str] = mapped_column(String(1000))
    access_token: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
