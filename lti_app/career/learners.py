"""An instructor's view of the learners of their own context: completion and plan status at a glance.

Staff see what their course produced and what each learner shared with it; reading a learner's private
records is logged for the learner to see (``audit``).
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import select

from career_core.plans import plan_progress
from lti_app.career import assessments, audit, careers, evidence, frameworks, plans, reflections
from lti_app.career.access import Subject, course_view, learner_of_context, require_staff, shares_in
from lti_app.career.errors import NotFound
from lti_app.extensions import db
from lti_app.models.people import LEARNER, LaunchSession, Membership


def _overview(session: LaunchSession, subject: Subject) -> dict[str, Any]:
    try:
        record = frameworks.framework_for_link(session)
    except NotFound:
        record = None
    completion = (
        assessments.assessment_completion(subject, record, [s["code"] for s in record.skills]).fraction
        if record
        else 0.0
    )
    sittings = assessments.sittings(subject)
    own_plans = plans.plans_of(subject)
    latest = own_plans[-1] if own_plans else None
    return {
        "user_id": subject.user_id,
        "name": subject.user.display_name,
        "assessment_count": len(sittings),
        "last_assessed_at": sittings[-1].taken_at.replace(tzinfo=UTC) if sittings else None,
        "assessment_completion": completion,
        "plan_id": latest.id if latest else None,
        "plan_status": latest.status if latest else None,
        "plan_progress": plan_progress(plans.plan_of(latest)) if latest else None,
        "reflections_complete": sum(1 for r in reflections.list_reflections(session, subject) if r["complete"]),
    }


def list_learners(session: LaunchSession) -> list[dict[str, Any]]:
    """Learners of the caller's context. :raise Forbidden: the caller is not staff there."""
    require_staff(session)
    memberships = db.session.scalars(
        select(Membership)
        .where(Membership.context_pk == session.context_pk, Membership.role == LEARNER)
        .order_by(Membership.id)
    )
    shares = shares_in(session.context_pk) if session.context_pk is not None else {}
    return [
        _overview(session, course_view(m.user, m.context_pk, shares.get(m.user_id, frozenset()))) for m in memberships
    ]


def _read(session: LaunchSession, user_id: int, what: str) -> Subject:
    """The learner as the caller's course sees them, the read logged. :raise Forbidden: :raise NotFound:"""
    subject = learner_of_context(session, user_id)
    audit.record_read(session, subject.user_id, what)
    return subject


def learner(session: LaunchSession, user_id: int) -> dict[str, Any]:
    subject = _read(session, user_id, "overview and target role")
    return {**_overview(session, subject), "target": careers.target_of(session, subject)}


def learner_assessments(session: LaunchSession, user_id: int) -> dict[str, Any]:
    return assessments.history(_read(session, user_id, "self-assessments"))


def learner_plans(session: LaunchSession, user_id: int) -> list[dict[str, Any]]:
    return plans.list_plans(session, _read(session, user_id, "development plans"))


def learner_reflections(session: LaunchSession, user_id: int) -> list[dict[str, Any]]:
    return reflections.list_reflections(session, _read(session, user_id, "reflections"))


def learner_reflection(session: LaunchSession, user_id: int, key: str) -> dict[str, Any]:
    return reflections.reflection_of(session, key, _read(session, user_id, f"reflection {key}"))


def learner_evidence(session: LaunchSession, user_id: int) -> dict[str, Any]:
    return evidence.evidence_with_attribution(_read(session, user_id, "skill evidence"))


def learner_gap(session: LaunchSession, user_id: int, role_code: str) -> dict[str, Any]:
    return careers.gap_to_role(session, role_code, _read(session, user_id, f"gap to {role_code}"[:100]))
