"""The person behind platform identities, and what the person controls: links, shares, the record-read log.

An ``LtiUser`` is one identity on one platform. A ``LearnerProfile`` groups the identities one person linked
(each link made by the person in both launches); an identity with no profile is a person of one identity.
Career records keep the identity (``user_id``) and course (``context_pk``) that made them: their origin.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lti_app.extensions import db
from lti_app.models.base import utcnow

#: The kinds of career record a learner can share with a course (each kind as a whole).
SHARE_KINDS = ("assessments", "evidence", "plans", "reflections", "targets")


class LearnerProfile(db.Model):  # type: ignore[name-defined]
    """One person: the identities pointing here (``lti_user.profile_id``) are theirs."""

    __tablename__ = "learner_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProfileLinkCode(db.Model):  # type: ignore[name-defined]
    """A one-time code one identity showed, to be entered in another identity's launch; only its hash is kept."""

    __tablename__ = "profile_link_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()


class RecordShare(db.Model):  # type: ignore[name-defined]
    """The learner shares one kind of their records (from every course) with the staff of one course."""

    __tablename__ = "record_share"
    __table_args__ = (UniqueConstraint("user_id", "context_pk", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"), index=True)
    context_pk: Mapped[int] = mapped_column(ForeignKey("context.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecordAccess(db.Model):  # type: ignore[name-defined]
    """A staff member read a learner's private records: who, what, when, from which course."""

    __tablename__ = "record_access"
    __table_args__ = (Index("ix_record_access_subject_read_at", "subject_user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"))
    # The reader; SET NULL when the reader's own identity is erased (the learner still sees that a read happened).
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("lti_user.id", ondelete="SET NULL"))
    actor_role: Mapped[str] = mapped_column(String(20))
    context_pk: Mapped[int | None] = mapped_column(ForeignKey("context.id", ondelete="SET NULL"))
    what: Mapped[str] = mapped_column(String(100))
    via: Mapped[str] = mapped_column(String(10))
    read_at: Mapped[datetime] = mapped_column(default=utcnow)


class ErasureLog(db.Model):  # type: ignore[name-defined]
    """That an erasure happened, and how much it removed; nothing that identifies the person erased.

    ``receipt`` is random: the administrator can hand it to the person as proof, and nothing links it
    back to them once they are gone.
    """

    __tablename__ = "erasure_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt: Mapped[str] = mapped_column(String(36), unique=True)
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platform.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(20))
    requested_by: Mapped[str] = mapped_column(String(20))
    # {"table name": rows removed}
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)
    erased_at: Mapped[datetime] = mapped_column(default=utcnow)
    retention_days: Mapped[int | None] = mapped_column(Integer)
