"""The mentoring programme: volunteer offers, mentees' asks, requests between them, sessions and feedback.

A programme is a course (``context_pk``) or, with ``context_pk`` None, the whole platform; every row keeps its
``platform_id`` so nothing crosses platforms. A request's ``state`` follows ``career_core.mentoring_programme``.
See docs/decisions/0022-mentoring-programme.md.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.people import LtiUser


class MentorOfferRecord(db.Model):  # type: ignore[name-defined]
    """A person volunteers as a mentor in one programme: the skills they help with and their capacity."""

    __tablename__ = "mentor_offer"
    __table_args__ = (Index("ix_mentor_offer_programme", "platform_id", "context_pk"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platform.id", ondelete="CASCADE"))
    # None: the platform-wide programme.
    context_pk: Mapped[int | None] = mapped_column(ForeignKey("context.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"), index=True)
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    # [skill_code, ...] the mentor offers help with
    skills: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[LtiUser] = relationship()


class MentoringAskRecord(db.Model):  # type: ignore[name-defined]
    """A mentee asks for help in one programme: the skills and the level they aim for on each."""

    __tablename__ = "mentoring_ask"
    __table_args__ = (Index("ix_mentoring_ask_programme", "platform_id", "context_pk"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platform.id", ondelete="CASCADE"))
    context_pk: Mapped[int | None] = mapped_column(ForeignKey("context.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"), index=True)
    # {skill_code: target level}
    targets: Mapped[dict[str, int]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[LtiUser] = relationship()


class MentoringRequestRecord(db.Model):  # type: ignore[name-defined]
    """A mentee asked a mentor; the mentor accepts or declines; either ends an accepted pair.

    ``explanation`` is what the mentee sent with the request (the proposal's per-skill coverage): the only
    part of the mentee's levels the mentor sees. ``message`` is private to the pair.
    """

    __tablename__ = "mentoring_request"
    __table_args__ = (
        Index("ix_mentoring_request_programme", "platform_id", "context_pk", "state"),
        Index("ix_mentoring_request_mentee", "mentee_user_id", "state"),
        Index("ix_mentoring_request_mentor", "mentor_user_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platform.id", ondelete="CASCADE"))
    context_pk: Mapped[int | None] = mapped_column(ForeignKey("context.id", ondelete="CASCADE"))
    mentee_user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"))
    mentor_user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(12))
    fit: Mapped[float] = mapped_column(Float, default=0.0)
    explanation: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column()

    mentee: Mapped[LtiUser] = relationship(foreign_keys=[mentee_user_id])
    mentor: Mapped[LtiUser] = relationship(foreign_keys=[mentor_user_id])


class MentoringFeedbackRecord(db.Model):  # type: ignore[name-defined]
    """One party's feedback on a pair that ended: a rating 1-5 and a short text (the text stays with the pair)."""

    __tablename__ = "mentoring_feedback"
    __table_args__ = (UniqueConstraint("request_id", "author_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("mentoring_request.id", ondelete="CASCADE"), index=True)
    author_user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"))
    author_party: Mapped[str] = mapped_column(String(10))
    rating: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MentoringSessionRecord(db.Model):  # type: ignore[name-defined]
    """A session a mentor held, with one mentee or a small group (the pairs in ``MentoringSessionPair``)."""

    __tablename__ = "mentoring_session"
    __table_args__ = (Index("ix_mentoring_session_programme", "platform_id", "context_pk", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platform.id", ondelete="CASCADE"))
    context_pk: Mapped[int | None] = mapped_column(ForeignKey("context.id", ondelete="CASCADE"))
    mentor_user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column()
    agenda_template: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str] = mapped_column(Text, default="")
    pair_count: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MentoringSessionPair(db.Model):  # type: ignore[name-defined]
    """A pair (request) that attended a session."""

    __tablename__ = "mentoring_session_pair"
    __table_args__ = (UniqueConstraint("session_id", "request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("mentoring_session.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("mentoring_request.id", ondelete="CASCADE"), index=True)
