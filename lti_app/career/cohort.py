"""A course's learners read as a cohort: a page of overviews and the cohort's aggregates, each in a fixed
number of queries whatever the cohort's size (decision 0021).

What a row shows follows ``access.Subject.where``: staff see the records their course produced, and every
identity's records of the kinds a learner shared with the course. The SQL here applies that rule to many
learners at once; ``learners`` and the pages build on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, union, union_all
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased, joinedload

from career_core.plans import parse_plan, plan_progress
from career_core.scoring import self_assessment_completion
from lti_app.career import frameworks
from lti_app.career.errors import NotFound
from lti_app.extensions import db
from lti_app.models.career import (
    CareerTargetRecord,
    CohortLevelTally,
    DevelopmentPlanRecord,
    LatestSkillLevel,
    ReflectionRecord,
    SelfAssessmentRecord,
)
from lti_app.models.people import LEARNER, LaunchSession, LtiUser, Membership
from lti_app.models.profile import RecordShare

REVIEW_STATUSES = ("waiting_for_review", "in_review")


def learners_of(context_pk: int) -> Select[Any]:
    return select(Membership.user_id).where(Membership.context_pk == context_pk, Membership.role == LEARNER)


def count_learners(context_pk: int) -> int:
    return db.session.scalar(select(func.count()).select_from(learners_of(context_pk).subquery())) or 0


def learner_ids_page(context_pk: int, offset: int, limit: int) -> list[int]:
    """Learner ids of the course in the order they first launched."""
    query = learners_of(context_pk).order_by(Membership.id).offset(offset).limit(limit)
    return list(db.session.scalars(query))


def _sharers(context_pk: int, kind: str) -> Select[Any]:
    return select(RecordShare.user_id).where(RecordShare.context_pk == context_pk, RecordShare.kind == kind)


def _same_person(member: Any, identity: Any) -> ColumnElement[bool]:
    """``identity`` is ``member`` or an identity the same person linked (``access.person_ids``)."""
    return or_(identity.id == member.id, and_(member.profile_id.is_not(None), identity.profile_id == member.profile_id))


def _own_levels(context_pk: int, framework_pk: int, user_ids: Sequence[int]) -> Select[int, str, int]:
    """(learner_id, skill_code, level) of a page of the course's learners (``user_ids``, read by key) who share
    nothing: the course's own rows, one per skill."""
    level = LatestSkillLevel
    return select(level.user_id.label("learner_id"), level.skill_code, level.level).where(
        level.context_pk == context_pk,
        level.framework_pk == framework_pk,
        level.user_id.in_(user_ids),
        level.user_id.not_in(_sharers(context_pk, "assessments")),
    )


def _shared_levels(context_pk: int, framework_pk: int, user_ids: Sequence[int] | None = None) -> Select[Any]:
    """(learner_id, skill_code, level) of the learners who share their self-assessments with the course: their
    rows from every course and linked identity, the latest per skill winning (the later sitting on a tie),
    ranked with a window function that SQLite and PostgreSQL both run."""
    level = LatestSkillLevel
    member, identity = aliased(LtiUser), aliased(LtiUser)
    ranked = (
        select(
            Membership.user_id.label("learner_id"),
            level.skill_code,
            level.level,
            func.row_number()
            .over(
                partition_by=(Membership.user_id, level.skill_code),
                order_by=(level.rated_at.desc(), level.sitting_id.desc()),
            )
            .label("rank"),
        )
        .join(member, member.id == Membership.user_id)
        .join(identity, _same_person(member, identity))
        .join(level, and_(level.user_id == identity.id, level.framework_pk == framework_pk))
        .where(
            Membership.context_pk == context_pk,
            Membership.role == LEARNER,
            Membership.user_id.in_(_sharers(context_pk, "assessments")),
        )
    )
    if user_ids is not None:
        ranked = ranked.where(Membership.user_id.in_(user_ids))
    shared = ranked.subquery()
    return select(shared.c.learner_id, shared.c.skill_code, shared.c.level).where(shared.c.rank == 1)


