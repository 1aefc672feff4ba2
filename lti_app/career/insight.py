"""Programme insight for the organisation: participation, plans by state, check-ins per month, skills growth,
mentoring pairs, sessions and feedback, as aggregate figures (decision 0022).

Every figure is one ``GROUP BY`` query over a course or a platform; no learner's record is loaded and no free
text (plans, notes, messages, feedback) is read. Platform administrators see their platform (optionally one
course of it); a course's instructors see their course only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, and_, case, distinct, func, literal, select

from career_core.evidence import EvidenceSource
from career_core.mentoring_programme import RequestState
from lti_app.career.access import is_staff
from lti_app.career.errors import Forbidden, InvalidInput, NotFound
from lti_app.career.programme import skill_names
from lti_app.extensions import db
from lti_app.models.career import CheckInRecord, DevelopmentPlanRecord, EvidenceRecordRow, SelfAssessmentRecord
from lti_app.models.mentoring import (
    MentoringAskRecord,
    MentoringFeedbackRecord,
    MentoringRequestRecord,
    MentoringSessionRecord,
    MentorOfferRecord,
)
from lti_app.models.people import ADMINISTRATOR, LEARNER, Context, LaunchSession, Membership

BASES = {"self_rated": EvidenceSource.SELF_ASSESSMENT.value, "verified": EvidenceSource.MANAGER_VERIFICATION.value}


@dataclass(frozen=True)
class InsightScope:
    """What the figures cover: one platform, one course of it (``course_pk``) or all, and a period."""

    platform_id: int
    course_pk: int | None
    since: date | None
    until: date | None

    def courses(self) -> Select[Any]:
        """The ids of the contexts in scope."""
        query = select(Context.id).where(Context.platform_id == self.platform_id)
        return query.where(Context.id == self.course_pk) if self.course_pk is not None else query

    def career(self, model: Any) -> ColumnElement[bool]:
        """A career record (``context_pk`` is the course it was made in) in scope."""
        return model.context_pk.in_(self.courses())

    def programme(self, model: Any) -> ColumnElement[bool]:
        """A mentoring row in scope: its platform, and its course when one is chosen."""
        where = model.platform_id == self.platform_id
        return and_(where, model.context_pk == self.course_pk) if self.course_pk is not None else where

    def learners(self) -> Select[Any]:
        """The users who are learners of a course in scope."""
        return select(Membership.user_id).where(Membership.role == LEARNER, Membership.context_pk.in_(self.courses()))

    def during(self, column: Any) -> ColumnElement[bool]:
        """``column`` (a date or a timestamp) within the period, both ends included."""
        is_date = column.type.python_type is date
        conditions = []
        if self.since is not None:
            conditions.append(column >= (self.since if is_date else datetime.combine(self.since, time.min)))
        if self.until is not None:
            end = self.until + timedelta(days=1)
            conditions.append(column < (end if is_date else datetime.combine(end, time.min)))
        return and_(literal(True), *conditions)


def scope_for(
    session: LaunchSession, course_id: int | None = None, since: date | None = None, until: date | None = None
) -> InsightScope:
    """What the caller may see: an administrator their platform (or one of its courses), an instructor their
    course.

    :raise Forbidden: a learner, manager or mentor. :raise NotFound: a course not of the caller's platform, or
        (for an instructor) not the launch's course. :raise InvalidInput: ``since`` after ``until``.
    """
    if since is not None and until is not None and since > until:
        raise InvalidInput.field("since", "must not be after until")
    if session.role == ADMINISTRATOR:
        if course_id is not None:
            found = db.session.scalars(
                select(Context.id).where(Context.id == course_id, Context.platform_id == session.platform_id)
            ).first()
            if found is None:
                raise NotFound("No such course.")
        return InsightScope(session.platform_id, course_id, since, until)
    if not is_staff(session) or session.context_pk is None:
        raise Forbidden("Programme insight is for the platform's administrators and a course's instructors.")
    if course_id is not None and course_id != session.context_pk:
        raise NotFound("No such course.")
    return InsightScope(session.platform_id, session.context_pk, since, until)


def _month(column: Any) -> ColumnElement[str]:
    """``YYYY-MM`` of a date column, in the database's own dialect."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _count(query: Select[Any]) -> int:
    return int(db.session.scalar(query) or 0)


