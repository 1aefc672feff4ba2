"""Who may see whose records.

A learner's records belong to the person: the learner reads every record their identities made, in any
course of any platform they linked. Course staff read a learner's records that their course produced, plus
the kinds the learner shared with the course; never a record of another course or platform otherwise.
Every record keeps the identity and course that made it (its origin), which is what a write scopes by.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import ColumnElement, and_, select

from lti_app.career.errors import Forbidden, NotFound
from lti_app.extensions import db
from lti_app.models.people import ADMINISTRATOR, INSTRUCTOR, LEARNER, LaunchSession, LtiUser, Membership
from lti_app.models.profile import RecordShare

STAFF_ROLES = frozenset({INSTRUCTOR, ADMINISTRATOR})
_LEARNER_NAMESPACE = uuid.UUID("a3c1e6f2-5b7d-5e0a-9c4f-1d2e3f405162")


@dataclass(frozen=True)
class Subject:
    """Whose records a call reads or writes.

    Writes go to ``user`` in ``context_pk`` (the origin). Reads cover ``owner_ids`` (the person's identities;
    ``user`` alone when empty), limited, when ``course_pk`` is set (a course's staff reading), to records made
    in that course, except for the record kinds in ``shared``.
    """

    user: LtiUser
    context_pk: int | None
    owner_ids: tuple[int, ...] = ()
    course_pk: int | None = None
    shared: frozenset[str] = field(default_factory=frozenset)

    @property
    def user_id(self) -> int:
        return self.user.id

    @property
    def learner_id(self) -> str:
        return learner_id(self.user)

    @property
    def reader_ids(self) -> tuple[int, ...]:
        return self.owner_ids or (self.user.id,)

    def reads_every_course(self, kind: str) -> bool:
        """Whether the reader sees this kind of record from every course: then :meth:`where` is only
        ``user_id IN reader_ids``, which hot paths bind into a statement built once."""
        return self.course_pk is None or kind in self.shared

    def where(self, model: Any, kind: str) -> ColumnElement[bool]:
        """The rows of ``model`` (a record table of share ``kind``) this subject's reader may see."""
        if self.reads_every_course(kind):
            return model.user_id.in_(self.reader_ids)
        return and_(model.user_id == self.user.id, model.context_pk == self.course_pk)

    def within_course(self) -> Subject:
        """Only the records made in ``context_pk``: what a course placement's completion is judged on."""
        return replace(self, owner_ids=(self.user.id,), course_pk=self.context_pk, shared=frozenset())


def learner_id(user: LtiUser) -> str:
    """The opaque, stable id exports use for a learner (never an email; stable across database restores)."""
    return str(uuid.uuid5(_LEARNER_NAMESPACE, f"{user.issuer}\x1f{user.sub}"))


def context_pk(session: LaunchSession) -> int:
    """:raise Forbidden: the launch has no course context, so it has no career records."""
    if session.context_pk is None:
        raise Forbidden("This launch has no course context; launch the activity from a course.")
    return session.context_pk


def person_ids(user: LtiUser) -> tuple[int, ...]:
    """The identities of the person ``user`` is (``user`` first): itself, plus those the person linked."""
    if user.profile_id is None:
        return (user.id,)
    others = db.session.scalars(
        select(LtiUser.id).where(LtiUser.profile_id == user.profile_id, LtiUser.id != user.id).order_by(LtiUser.id)
    )
    return (user.id, *others)


def own(session: LaunchSession) -> Subject:
    """The caller's own records: the person's, from every course and linked platform; writes go to this course."""
    return Subject(session.user, context_pk(session), owner_ids=person_ids(session.user))


def shared_kinds(user_ids: tuple[int, ...], context: int) -> frozenset[str]:
    """The record kinds the person (any of ``user_ids``) shares with the staff of ``context``."""
    return frozenset(
        db.session.scalars(
            select(RecordShare.kind).where(RecordShare.user_id.in_(user_ids), RecordShare.context_pk == context)
        )
    )


def course_view(user: LtiUser, context: int, shared: frozenset[str] | None = None) -> Subject:
    """A learner's records as the staff of ``context`` see them: what the course produced, plus what is shared
    (``shared``: the kinds, when the caller already read them for a whole cohort)."""
    ids = person_ids(user)
    kinds = shared if shared is not None else shared_kinds(ids, context)
    return Subject(user, context, owner_ids=ids, course_pk=context, shared=kinds)


def shares_in(context: int) -> dict[int, frozenset[str]]:
    """Every learner's shared kinds with ``context``, by user id: one query for a cohort. Only the identity
    that is a member of the course can share with it, so no linked identity needs looking up."""
    found: dict[int, set[str]] = {}
    for user_id, kind in db.session.execute(
        select(RecordShare.user_id, RecordShare.kind).where(RecordShare.context_pk == context)
    ):
        found.setdefault(user_id, set()).add(kind)
    return {user_id: frozenset(kinds) for user_id, kinds in found.items()}


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
    return course_view(membership.user, membership.context_pk)
