"""An instructor's view of the learners of their own context: completion and plan status at a glance.

Staff see what their course produced and what each learner shared with it; reading a learner's private
records is logged for the learner to see (``audit``).
"""

from __future__ import annotations

from typing import Any

from lti_app.career import assessments, audit, careers, cohort, evidence, plans, reflections
from lti_app.career.access import Subject, learner_of_context, require_staff
from lti_app.career.paging import FIRST_PAGE, Paging
from lti_app.models.people import LaunchSession


def list_learners(session: LaunchSession, paging: Paging = FIRST_PAGE) -> dict[str, Any]:
    """A page of the learners of the caller's context (in the order they first launched), with the paging
    envelope; a fixed number of queries per page. :raise Forbidden: the caller is not staff there."""
    require_staff(session)
    assert session.context_pk is not None
    total = cohort.count_learners(session.context_pk)
    ids = cohort.learner_ids_page(session.context_pk, paging.offset, paging.per_page)
    found = cohort.overviews(session, ids)
    return {"learners": [found[user_id] for user_id in ids if user_id in found], **paging.envelope(total)}


def _read(session: LaunchSession, user_id: int, what: str) -> Subject:
    """The learner as the caller's course sees them, the read logged. :raise Forbidden: :raise NotFound:"""
    subject = learner_of_context(session, user_id)
    audit.record_read(session, subject.user_id, what)
    return subject


def learner(session: LaunchSession, user_id: int) -> dict[str, Any]:
    subject = _read(session, user_id, "overview and target role")
    overview = cohort.overviews(session, [subject.user_id])[subject.user_id]
    return {**overview, "target": careers.target_of(session, subject)}


def learner_assessments(session: LaunchSession, user_id: int, paging: Paging = FIRST_PAGE) -> dict[str, Any]:
    return assessments.history(_read(session, user_id, "self-assessments"), paging=paging)


def learner_plans(session: LaunchSession, user_id: int) -> list[dict[str, Any]]:
    return plans.list_plans(session, _read(session, user_id, "development plans"))


def learner_reflections(session: LaunchSession, user_id: int) -> list[dict[str, Any]]:
    return reflections.list_reflections(session, _read(session, user_id, "reflections"))


def learner_reflection(session: LaunchSession, user_id: int, key: str) -> dict[str, Any]:
    return reflections.reflection_of(session, key, _read(session, user_id, f"reflection {key}"))


def learner_evidence(session: LaunchSession, user_id: int, paging: Paging = FIRST_PAGE) -> dict[str, Any]:
    return evidence.evidence_with_attribution(_read(session, user_id, "skill evidence"), paging)


def learner_gap(session: LaunchSession, user_id: int, role_code: str) -> dict[str, Any]:
    return careers.gap_to_role(session, role_code, _read(session, user_id, f"gap to {role_code}"[:100]))