def participation(scope: InsightScope) -> dict[str, int]:
    def distinct_users(column: Any, *where: ColumnElement[bool]) -> int:
        return _count(select(func.count(distinct(column))).where(*where))

    return {
        "learners": distinct_users(Membership.user_id, Membership.role == LEARNER, scope.career(Membership)),
        "assessed": distinct_users(
            SelfAssessmentRecord.user_id,
            scope.career(SelfAssessmentRecord),
            scope.during(SelfAssessmentRecord.taken_at),
        ),
        "with_plan": distinct_users(
            DevelopmentPlanRecord.user_id,
            scope.career(DevelopmentPlanRecord),
            scope.during(DevelopmentPlanRecord.created_at),
        ),
        "with_checkin": distinct_users(
            CheckInRecord.user_id, scope.career(CheckInRecord), scope.during(CheckInRecord.held_on)
        ),
        "mentor_volunteers": distinct_users(MentorOfferRecord.user_id, scope.programme(MentorOfferRecord)),
        "asking_help": distinct_users(MentoringAskRecord.user_id, scope.programme(MentoringAskRecord)),
        "mentees": distinct_users(
            MentoringRequestRecord.mentee_user_id,
            scope.programme(MentoringRequestRecord),
            MentoringRequestRecord.state.in_((RequestState.ACCEPTED.value, RequestState.ENDED.value)),
            scope.during(MentoringRequestRecord.created_at),
        ),
        "mentors": distinct_users(
            MentoringRequestRecord.mentor_user_id,
            scope.programme(MentoringRequestRecord),
            MentoringRequestRecord.state.in_((RequestState.ACCEPTED.value, RequestState.ENDED.value)),
            scope.during(MentoringRequestRecord.created_at),
        ),
    }


def plans_by_state(scope: InsightScope) -> dict[str, int]:
    rows = db.session.execute(
        select(DevelopmentPlanRecord.status, func.count())
        .where(scope.career(DevelopmentPlanRecord), scope.during(DevelopmentPlanRecord.created_at))
        .group_by(DevelopmentPlanRecord.status)
        .order_by(DevelopmentPlanRecord.status)
    )
    return {status: int(count) for status, count in rows}


def checkins_per_month(scope: InsightScope) -> list[dict[str, Any]]:
    month = _month(CheckInRecord.held_on).label("month")
    rows = db.session.execute(
        select(month, func.count(), func.count(distinct(CheckInRecord.user_id)))
        .where(scope.career(CheckInRecord), scope.during(CheckInRecord.held_on))
        .group_by(month)
        .order_by(month)
    )
    return [{"month": m, "checkins": int(n), "learners": int(people)} for m, n, people in rows]


def _growth(scope: InsightScope, source: str) -> list[dict[str, Any]]:
    """Per skill: how many learners have evidence of this basis, and their first and latest levels on average."""
    ev = EvidenceRecordRow
    # Self-ratings count where the course made them; verification is about the person (it has no course), so it
    # counts for the learners of the courses in scope.
    in_scope = scope.career(ev) if source == BASES["self_rated"] else ev.user_id.in_(scope.learners())
    where = (ev.source == source, ev.level.is_not(None), in_scope, scope.during(ev.recorded_at))
    bounds = (
        select(
            ev.user_id.label("user_id"),
            ev.skill_code.label("skill_code"),
            func.min(ev.recorded_at).label("first_at"),
            func.max(ev.recorded_at).label("last_at"),
        )
        .where(*where)
        .group_by(ev.user_id, ev.skill_code)
        .subquery()
    )

    def level_at(moment: Any, name: str) -> Any:
        return (
            select(bounds.c.user_id, bounds.c.skill_code, func.min(ev.level).label("level"))
            .join(
                ev,
                and_(ev.user_id == bounds.c.user_id, ev.skill_code == bounds.c.skill_code, ev.recorded_at == moment),
            )
            .where(*where)
            .group_by(bounds.c.user_id, bounds.c.skill_code)
            .subquery(name)
        )

    first = level_at(bounds.c.first_at, "first_level")
    last = level_at(bounds.c.last_at, "last_level")
    rows = db.session.execute(
        select(
            first.c.skill_code,
            func.count(),
            func.avg(first.c.level),
            func.avg(last.c.level),
            func.sum(case((last.c.level > first.c.level, 1), else_=0).cast(Integer)),
        )
        .join(last, and_(last.c.user_id == first.c.user_id, last.c.skill_code == first.c.skill_code))
        .group_by(first.c.skill_code)
        .order_by(first.c.skill_code)
    )
    return [
        {
            "skill_code": code,
            "learners": int(n),
            "average_first": round(float(avg_first), 2),
            "average_latest": round(float(avg_last), 2),
            "improved": int(improved or 0),
        }
        for code, n, avg_first, avg_last, improved in rows
    ]


def skills_growth(scope: InsightScope) -> list[dict[str, Any]]:
    names = skill_names()
    return [
        {**row, "skill_name": names.get(row["skill_code"], row["skill_code"]), "basis": basis}
        for basis, source in BASES.items()
        for row in _growth(scope, source)
    ]


