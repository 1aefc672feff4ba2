"""Self-assessments: submit a sitting (validated by career_core), keep the history, derive the profile."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload

from career_core.assessment import Confidence, SkillRating, current_profile, make_assessment
from career_core.errors import ValidationError
from career_core.evidence_rules import sitting_evidence
from career_core.profile_chart import MAX_SITTINGS
from career_core.scoring import Completion, ComponentKind, self_assessment_completion
from lti_app.career import cohort, frameworks, grading
from lti_app.career.access import Subject, own
from lti_app.career.errors import InvalidInput
from lti_app.career.evidence import ledger_of_user, record_evidence
from lti_app.career.paging import FIRST_PAGE, Paging
from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.career import (
    LatestSkillLevel,
    SelfAssessmentDraftRecord,
    SelfAssessmentRecord,
    SkillFrameworkRecord,
)
from lti_app.models.people import LaunchSession


def submit_assessment(
    session: LaunchSession, ratings: Sequence[Mapping[str, Any]], *, framework: str | None = None
) -> dict[str, Any]:
    """Record one sitting of the caller's self-assessment. Commits.

    In one transaction: the sitting (history is kept, never overwritten), evidence for each rated skill
    whose level is new or changed (career_core's sitting rule), and, for a learner's launch of a
    self-assessment placement, the score its completion earns. ``framework`` defaults to the placement's
    framework (else O*NET).

    :raise NotFound: unknown framework. :raise InvalidInput: unknown skills, off-scale levels, repeats.
    """
    subject = own(session)
    record = frameworks.find_framework(session, framework) if framework else frameworks.framework_for_link(session)
    domain_framework = frameworks.framework_of(record)
    taken_at = utcnow()
    aware = taken_at.replace(tzinfo=UTC)
    problems: list[str] = []
    parsed: list[SkillRating] = []
    for index, rating in enumerate(ratings):
        try:
            confidence = Confidence(rating.get("confidence", Confidence.MEDIUM.value))
        except ValueError:
            problems.append(f"ratings[{index}].confidence: must be one of low, medium, high")
            confidence = Confidence.MEDIUM
        parsed.append(
            SkillRating(
                skill_code=str(rating.get("skill_code", "")),
                level=rating.get("level"),  # type: ignore[arg-type]  # career_core reports a non-integer level
                rated_at=aware,
                confidence=confidence,
                note=str(rating.get("note") or ""),
            )
        )
    if not parsed:
        problems.append("ratings: rate at least one skill")
    try:
        assessment = make_assessment(domain_framework, parsed, aware)
    except ValidationError as error:
        problems.extend(error.errors)
    if problems:
        raise InvalidInput.from_domain(ValidationError(problems))

    sitting = SelfAssessmentRecord(
        user_id=subject.user_id,
        context_pk=subject.context_pk,
        resource_link_pk=session.resource_link_pk,
        framework_pk=record.id,
        taken_at=taken_at,
        ratings=[
            {
                "skill_code": r.skill_code,
                "level": r.level,
                "confidence": r.confidence.value,
                "note": r.note,
            }
            for r in assessment.ratings
        ],
    )
    db.session.add(sitting)
    db.session.flush()
    _keep_latest(sitting)
    record_evidence(
        subject,
        sitting_evidence(
            learner_id=subject.learner_id,
            ratings={r.skill_code: r.level for r in assessment.ratings},
            ledger=ledger_of_user(subject.user),
            recorded_at=aware,
            activity_id=f"self-assessment/{sitting.id}",
        ),
        resource_link_pk=session.resource_link_pk,
        framework_pk=record.id,
    )
    completion = assessment_completion(subject, record, _required_skills(session, record))
    grading.publish_completion(session, ComponentKind.SELF_ASSESSMENT, completion)
    draft = _draft_record(subject, record.id)
    if draft is not None:  # submitted: what was pending is now a sitting
        db.session.delete(draft)
    db.session.commit()
    return {**sitting_json(sitting, record), "completion": completion.fraction, "complete": completion.complete}


def _keep_latest(sitting: SelfAssessmentRecord) -> None:
    """Overwrite the learner's latest level of each skill the sitting rated in its course, and move the course's
    tally from the level left to the level reached: what ``profile`` and the cohort aggregates read instead of
    the history."""
    rated = {r["skill_code"]: int(r["level"]) for r in sitting.ratings if r.get("level") is not None}
    stored = {
        row.skill_code: row
        for row in db.session.scalars(
            select(LatestSkillLevel).where(
                LatestSkillLevel.user_id == sitting.user_id,
                LatestSkillLevel.context_pk == sitting.context_pk,
                LatestSkillLevel.framework_pk == sitting.framework_pk,
                LatestSkillLevel.skill_code.in_(list(rated)),
            )
        )
    }
    moves: dict[tuple[str, int], int] = {}
    for code, level in rated.items():
        row = stored.get(code)
        if row is None:
            row = LatestSkillLevel(
                user_id=sitting.user_id,
                context_pk=sitting.context_pk,
                framework_pk=sitting.framework_pk,
                skill_code=code,
            )
            db.session.add(row)
        elif row.level != level:
            moves[(code, row.level)] = moves.get((code, row.level), 0) - 1
        if row.level != level:
            moves[(code, level)] = moves.get((code, level), 0) + 1
        row.level, row.rated_at, row.sitting_id = level, sitting.taken_at, sitting.id
    cohort.move_tally(sitting.context_pk, sitting.framework_pk, moves)


def _required_skills(session: LaunchSession, record: SkillFrameworkRecord) -> list[str]:
    """The placement's ``skills`` setting (comma-separated codes), else every skill of the framework."""
    settings = session.resource_link.settings if session.resource_link is not None else {}
    configured = (settings or {}).get("skills")
    codes = [skill["code"] for skill in record.skills]
    if isinstance(configured, str) and configured.strip():
        return [code.strip() for code in configured.split(",") if code.strip()]
    return codes


@functools.cache
def _readers_sittings_query() -> Select[SelfAssessmentRecord]:
    """``sittings`` of one framework for a reader of every course, built once (each self-assessment launch)."""
    return (
        select(SelfAssessmentRecord)
        .where(
            SelfAssessmentRecord.user_id.in_(bindparam("reader_ids", expanding=True)),
            SelfAssessmentRecord.framework_pk == bindparam("framework_pk"),
        )
        .order_by(SelfAssessmentRecord.taken_at, SelfAssessmentRecord.id)
    )


def sittings(subject: Subject, framework_pk: int | None = None) -> list[SelfAssessmentRecord]:
    """The sittings the subject's reader may see (every course's, for the learner), oldest first."""
    if framework_pk is not None and subject.reads_every_course("assessments"):
        params = {"reader_ids": list(subject.reader_ids), "framework_pk": framework_pk}
        return list(db.session.scalars(_readers_sittings_query(), params))
    query = select(SelfAssessmentRecord).where(subject.where(SelfAssessmentRecord, "assessments"))
    if framework_pk is not None:
        query = query.where(SelfAssessmentRecord.framework_pk == framework_pk)
    return list(db.session.scalars(query.order_by(SelfAssessmentRecord.taken_at, SelfAssessmentRecord.id)))


def recent_sittings(
    subject: Subject, framework_pk: int, limit: int = MAX_SITTINGS
) -> list[tuple[datetime, dict[str, float]]]:
    """The subject's latest ``limit`` sittings of one framework in this context, oldest first, as
    ``(taken_at in UTC, {skill code: level given})``: what a progress chart needs, and no more rows."""
    query = (
        select(SelfAssessmentRecord.taken_at, SelfAssessmentRecord.ratings)
        .where(
            SelfAssessmentRecord.user_id == subject.user_id,
            SelfAssessmentRecord.context_pk == subject.context_pk,
            SelfAssessmentRecord.framework_pk == framework_pk,
        )
        .order_by(SelfAssessmentRecord.taken_at.desc(), SelfAssessmentRecord.id.desc())
        .limit(limit)
    )
    rows = db.session.execute(query).all()
    return [
        (_utc(taken_at), {r["skill_code"]: float(r["level"]) for r in ratings}) for taken_at, ratings in reversed(rows)
    ]


def _utc(moment: datetime) -> datetime:
    """Stored times are UTC, naive in older rows and aware in newer ones."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def profile(subject: Subject, framework_pk: int) -> dict[str, float]:
    """The subject's latest level per skill of one framework, from the sittings the reader may see: for the
    learner, every sitting they took in any course (career_core's rule picks the latest: the later sitting on a
    tie). Read from the latest levels each course keeps, never from the history."""
    rows = db.session.execute(
        select(LatestSkillLevel.skill_code, LatestSkillLevel.level, LatestSkillLevel.rated_at)
        .where(subject.where(LatestSkillLevel, "assessments"), LatestSkillLevel.framework_pk == framework_pk)
        .order_by(LatestSkillLevel.rated_at, LatestSkillLevel.sitting_id)
    )
    return current_profile(SkillRating(code, level, _utc(rated_at)) for code, level, rated_at in rows)


def assessment_completion(subject: Subject, record: SkillFrameworkRecord, required: Sequence[str]) -> Completion:
    """A placement's completion, judged within its course: the sittings taken in the subject's course count,
    sittings from other courses (which the learner sees as their profile) do not."""
    return self_assessment_completion(profile(subject.within_course(), record.id), required)


def sitting_json(sitting: SelfAssessmentRecord, record: SkillFrameworkRecord) -> dict[str, Any]:
    return {
        "id": sitting.id,
        "framework": record.identifier,
        "taken_at": sitting.taken_at.replace(tzinfo=UTC),
        "ratings": sitting.ratings,
    }


def history(
    subject: Subject, framework: SkillFrameworkRecord | None = None, paging: Paging = FIRST_PAGE
) -> dict[str, Any]:
    """One page of the sittings (oldest first) with the paging envelope, and the current profile per framework
    seen (from the latest levels, so a long history is never loaded whole)."""
    where = [subject.where(SelfAssessmentRecord, "assessments")]
    if framework is not None:
        where.append(SelfAssessmentRecord.framework_pk == framework.id)
    total = db.session.scalar(select(func.count()).select_from(SelfAssessmentRecord).where(*where)) or 0
    items = list(
        db.session.scalars(
            select(SelfAssessmentRecord)
            .options(joinedload(SelfAssessmentRecord.framework))
            .where(*where)
            .order_by(SelfAssessmentRecord.taken_at, SelfAssessmentRecord.id)
            .offset(paging.offset)
            .limit(paging.per_page)
        )
    )
    seen = select(LatestSkillLevel.framework_pk).where(subject.where(LatestSkillLevel, "assessments")).distinct()
    if framework is not None:
        seen = seen.where(LatestSkillLevel.framework_pk == framework.id)
    records = db.session.scalars(
        select(SkillFrameworkRecord).where(SkillFrameworkRecord.id.in_(seen)).order_by(SkillFrameworkRecord.id)
    )
    return {
        "assessments": [sitting_json(s, s.framework) for s in items],
        "profiles": [{"framework": record.identifier, "levels": profile(subject, record.id)} for record in records],
        **paging.envelope(total),
    }


def my_history(session: LaunchSession, framework: str | None = None, paging: Paging = FIRST_PAGE) -> dict[str, Any]:
    record = frameworks.find_framework(session, framework) if framework else None
    return history(own(session), record, paging)


# --- drafts: levels chosen but not submitted ----------------------------------------------------------------


@functools.cache
def _draft_query() -> Select[SelfAssessmentDraftRecord]:
    """Built once: a self-assessment launch reads the draft every time."""
    return select(SelfAssessmentDraftRecord).filter_by(
        user_id=bindparam("user_id"), context_pk=bindparam("context_pk"), framework_pk=bindparam("framework_pk")
    )


def _draft_record(subject: Subject, framework_pk: int) -> SelfAssessmentDraftRecord | None:
    if subject.context_pk is None:  # "IS NULL", which a bound parameter cannot say
        query = select(SelfAssessmentDraftRecord).filter_by(
            user_id=subject.user_id, context_pk=None, framework_pk=framework_pk
        )
        return db.session.scalars(query).first()
    params = {"user_id": subject.user_id, "context_pk": subject.context_pk, "framework_pk": framework_pk}
    return db.session.scalars(_draft_query(), params).first()


def draft_levels(subject: Subject, framework_pk: int) -> dict[str, int]:
    """The subject's unsubmitted levels for one framework in this context (empty when there is no draft)."""
    record = _draft_record(subject, framework_pk)
    return dict(record.levels) if record else {}


def draft_json(record: SkillFrameworkRecord, levels: Mapping[str, int], updated_at: Any = None) -> dict[str, Any]:
    return {
        "framework": record.identifier,
        "ratings": [{"skill_code": code, "level": level} for code, level in sorted(levels.items())],
        "updated_at": updated_at.replace(tzinfo=UTC) if updated_at else None,
    }


def my_draft(session: LaunchSession) -> dict[str, Any]:
    """The caller's draft for the placement's framework."""
    record = frameworks.framework_for_link(session)
    draft = _draft_record(own(session), record.id)
    return draft_json(record, draft.levels if draft else {}, draft.updated_at if draft else None)


def save_draft(session: LaunchSession, ratings: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Replace the caller's draft for the placement's framework with ``ratings``. Commits.

    A draft is checked like a sitting (known skills, on-scale whole levels) but is not one: no score, no
    completion, no evidence. An empty list deletes the draft.
    :raise InvalidInput: unknown skills, off-scale levels, repeats.
    """
    subject = own(session)
    record = frameworks.framework_for_link(session)
    domain_framework = frameworks.framework_of(record)
    problems: list[str] = []
    levels: dict[str, int] = {}
    for index, rating in enumerate(ratings):
        code, level = str(rating.get("skill_code", "")), rating.get("level")
        where = f"ratings[{index}]"
        if code not in domain_framework:
            problems.append(f"{where}.skill_code: {code!r} is not in framework '{domain_framework.title}'")
        problems.extend(domain_framework.scale.level_problems(level, field=f"{where}.level", whole=True))
        if code in levels:
            problems.append(f"{where}.skill_code: {code!r} appears twice")
        if isinstance(level, int):
            levels[code] = level
    if problems:
        raise InvalidInput.from_domain(ValidationError(problems))
    draft = _draft_record(subject, record.id)
    if not levels:
        if draft is not None:
            db.session.delete(draft)
        db.session.commit()
        return draft_json(record, {})
    if draft is None:
        draft = SelfAssessmentDraftRecord(
            user_id=subject.user_id, context_pk=subject.context_pk, framework_pk=record.id
        )
        db.session.add(draft)
    draft.levels = levels
    draft.updated_at = utcnow()
    db.session.commit()
    return draft_json(record, levels, draft.updated_at)
