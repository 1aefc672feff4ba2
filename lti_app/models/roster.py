"""The course roster as the platform's Names and Role Provisioning service last reported it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.people import LEARNER, Context

ACTIVE = "Active"
INACTIVE = "Inactive"


class RosterMember(db.Model):  # type: ignore[name-defined]
    """One member of a context's NRPS roster; the rows of a context are replaced whole on each refresh."""

    __tablename__ = "roster_member"
    __table_args__ = (UniqueConstraint("context_pk", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    context_pk: Mapped[int] = mapped_column(ForeignKey("context.id", ondelete="CASCADE"), index=True)
    # The platform's ``sub`` for the member: the same value its launches carry.
    user_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(20), default=LEARNER)
    lti_roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default=ACTIVE)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)

    context: Mapped[Context] = relationship()