def mentoring(scope: InsightScope) -> dict[str, Any]:
    request, session, feedback = MentoringRequestRecord, MentoringSessionRecord, MentoringFeedbackRecord
    pairs = dict(
        db.session.execute(
            select(request.state, func.count())
            .where(scope.programme(request), scope.during(request.created_at))
            .group_by(request.state)
        ).all()
    )
    sessions_row = db.session.execute(
        select(func.count(), func.sum(case((session.pair_count > 1, 1), else_=0)), func.sum(session.pair_count)).where(
            scope.programme(session), scope.during(session.held_on)
        )
    ).one()
    month = _month(session.held_on).label("month")
    per_month = db.session.execute(
        select(month, func.count())
        .where(scope.programme(session), scope.during(session.held_on))
        .group_by(month)
        .order_by(month)
    )
    rated = (
        select(feedback.author_party, feedback.rating)
        .join(request, request.id == feedback.request_id)
        .where(scope.programme(request), scope.during(feedback.created_at))
        .subquery()
    )
    by_party = db.session.execute(
        select(rated.c.author_party, func.count(), func.avg(rated.c.rating))
        .group_by(rated.c.author_party)
        .order_by(rated.c.author_party)
    )
    by_rating = db.session.execute(
        select(rated.c.rating, func.count()).group_by(rated.c.rating).order_by(rated.c.rating)
    )
    overall = db.session.execute(select(func.count(), func.avg(rated.c.rating))).one()
    return {
        "pairs_by_state": {state.value: int(pairs.get(state.value, 0)) for state in RequestState},
        "sessions": {
            "total": int(sessions_row[0] or 0),
            "group": int(sessions_row[1] or 0),
            "attendances": int(sessions_row[2] or 0),
            "per_month": [{"month": m, "sessions": int(n)} for m, n in per_month],
        },
        "feedback": {
            "count": int(overall[0] or 0),
            "average_rating": round(float(overall[1]), 2) if overall[1] is not None else None,
            "by_rating": {str(rating): int(n) for rating, n in by_rating},
            "by_party": {
                party: {"count": int(n), "average_rating": round(float(avg), 2)} for party, n, avg in by_party
            },
        },
    }


def programme_insight(
    session: LaunchSession, course_id: int | None = None, since: date | None = None, until: date | None = None
) -> dict[str, Any]:
    """Every figure for the caller's scope. :raise Forbidden: :raise NotFound: :raise InvalidInput: (``scope_for``)"""
    scope = scope_for(session, course_id, since, until)
    course = db.session.get(Context, scope.course_pk) if scope.course_pk is not None else None
    return {
        "scope": {
            "course_id": scope.course_pk,
            "course_title": (course.title or course.label or course.lti_context_id) if course is not None else None,
            "since": scope.since,
            "until": scope.until,
        },
        "participation": participation(scope),
        "plans_by_state": plans_by_state(scope),
        "checkins_per_month": checkins_per_month(scope),
        "skills_growth": skills_growth(scope),
        "mentoring": mentoring(scope),
    }


CSV_HEADER = ("section", "key", "metric", "value")


def insight_rows(figures: dict[str, Any]) -> Iterator[tuple[str, str, str, Any]]:
    """The figures as long-format rows: (section, key, metric, value)."""
    for metric, value in figures["participation"].items():
        yield "participation", "", metric, value
    for status, value in figures["plans_by_state"].items():
        yield "plans_by_state", status, "plans", value
    for row in figures["checkins_per_month"]:
        yield "checkins_per_month", row["month"], "checkins", row["checkins"]
        yield "checkins_per_month", row["month"], "learners", row["learners"]
    for row in figures["skills_growth"]:
        key = f"{row['skill_code']} {row['basis']}"
        for metric in ("learners", "average_first", "average_latest", "improved"):
            yield "skills_growth", key, metric, row[metric]
    mentoring_figures = figures["mentoring"]
    for state, value in mentoring_figures["pairs_by_state"].items():
        yield "mentoring_pairs", state, "pairs", value
    for metric in ("total", "group", "attendances"):
        yield "mentoring_sessions", "", metric, mentoring_figures["sessions"][metric]
    for row in mentoring_figures["sessions"]["per_month"]:
        yield "mentoring_sessions", row["month"], "sessions", row["sessions"]
    feedback = mentoring_figures["feedback"]
    yield "mentoring_feedback", "", "count", feedback["count"]
    yield "mentoring_feedback", "", "average_rating", feedback["average_rating"]
    for rating, value in feedback["by_rating"].items():
        yield "mentoring_feedback", f"rating {rating}", "count", value
    for party, value in feedback["by_party"].items():
        yield "mentoring_feedback", party, "count", value["count"]
        yield "mentoring_feedback", party, "average_rating", value["average_rating"]


def _cell(value: Any) -> Any:
    # A spreadsheet runs a cell starting with = + - @ as a formula; no key here should, but none may.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def insight_csv(figures: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(tuple(_cell(value) for value in row) for row in insight_rows(figures))
    return out.getvalue()
