"""Who launched, from where: users, course contexts, resource links, memberships and launch sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.platform import Deployment, Platform


class LtiUser(db.Model):  # type: ignore[name-defined]
    """A person as a platform knows them: ``sub`` is unique within an issuer, so (issuer, sub) is the key."""

    __tablename__ = "lti_user"
    __table_args__ = (UniqueConstraint("issuer", "sub"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(500))
    sub: Mapped[str] = mapped_column(String(255))
    # Open edX shares neither name nor email by default: both are optional.
    name: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_launch_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The person this identity belongs to, once the learner linked it with another; None: a person on their own.
    profile_id: Mapped[int | None] = mapped_column(
        ForeignKey("learner_profile.id", ondelete="SET NULL"), index=True, default=None
    )

    @property
    def display_name(self) -> str:
        return self.name or f"Learner {self.sub[:8]}"


class Context(db.Model):  # type: ignore[name-defined]
    """A course (or other context) within one deployment of one platform."""

    __tablename__ = "context"
    __table_args__ = (UniqueConstraint("deployment_pk", "lti_context_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platform.id", ondelete="CASCADE"), index=True)
    deployment_pk: Mapped[int] = mapped_column(ForeignKey("deployment.id", ondelete="CASCADE"))
    lti_context_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(String(500))
    label: Mapped[str | None] = mapped_column(String(255))
    # Names and Role Provisioning endpoint, when the platform offers it.
    memberships_url: Mapped[str | None] = mapped_column(String(1000))

    platform: Mapped[Platform] = relationship()
    deployment: Mapped[Deployment] = relationship()


class ResourceLink(db.Model):  # type: ignore[name-defined]
    """A placement of a career component in a course, with the author's settings."""

    __tablename__ = "resource_link"
    __table_args__ = (UniqueConstraint("context_pk", "lti_resource_link_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    context_pk: Mapped[int] = mapped_column(ForeignKey("context.id", ondelete="CASCADE"), index=True)
    lti_resource_link_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(String(500))
    component_kind: Mapped[str] = mapped_column(String(40), default="self_assessment")
    settings: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    line_item_url: Mapped[str | None] = mapped_column(String(1000))

    context: Mapped[Context] = relationship()


LEARNER = "learner"
INSTRUCTOR = "instructor"
ADMINISTRATOR = "administrator"
# LTI Manager and Mentor: partners of the learners who grant it, not staff of the course (decision 0019).
MANAGER = "manager"
MENTOR = "mentor"


class Membership(db.Model):  # type: ignore[name-defined]
    """A user's role in a context, as last seen at launch."""

    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("user_id", "context_pk"),
        Index("ix_membership_context_role", "context_pk", "role", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"), index=True)
    context_pk: Mapped[int] = mapped_column(ForeignKey("context.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=LEARNER)
    lti_roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[LtiUser] = relationship()
    context: Mapped[Context] = relationship()


class LaunchSession(db.Model):  # type: ignore[name-defined]
    """What one validated launch allows: the bearer token the page carries points here."""

    __tablename__ = "launch_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lti_user.id", ondelete="CASCADE"), index=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platform.id", ondelete="CASCADE"))
    deployment_pk: Mapped[int] = mapped_column(ForeignKey("deployment.id", ondelete="CASCADE"))
    context_pk: Mapped[int | None] = mapped_column(ForeignKey("context.id", ondelete="CASCADE"))
    resource_link_pk: Mapped[int | None] = mapped_column(ForeignKey("resource_link.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    message_type: Mapped[str] = mapped_column(String(60))
    # The launch claims later services need (AGS endpoint, deep-linking settings), kept verbatim.
    claims: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()

    user: Mapped[LtiUser] = relationship()
    platform: Mapped[Platform] = relationship()
    deployment: Mapped[Deployment] = relationship()
    context: Mapped[Context | None] = relationship()
    resource_link: Mapped[ResourceLink | None] = relationship()
