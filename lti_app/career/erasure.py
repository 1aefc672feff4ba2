"""Erasing a learner (one identity on one platform), and the retention rule that erases inactive ones.

Erasure removes every row that holds the identity's records or identifiers: their career records and evidence,
memberships, launch sessions, mentoring offers, asks, pairs and one-to-one sessions, roster rows, scores still owed
or sent (no new score goes to the LMS; what its gradebook holds is the LMS's), link codes, shares and the
record-read log about them. Check-ins they wrote on
other people's plans keep their text but lose the author's name. The ledger stays append-only for everyone
else: no other learner's row changes. What is left is an ``ErasureLog`` entry with counts and a random
receipt, nothing that points back to the person.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, func, or_, select, text, update

from lti_app.career import cohort
from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.career import (
    CareerTargetRecord,
    CheckInRecord,
    DevelopmentPlanRecord,
    EvidenceRecordRow,
    LatestSkillLevel,
    ReflectionRecord,
    SelfAssessmentDraftRecord,
    SelfAssessmentRecord,
)
from lti_app.models.grades import ScoreDelivery
from lti_app.models.mentoring import (
    MentoringAskRecord,
    MentoringRequestRecord,
    MentoringSessionPair,
    MentoringSessionRecord,
    MentorOfferRecord,
)
from lti_app.models.people import Context, LaunchSession, LtiUser, Membership
from lti_app.models.platform import Platform
from lti_app.models.profile import ErasureLog, LearnerProfile, ProfileLinkCode, RecordAccess, RecordShare
from lti_app.models.roster import RosterMember
from lti_app.models.state import ExpiringValue
from lti_app.models.xapi import XapiStatementRow

ERASED_AUTHOR = "Erased user"
REQUEST = "request"
RETENTION = "retention"


class ErasureRefused(Exception):
    """The erasure cannot go ahead (the message says why)."""


@dataclass(frozen=True)
class Erasure:
    receipt: str
    counts: dict[str, int]


def _delete(model: Any, *conditions: Any) -> int:
    """Delete matching rows; return how many there were (counted first: rowcount is not reliable everywhere)."""
    count = db.session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0
    if count:
        db.session.execute(delete(model).where(*conditions))
    return int(count)


def platform_of(user: LtiUser) -> Platform | None:
    return db.session.scalars(select(Platform).where(Platform.issuer == user.issuer).order_by(Platform.id)).first()


def erase_identity(user: LtiUser, *, requested_by: str, reason: str = REQUEST) -> Erasure:
    """Erase ``user`` and everything held about them. Commits, then makes SQLite overwrite the freed pages."""
    platform = platform_of(user)
    user_id, sub, email = user.id, user.sub, user.email
    counts: dict[str, int] = {}
    plan_ids = select(DevelopmentPlanRecord.id).where(DevelopmentPlanRecord.user_id == user_id)
    counts["plan_checkin"] = _delete(
        CheckInRecord, or_(CheckInRecord.user_id == user_id, CheckInRecord.plan_id.in_(plan_ids))
    )
    # The courses' tallies lose this learner's levels before the levels themselves go.
    left: dict[tuple[int, int], dict[tuple[str, int], int]] = {}
    for context_pk, framework_pk, code, level in db.session.execute(
        select(
            LatestSkillLevel.context_pk,
            LatestSkillLevel.framework_pk,
            LatestSkillLevel.skill_code,
            LatestSkillLevel.level,
        ).where(LatestSkillLevel.user_id == user_id)
    ):
        left.setdefault((context_pk, framework_pk), {})[(code, level)] = -1
    for (context_pk, framework_pk), moves in left.items():
        cohort.move_tally(context_pk, framework_pk, moves)
    for model in (
        LatestSkillLevel,  # before the sittings it points at
        SelfAssessmentRecord,
        SelfAssessmentDraftRecord,
        CareerTargetRecord,
        DevelopmentPlanRecord,
        ReflectionRecord,
        EvidenceRecordRow,
        RecordShare,
        ProfileLinkCode,
        Membership,
        LaunchSession,
        XapiStatementRow,
    ):
        counts[model.__tablename__] = _delete(model, model.user_id == user_id)
    counts["record_access"] = _delete(RecordAccess, RecordAccess.subject_user_id == user_id)
    _erase_mentoring(user_id, counts)
    # Check-ins they wrote on other people's plans are those people's records: keep them, without the name.
    for row in db.session.scalars(select(CheckInRecord).where(CheckInRecord.author_user_id == user_id)):
        row.checkin = {**row.checkin, "author_name": ERASED_AUTHOR}
        row.author_user_id = None
    db.session.execute(update(RecordAccess).where(RecordAccess.actor_user_id == user_id).values(actor_user_id=None))
    platform_ids = select(Platform.id).where(Platform.issuer == user.issuer)
    contexts = select(Context.id).where(Context.platform_id.in_(platform_ids))
    counts["roster_member"] = _delete(RosterMember, RosterMember.user_id == sub, RosterMember.context_pk.in_(contexts))
    # Scores: the LMS keeps what it received; nothing more is sent, and no row keeps the learner's sub.
    counts["score_delivery"] = _delete(
        ScoreDelivery, ScoreDelivery.user_sub == sub, ScoreDelivery.platform_id.in_(platform_ids)
    )
    # Logins and launches in flight (minutes long) carry the id_token's claims: drop the ones naming this user.
    needles = [json.dumps(sub)] + ([json.dumps(email)] if email else [])
    counts["expiring_value"] = _delete(ExpiringValue, or_(*(ExpiringValue.value.contains(n) for n in needles)))
    profile_id = user.profile_id
    db.session.delete(user)
    db.session.flush()
    counts["lti_user"] = 1
    if profile_id is not None:
        _dissolve_if_alone(profile_id)
    receipt = str(uuid.uuid4())
    db.session.add(
        ErasureLog(
            receipt=receipt,
            platform_id=platform.id if platform else None,
            reason=reason,
            requested_by=requested_by,
            counts=counts,
            retention_days=platform.retention_days if platform and reason == RETENTION else None,
        )
    )
    db.session.commit()
    _overwrite_freed_space()
    return Erasure(receipt, counts)


def _erase_mentoring(user_id: int, counts: dict[str, int]) -> None:
    """Their offers, asks and every pair they were in (with its feedback and attendance, by ON DELETE CASCADE);
    sessions they held, and sessions left with no one attending (a one-to-one with them). A group session
    another mentor held keeps its other mentees."""
    for model in (MentorOfferRecord, MentoringAskRecord):
        counts[model.__tablename__] = _delete(model, model.user_id == user_id)
    counts["mentoring_request"] = _delete(
        MentoringRequestRecord,
        or_(MentoringRequestRecord.mentee_user_id == user_id, MentoringRequestRecord.mentor_user_id == user_id),
    )
    attended = exists(
        select(MentoringSessionPair.id).where(MentoringSessionPair.session_id == MentoringSessionRecord.id)
    )
    counts["mentoring_session"] = _delete(
        MentoringSessionRecord, or_(MentoringSessionRecord.mentor_user_id == user_id, ~attended)
    )


def _dissolve_if_alone(profile_id: int) -> None:
    """A person left with one identity is that identity alone again; an empty person is removed."""
    left = list(db.session.scalars(select(LtiUser).where(LtiUser.profile_id == profile_id)))
    if len(left) <= 1:
        for other in left:
            other.profile_id = None
        db.session.flush()
        db.session.execute(delete(LearnerProfile).where(LearnerProfile.id == profile_id))


def _overwrite_freed_space() -> None:
    """SQLite runs with ``secure_delete`` (deleted content is zeroed); the WAL is checkpointed and truncated so
    no earlier copy of a page lingers in it. PostgreSQL reclaims dead rows with (auto)vacuum."""
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


# --- retention ----------------------------------------------------------------------------------------------------


def set_retention(platform: Platform, days: int | None) -> None:
    """Keep inactive users of ``platform`` for ``days`` after their last launch (None: until erased). Commits.

    :raise ValueError: fewer than one day.
    """
    if days is not None and days < 1:
        raise ValueError("retention must be at least one day")
    platform.retention_days = days
    db.session.commit()


def inactive_users(now: datetime | None = None) -> list[tuple[LtiUser, Platform]]:
    """Users whose platform has a retention period and who have not launched within it."""
    now = (now or utcnow()).astimezone(UTC)
    found: dict[int, tuple[LtiUser, Platform]] = {}
    platforms = db.session.scalars(select(Platform).where(Platform.retention_days.is_not(None)).order_by(Platform.id))
    for platform in platforms:
        assert platform.retention_days is not None
        cutoff = now - timedelta(days=platform.retention_days)
        users = db.session.scalars(
            select(LtiUser).where(LtiUser.issuer == platform.issuer, LtiUser.last_launch_at < cutoff)
        )
        for user in users:
            found.setdefault(user.id, (user, platform))
    return list(found.values())


def purge_inactive(now: datetime | None = None) -> list[Erasure]:
    """Erase every user past their platform's retention period. Commits after each."""
    return [erase_identity(user, requested_by="retention", reason=RETENTION) for user, _ in inactive_users(now)]