def move_tally(context_pk: int, framework_pk: int, moves: Mapping[tuple[str, int], int]) -> None:
    """Add ``moves`` ({(skill code, level): learners, negative for levels left}) to the course's tally, in one
    statement; the row of a level nobody held yet is created."""
    rows = [
        {"context_pk": context_pk, "framework_pk": framework_pk, "skill_code": code, "level": level, "learners": n}
        for (code, level), n in moves.items()
        if n
    ]
    if not rows:
        return
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(CohortLevelTally)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["context_pk", "framework_pk", "skill_code", "level"],
            set_={"learners": CohortLevelTally.learners + statement.excluded.learners},
        ),
        rows,
    )


def level_distribution(context_pk: int, framework_pk: int) -> dict[str, dict[int, int]]:
    """How many learners hold each skill at each level, as the course's staff see them: ``{skill code: {level:
    learners}}``. An aggregate, not a read of anyone's record, so nothing is logged.

    Read from the course's tally (at most skills x levels rows), less the rows of the few it should not count
    as they stand (staff who rated themselves; learners who share, whose own course's row gives way to their
    latest from any course), plus those learners' latest levels: three small queries whatever the cohort's size.
    """
    counts: dict[str, dict[int, int]] = {}

    def add(code: str, value: int, n: int) -> None:
        by_level = counts.setdefault(code, {})
        by_level[value] = by_level.get(value, 0) + n

    tally = CohortLevelTally
    for code, value, n in db.session.execute(
        select(tally.skill_code, tally.level, tally.learners).where(
            tally.context_pk == context_pk, tally.framework_pk == framework_pk
        )
    ):
        add(code, value, n)
    level = LatestSkillLevel
    # Few rows on each side: joined on the learner's unique key, never a scan of the cohort's levels.
    set_apart = union(
        select(Membership.user_id.label("user_id")).where(
            Membership.context_pk == context_pk, Membership.role != LEARNER
        ),
        _sharers(context_pk, "assessments"),
    ).subquery()
    for code, value, n in db.session.execute(
        select(level.skill_code, level.level, func.count())
        .join(set_apart, set_apart.c.user_id == level.user_id)
        .where(level.context_pk == context_pk, level.framework_pk == framework_pk)
        .group_by(level.skill_code, level.level)
    ):
        add(code, value, -n)
    shared = _shared_levels(context_pk, framework_pk).subquery()
    for code, value, n in db.session.execute(
        select(shared.c.skill_code, shared.c.level, func.count()).group_by(shared.c.skill_code, shared.c.level)
    ):
        add(code, value, n)
    return {code: {v: n for v, n in sorted(by_level.items()) if n > 0} for code, by_level in counts.items()}


def average_levels(context_pk: int, framework_pk: int) -> dict[str, float]:
    """The cohort's average latest level per skill, over the learners who rated it."""
    averages = {}
    for code, by_level in level_distribution(context_pk, framework_pk).items():
        rated = sum(by_level.values())
        if rated:
            averages[code] = sum(value * n for value, n in by_level.items()) / rated
    return averages


def levels_of(context_pk: int, framework_pk: int, user_ids: Sequence[int]) -> dict[int, dict[str, float]]:
    """The latest levels of a page of learners of the course (``overviews`` keys), by learner."""
    if not user_ids:
        return {}
    levels = union_all(
        _own_levels(context_pk, framework_pk, user_ids), _shared_levels(context_pk, framework_pk, user_ids)
    ).subquery()
    out: dict[int, dict[str, float]] = {}
    for learner_id, code, value in db.session.execute(select(levels)):
        out.setdefault(learner_id, {})[code] = float(value)
    return out


