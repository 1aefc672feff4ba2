"""Who may see whose records: every query is scoped by the launch's context, and by user unless the caller is staff.

A context belongs to one deployment of one platform, so a context-scoped query never crosses them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from lti_app.career.errors import Forbidden, NotFound
from lti_app.extensions import db
from lti_app.models.people import ADMINISTRATOR, INSTRUCTOR, LEARNER, LaunchSession, LtiUser, Membership

STAFF_ROLES = frozenset({INSTRUCTOR, ADMINISTRATOR})
_LEARNER_NAMESPACE = uuid.UUID("a3c1e6f2-5b7d-5e0a-9c4f-1d2e3f405162")


@dataclass(frozen=True)
class Subject:
    """Whose records a call reads or writes: one user within one context."""

    user: LtiUser
    context_pk: int

    @property
    def user_id(self) -> int:
        return self.user.id

    @property
    def learner_id(self) -> str:
        return learner_id(self.user)


def learner_id(user: LtiUser) -> str:
    """The opaque, stable id exports use for a learner (never an email; stable across database restores)."""
    return str(uuid.uuid5(_LEARNER_NAMESPACE, f"{user.issuer}\x1f{user.sub}"))


def context_pk(session: LaunchSession) -> int:
    """:raise Forbidden: the launch has no course context, so it has no career records."""
    if session.context_pk is None:
        raise Forbidden("This launch has no course context; launch the activity from a course.")
    return session.context_pk


def own(session: LaunchSession) -> Subject:
    """The caller's own records in the launch's context."""
    return Subject(session.user, context_pk(session))


def is_staff(session: LaunchSession) -> bool:
    return session.role in STAFF_ROLES


def require_staff(session: LaunchSession) -> None:
    """:raise Forbidden: the caller is not an instructor or administrator of the launch's context."""
    context_pk(session)
    if not is_staff(session):
        raise Forbidden("Only an instructor or administrator of this course may do this.")


def learner_of_context(session: LaunchSession, user_id: int) -> Subject:
    """A learner of the caller's context, for an instructor's reads.

    :raise Forbidden: the caller is not staff. :raise NotFound: no learner with that id in this context.
    """
    require_staff(session)
    membership = db.session.scalars(
        select(Membership).where(
            Membership.user_id == user_id,
            Membership.context_pk == session.context_pk,
            Membership.role == LEARNER,
        )
    ).first()
    if membership is None:
        raise NotFound("No such learner in this course.")
    return Subject(membership.user, membership.context_pk)
