"""The record-read log: which staff member read which of a learner's private records, when, from which course.

Written when staff read (API or page); shown to the learner. Each entry is committed on its own, so a read
is logged even when the request that made it goes on to fail.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from flask import has_request_context, request
from sqlalchemy import insert, select

from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.people import Context, LaunchSession, LtiUser
from lti_app.models.profile import RecordAccess

SHOWN = 100


def record_read(session: LaunchSession, subject_user_id: int, what: str) -> None:
    """Log that the caller (staff) read ``what`` of the learner ``subject_user_id``. Commits."""
    record_reads(session, [subject_user_id], what)


def record_reads(session: LaunchSession, subject_user_ids: Iterable[int], what: str) -> None:
    """Log one read of ``what`` per learner (a page showing a cohort's records), in one statement and one
    commit, however many learners the page shows. Commits."""
    via = "api" if has_request_context() and request.path.startswith("/api/") else "page"
    now = utcnow()
    rows = [
        {
            "subject_user_id": user_id,
            "actor_user_id": session.user_id,
            "actor_role": session.role,
            "context_pk": session.context_pk,
            "what": what[:100],
            "via": via,
            "read_at": now,
        }
        for user_id in dict.fromkeys(subject_user_ids)
        if user_id != session.user_id
    ]
    if rows:
        db.session.execute(insert(RecordAccess), rows)
        db.session.commit()


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def reads_of(user_ids: tuple[int, ...], limit: int = SHOWN) -> list[dict[str, Any]]:
    """The newest reads of these identities' records (the person's), newest first."""
    rows = db.session.execute(
        select(RecordAccess, LtiUser, Context)
        .outerjoin(LtiUser, LtiUser.id == RecordAccess.actor_user_id)
        .outerjoin(Context, Context.id == RecordAccess.context_pk)
        .where(RecordAccess.subject_user_id.in_(user_ids))
        .order_by(RecordAccess.read_at.desc(), RecordAccess.id.desc())
        .limit(limit)
    ).all()
    return [
        {
            "read_at": _aware(access.read_at),
            "reader": actor.display_name if actor is not None else "A former staff member",
            "reader_role": access.actor_role,
            "course": (context.title or context.label or context.lti_context_id) if context is not None else None,
            "what": access.what,
            "via": access.via,
        }
        for access, actor, context in rows
    ]