def most_common_target(session: LaunchSession) -> str | None:
    """The role most learners aim for, each learner counted once by the target ``careers.target_of`` shows
    them (chosen from this placement, else their latest): an aggregate, so no read is logged."""
    assert session.context_pk is not None
    context_pk, target = session.context_pk, CareerTargetRecord
    sharers = _sharers(context_pk, "targets")
    columns = (target.target_role_code, target.resource_link_pk, target.updated_at, target.id)
    own = select(target.user_id.label("learner_id"), *columns).where(
        target.context_pk == context_pk,
        target.user_id.not_in(sharers),
        target.user_id.in_(learners_of(context_pk)),
    )
    member, identity = aliased(LtiUser), aliased(LtiUser)
    shared = (
        select(Membership.user_id.label("learner_id"), *columns)
        .join(member, member.id == Membership.user_id)
        .join(
            identity,
            _same_person(member, identity),
        )
        .join(target, target.user_id == identity.id)
        .where(Membership.context_pk == context_pk, Membership.role == LEARNER, Membership.user_id.in_(sharers))
    )
    candidates = union_all(own, shared).subquery()
    here = func.coalesce(candidates.c.resource_link_pk, 0) == (session.resource_link_pk or -1)
    ranked = select(
        candidates.c.target_role_code,
        func.row_number()
        .over(
            partition_by=candidates.c.learner_id,
            order_by=(here.desc(), candidates.c.updated_at.desc(), candidates.c.id),
        )
        .label("rank"),
    ).subquery()
    count = func.count().label("learners")
    row = db.session.execute(
        select(ranked.c.target_role_code, count)
        .where(ranked.c.rank == 1)
        .group_by(ranked.c.target_role_code)
        .order_by(count.desc(), ranked.c.target_role_code)
        .limit(1)
    ).first()
    return str(row[0]) if row else None


def plans_for_review(context_pk: int, limit: int) -> tuple[list[DevelopmentPlanRecord], int]:
    """Plans of the course waiting for its staff (the oldest request first, at most ``limit``) and how many."""
    # Joined on the learner's membership key: a few plans wait, so this never reads the whole cohort.
    learner = and_(
        Membership.user_id == DevelopmentPlanRecord.user_id,
        Membership.context_pk == context_pk,
        Membership.role == LEARNER,
    )
    where = (DevelopmentPlanRecord.context_pk == context_pk, DevelopmentPlanRecord.status.in_(REVIEW_STATUSES))
    total = (
        db.session.scalar(
            select(func.count()).select_from(DevelopmentPlanRecord).join(Membership, learner).where(*where)
        )
        or 0
    )
    records = db.session.scalars(
        select(DevelopmentPlanRecord)
        .join(Membership, learner)
        .options(joinedload(DevelopmentPlanRecord.user))
        .where(*where)
        .order_by(DevelopmentPlanRecord.updated_at, DevelopmentPlanRecord.id)
        .limit(limit)
    )
    return list(records), total


# --- a page of overviews ---------------------------------------------------------------------------------------


class _Readers:
    """What the course's staff may read of each learner on a page: their identities and the kinds they share."""

    def __init__(self, context_pk: int, user_ids: Sequence[int]) -> None:
        self.context_pk = context_pk
        self.shared: dict[int, set[str]] = {user_id: set() for user_id in user_ids}
        for user_id, kind in db.session.execute(
            select(RecordShare.user_id, RecordShare.kind).where(
                RecordShare.context_pk == context_pk, RecordShare.user_id.in_(user_ids)
            )
        ):
            self.shared[user_id].add(kind)
        self.identities: dict[int, set[int]] = {user_id: {user_id} for user_id in user_ids}
        member, identity = aliased(LtiUser), aliased(LtiUser)
        for user_id, other in db.session.execute(
            select(member.id, identity.id)
            .join(identity, identity.profile_id == member.profile_id)
            .where(member.id.in_(user_ids), member.profile_id.is_not(None))
        ):
            self.identities[user_id].add(other)

    @property
    def all_ids(self) -> list[int]:
        return sorted({i for ids in self.identities.values() for i in ids})

    def sees(self, learner: int, kind: str, user_id: int, context_pk: int | None) -> bool:
        """``Subject.where`` for one row of one learner."""
        if kind in self.shared[learner]:
            return user_id in self.identities[learner]
        return user_id == learner and context_pk == self.context_pk


