"""The people around a learner: managers and mentors the learner granted, what each may see, recognition.

A ``PartnerLink`` says "``partner_user_id`` is the manager (or mentor) of ``learner_user_id``", both identities
on the same platform. It never follows from being staff of a course: the learner invites (from the course roster
or with a one-time link the partner opens from their own launch), or the platform says so with the LTI
``role_scope_mentor`` claim. State runs invited -> active -> ended; only an active link grants anything, and
only the items in ``PartnerShare`` (each revocable on its own). See docs/decisions/0019-partner-people.md.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.people import LtiUser

MANAGER = "manager"
MENTOR = "mentor"
PARTNER_KINDS = (MANAGER, MENTOR)

INVITED = "invited"
ACTIVE = "active"
ENDED = "ended"
PARTNER_STATES = (INVITED, ACTIVE, ENDED)

#: How a link came about: picked from the NRPS roster, a one-time invitation link, or the platform's
#: ``role_scope_mentor`` claim (kept in step with the claim at each of the mentor's launches).
FROM_ROSTER = "roster"
FROM_LINK = "link"
FROM_LTI_SCOPE = "lti_scope"

#: What a learner can share with one partner, each item on its own.
SHARE_ITEMS = ("plan", "checkins", "assessment", "reflections")


class PartnerLink(db.Model):  # type: ignore[name-defined]
    """One manager or mentor relationship of one learner, on one platform."""

    __tablename__ = "partner_link"
    __table_args__ = (
        Index("ix_partner_link_partner_state", "partner_user_id", "state"),
        Index("ix_partner_link_learner_state", "learner_user_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platform.id", ondelete="CASCADE"), index=True)
    learner_user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"))
    # None while a link invitation waits to be opened; set once, from the partner's own launch.
    partner_user_id: Mapped[int | None] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(10), default=INVITED)
    source: Mapped[str] = mapped_column(String(10))
    # The course the invitation was made from (the roster it came from); None for role_scope_mentor links.
    context_pk: Mapped[int | None] = mapped_column(ForeignKey("context.id", ondelete="SET NULL"))
    # A one-time invitation link: only the SHA-256 of its code is kept, cleared when used.
    invite_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invite_expires_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column()

    learner: Mapped[LtiUser] = relationship(foreign_keys=[learner_user_id])
    partner: Mapped[LtiUser | None] = relationship(foreign_keys=[partner_user_id])


class PartnerShare(db.Model):  # type: ignore[name-defined]
    """The learner shares one item (of :data:`SHARE_ITEMS`) with the partner of one link; deleting revokes."""

    __tablename__ = "partner_share"
    __table_args__ = (UniqueConstraint("link_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("partner_link.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecognitionRecord(db.Model):  # type: ignore[name-defined]
    """A manager or mentor recognised a goal the learner achieved, in their own words; optionally a credential.

    ``user_id``/``context_pk`` are the learner and the plan's course, like every career record.
    """

    __tablename__ = "recognition"
    __table_args__ = (Index("ix_recognition_user_context", "user_id", "context_pk"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"))
    context_pk: Mapped[int] = mapped_column(ForeignKey("context.id", ondelete="CASCADE"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("development_plan.id", ondelete="CASCADE"), index=True)
    goal_id: Mapped[str] = mapped_column(String(100))
    goal_title: Mapped[str] = mapped_column(String(500))
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("lti_user.id", ondelete="SET NULL"))
    author_role: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The OB 3.0 credential (VC-JWT compact form) once issued for this achievement.
    credential: Mapped[str | None] = mapped_column(Text)