def overviews(session: LaunchSession, user_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Each learner's overview (completion, sittings, latest plan, reflections) for a page of learners of the
    caller's course, in a fixed number of queries; ids that are not learners of the course are left out."""
    assert session.context_pk is not None
    context_pk = session.context_pk
    ids = list(db.session.scalars(learners_of(context_pk).where(Membership.user_id.in_(user_ids))))
    if not ids:
        return {}
    readers = _Readers(context_pk, ids)
    everyone = readers.all_ids
    users = {u.id: u for u in db.session.scalars(select(LtiUser).where(LtiUser.id.in_(ids)))}

    sittings: dict[int, tuple[int, datetime | None]] = dict.fromkeys(ids, (0, None))
    sitting_rows = db.session.execute(
        select(
            SelfAssessmentRecord.user_id,
            SelfAssessmentRecord.context_pk,
            func.count(),
            func.max(SelfAssessmentRecord.taken_at),
        )
        .where(SelfAssessmentRecord.user_id.in_(everyone))
        .group_by(SelfAssessmentRecord.user_id, SelfAssessmentRecord.context_pk)
    ).all()
    for learner in ids:
        seen = [(n, at) for u, c, n, at in sitting_rows if readers.sees(learner, "assessments", u, c)]
        if seen:
            sittings[learner] = (sum(n for n, _ in seen), max(at for _, at in seen))

    rated = _rated_in_course(session, ids)

    latest_plan: dict[int, tuple[datetime, int]] = {}
    for plan_id, u, c, created in db.session.execute(
        select(
            DevelopmentPlanRecord.id,
            DevelopmentPlanRecord.user_id,
            DevelopmentPlanRecord.context_pk,
            DevelopmentPlanRecord.created_at,
        ).where(DevelopmentPlanRecord.user_id.in_(everyone))
    ):
        for learner in ids:
            if readers.sees(learner, "plans", u, c) and (created, plan_id) > latest_plan.get(learner, (created, 0)):
                latest_plan[learner] = (created, plan_id)
    plan_ids = [plan_id for _, plan_id in latest_plan.values()]
    plans = {
        p.id: p for p in db.session.scalars(select(DevelopmentPlanRecord).where(DevelopmentPlanRecord.id.in_(plan_ids)))
    }

    reflections: dict[int, dict[str, tuple[datetime, int, bool]]] = {i: {} for i in ids}
    for row_id, u, c, key, complete, updated in db.session.execute(
        select(
            ReflectionRecord.id,
            ReflectionRecord.user_id,
            ReflectionRecord.context_pk,
            ReflectionRecord.template_key,
            ReflectionRecord.complete,
            ReflectionRecord.updated_at,
        ).where(ReflectionRecord.user_id.in_(everyone))
    ):
        for learner in ids:
            if not readers.sees(learner, "reflections", u, c):
                continue
            kept = reflections[learner].get(key)
            if kept is None or (updated, row_id) >= kept[:2]:  # the latest per exercise wins
                reflections[learner][key] = (updated, row_id, bool(complete))

    out: dict[int, dict[str, Any]] = {}
    for learner in ids:
        count, last = sittings[learner]
        plan = plans.get(latest_plan[learner][1]) if learner in latest_plan else None
        out[learner] = {
            "user_id": learner,
            "name": users[learner].display_name,
            "assessment_count": count,
            "last_assessed_at": last.replace(tzinfo=UTC) if last else None,
            "assessment_completion": rated.get(learner, 0.0),
            "plan_id": plan.id if plan else None,
            "plan_status": plan.status if plan else None,
            "plan_progress": plan_progress(parse_plan(plan.plan)) if plan else None,
            "reflections_complete": sum(1 for *_, complete in reflections[learner].values() if complete),
        }
    return out


def _rated_in_course(session: LaunchSession, user_ids: Iterable[int]) -> dict[int, float]:
    """Each learner's completion of the placement's framework, judged on the sittings of this course alone
    (``assessments.assessment_completion``)."""
    try:
        record = frameworks.framework_for_link(session)
    except NotFound:
        return {}
    required = [skill["code"] for skill in record.skills]
    codes: dict[int, list[str]] = {}
    for user_id, code in db.session.execute(
        select(LatestSkillLevel.user_id, LatestSkillLevel.skill_code).where(
            LatestSkillLevel.context_pk == session.context_pk,
            LatestSkillLevel.framework_pk == record.id,
            LatestSkillLevel.user_id.in_(list(user_ids)),
        )
    ):
        codes.setdefault(user_id, []).append(code)
    return {user_id: self_assessment_completion(rated, required).fraction for user_id, rated in codes.items()}
