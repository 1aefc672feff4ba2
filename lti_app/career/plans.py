"""Development plans: create and edit (career_core validates), the review workflow, and check-ins.

The owner edits their plan from the platform where they made it (and reads it from every course and linked
platform); instructors and administrators of the plan's course read it, move it through review and record
check-ins; staff of a course the learner shared their plans with read them. Everyone else gets 404, as if the
plan did not exist. Staff reads are logged for the learner to see.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date
from typing import Any

from sqlalchemy import select

from career_core.checkins import CheckInAuthorRole, checkin_to_dict, parse_checkin
from career_core.errors import ValidationError
from career_core.evidence_rules import goal_evidence
from career_core.plan_workflow import (
    TRANSITIONS,
    PlanAction,
    PlanActor,
    WorkflowError,
    allowed_actions,
    apply_transition,
)
from career_core.plans import DevelopmentPlan, overdue_goals, parse_plan, plan_progress, plan_to_dict
from career_core.scales import ProficiencyScale
from career_core.scoring import ComponentKind, development_plan_completion
from lti_app.career import audit, frameworks, grading
from lti_app.career.access import Subject, is_staff, learner_id, own, person_ids, shared_kinds
from lti_app.career.careers import catalog
from lti_app.career.errors import Conflict, Forbidden, InvalidInput, NotFound
from lti_app.career.evidence import record_evidence
from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.career import CheckInRecord, DevelopmentPlanRecord
from lti_app.models.people import ADMINISTRATOR, LaunchSession

_FALSE = {"false", "0", "no", "off"}
EDITABLE_FIELDS = ("target_role_code", "vision", "goals", "actions")


# --- access ---------------------------------------------------------------------------------------------------


def _find(session: LaunchSession, plan_id: int) -> DevelopmentPlanRecord:
    """A plan the caller may see: the person's own, or, for staff, one their course produced or one the learner
    shared with their course. :raise NotFound:"""
    record = db.session.get(DevelopmentPlanRecord, plan_id)
    if record is None or session.context_pk is None:
        raise NotFound("No such plan.")
    if record.user_id in person_ids(session.user):
        return record
    if is_staff(session) and (
        record.context_pk == session.context_pk or "plans" in shared_kinds(person_ids(record.user), session.context_pk)
    ):
        audit.record_read(session, record.user_id, f"plan {record.id}")
        return record
    raise NotFound("No such plan.")


def _owned(session: LaunchSession, plan_id: int) -> DevelopmentPlanRecord:
    """:raise NotFound: not visible. :raise Forbidden: visible but not the caller's to edit here (staff, or a
    plan the person made on another linked platform)."""
    record = _find(session, plan_id)
    if record.user_id != session.user_id:
        raise Forbidden("Only the plan's owner may edit it, from the platform where it was made.")
    return record


def _reviews_here(session: LaunchSession, record: DevelopmentPlanRecord) -> bool:
    """Staff review and coach the plans their course produced; a plan shared with them is only read."""
    return is_staff(session) and record.context_pk == session.context_pk


def actor_for(session: LaunchSession, record: DevelopmentPlanRecord) -> PlanActor | None:
    """The owner acts as owner; staff of the plan's course as instructor or administrator."""
    if record.user_id == session.user_id:
        return PlanActor.OWNER
    if not _reviews_here(session, record):
        return None
    if session.role == ADMINISTRATOR:
        return PlanActor.ADMINISTRATOR
    return PlanActor.INSTRUCTOR


# --- conversion -------------------------------------------------------------------------------------------------


def _scale(session: LaunchSession) -> ProficiencyScale:
    """The scale goal target levels are on: the placement's framework's, else O*NET's."""
    try:
        return frameworks.framework_of(frameworks.framework_for_link(session)).scale
    except NotFound:
        return catalog().scale


def _parse(data: Mapping[str, Any], session: LaunchSession) -> DevelopmentPlan:
    errors: dict[str, list[str]] = {}
    role = data.get("target_role_code")
    if role and role not in catalog().catalog:
        errors["target_role_code"] = [f"{role!r} is not an O*NET occupation"]
    try:
        plan = parse_plan(data, scale=_scale(session))
    except ValidationError as error:
        for field, messages in InvalidInput.from_domain(error).errors.items():
            errors.setdefault(field, []).extend(messages)
        raise InvalidInput(errors) from error
    if errors:
        raise InvalidInput(errors)
    return plan


def plan_of(record: DevelopmentPlanRecord) -> DevelopmentPlan:
    return parse_plan(record.plan)


def plan_json(record: DevelopmentPlanRecord, session: LaunchSession) -> dict[str, Any]:
    plan = plan_of(record)
    actor = actor_for(session, record)
    completion = development_plan_completion(plan)
    body = plan_to_dict(plan)
    del body["owner"]
    return {
        "id": record.id,
        "owner": {"user_id": record.user_id, "name": record.user.display_name},
        **body,
        "progress": plan_progress(plan),
        "completion": completion.fraction,
        "complete": completion.complete,
        "overdue_goal_ids": [goal.id for goal in overdue_goals(plan, date.today())],
        "allowed_actions": [
            a.value
            for a in (allowed_actions(plan.status, actor, requires_review=plan.requires_review) if actor else ())
        ],
        "created_at": record.created_at.replace(tzinfo=UTC),
        "updated_at": record.updated_at.replace(tzinfo=UTC),
    }


def _requires_review(session: LaunchSession) -> bool:
    """The placement's ``requires_review`` setting; review is required unless it says otherwise."""
    settings = session.resource_link.settings if session.resource_link is not None else {}
    value = (settings or {}).get("requires_review")
    if isinstance(value, bool):
        return value
    return not (isinstance(value, str) and value.strip().lower() in _FALSE)


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


# --- reads ------------------------------------------------------------------------------------------------------


def plans_of(subject: Subject) -> list[DevelopmentPlanRecord]:
    return list(
        db.session.scalars(
            select(DevelopmentPlanRecord)
            .where(subject.where(DevelopmentPlanRecord, "plans"))
            .order_by(DevelopmentPlanRecord.created_at, DevelopmentPlanRecord.id)
        )
    )


def list_plans(session: LaunchSession, subject: Subject | None = None) -> list[dict[str, Any]]:
    """The caller's plans from every course (or a learner's as a course's staff see them: pass ``subject``)."""
    return [plan_json(record, session) for record in plans_of(subject or own(session))]


def get_plan(session: LaunchSession, plan_id: int) -> dict[str, Any]:
    return plan_json(_find(session, plan_id), session)


# --- writes -----------------------------------------------------------------------------------------------------


def create_plan(session: LaunchSession, data: Mapping[str, Any]) -> dict[str, Any]:
    """A new draft plan for the caller. Goals and actions without an ``id`` get one. Commits.

    :raise InvalidInput: every rule the plan breaks (career_core's ``parse_plan``).
    """
    subject = own(session)
    body = {key: data[key] for key in EDITABLE_FIELDS if key in data}
    body["goals"] = [{"id": _new_id(), **goal} for goal in body.get("goals") or []]
    body["actions"] = [{"id": _new_id(), **action} for action in body.get("actions") or []]
    plan = _parse(
        {**body, "owner": subject.learner_id, "status": "draft", "requires_review": _requires_review(session)},
        session,
    )
    now = utcnow()
    record = DevelopmentPlanRecord(
        user_id=subject.user_id,
        context_pk=subject.context_pk,
        resource_link_pk=session.resource_link_pk,
        status=plan.status.value,
        requires_review=plan.requires_review,
        plan=plan_to_dict(plan),
        created_at=now,
        updated_at=now,
    )
    db.session.add(record)
    db.session.flush()
    _after_change(session, record, None, plan)
    db.session.commit()
    return plan_json(record, session)


def update_plan(session: LaunchSession, plan_id: int, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Replace the given fields (target role, vision, goals, actions) of the caller's plan. Commits.

    Status and the review flag are not editable here: status moves only through the workflow.
    """
    record = _owned(session, plan_id)
    return _save(session, record, {key: changes[key] for key in EDITABLE_FIELDS if key in changes})


def add_goal(session: LaunchSession, plan_id: int, goal: Mapping[str, Any]) -> dict[str, Any]:
    record = _owned(session, plan_id)
    return _save(session, record, {"goals": [*record.plan["goals"], {"id": _new_id(), **goal}]})


def add_action(session: LaunchSession, plan_id: int, action: Mapping[str, Any]) -> dict[str, Any]:
    record = _owned(session, plan_id)
    return _save(session, record, {"actions": [*record.plan["actions"], {"id": _new_id(), **action}]})


def _save(session: LaunchSession, record: DevelopmentPlanRecord, changes: Mapping[str, Any]) -> dict[str, Any]:
    before = plan_of(record)
    plan = _parse({**record.plan, **changes}, session)
    record.plan = plan_to_dict(plan)
    record.updated_at = utcnow()
    _after_change(session, record, before, plan)
    db.session.commit()
    return plan_json(record, session)


def take_action(session: LaunchSession, plan_id: int, action: str) -> dict[str, Any]:
    """Move a plan through the review workflow as the caller's actor. Commits.

    :raise NotFound: not visible. :raise InvalidInput: unknown action. :raise Forbidden: the step exists
    from this status but is not open to this actor. :raise Conflict: the step is not possible from here.
    """
    record = _find(session, plan_id)
    actor = actor_for(session, record)
    try:
        step = PlanAction(action)
    except ValueError:
        raise InvalidInput.field(
            "action", f"{action!r} is not one of {', '.join(a.value for a in PlanAction)}"
        ) from None
    if actor is None:
        raise Forbidden("Only the plan's owner or the staff of the course it was made in may do this.")
    before = plan_of(record)
    try:
        plan = apply_transition(before, step, actor)
    except WorkflowError as error:
        # career_core's table says whether the step exists from this status: if so, the actor is the problem.
        exists = (before.status, step) in TRANSITIONS
        raise (Forbidden if exists else Conflict)(str(error)) from error
    record.plan = plan_to_dict(plan)
    record.status = plan.status.value
    record.updated_at = utcnow()
    _after_change(session, record, before, plan)
    db.session.commit()
    return plan_json(record, session)


def _after_change(
    session: LaunchSession, record: DevelopmentPlanRecord, before: DevelopmentPlan | None, plan: DevelopmentPlan
) -> None:
    """Evidence for newly achieved skill goals and the plan's score, in the caller's transaction."""
    record.status = plan.status.value
    owner = record.user
    subject = Subject(owner, record.context_pk)
    achieved = goal_evidence(
        learner_id=learner_id(owner),
        before=before,
        after=plan,
        recorded_at=utcnow().replace(tzinfo=UTC),
        activity_id=f"development-plan/{record.id}",
    )
    if achieved:
        try:
            framework_pk: int | None = frameworks.framework_for_link(session).id
        except NotFound:
            framework_pk = None
        record_evidence(subject, achieved, resource_link_pk=record.resource_link_pk, framework_pk=framework_pk)
    before_completion = development_plan_completion(before) if before else None
    completion = development_plan_completion(plan)
    if completion != before_completion:
        grading.publish_completion(_owner_launch(session, record), ComponentKind.DEVELOPMENT_PLAN, completion)


def _owner_launch(session: LaunchSession, record: DevelopmentPlanRecord) -> LaunchSession | None:
    """The launch whose line item a plan's score goes to: the owner's own (latest) launch of the plan's
    placement, even when a reviewer's action changed the completion."""
    if session.user_id == record.user_id:
        return session
    if record.resource_link_pk is None:
        return None
    return db.session.scalars(
        select(LaunchSession)
        .where(LaunchSession.user_id == record.user_id, LaunchSession.resource_link_pk == record.resource_link_pk)
        .order_by(LaunchSession.created_at.desc())
    ).first()


# --- check-ins ------------------------------------------------------------------------------------------------


def add_checkin(session: LaunchSession, plan_id: int, data: Mapping[str, Any]) -> dict[str, Any]:
    """Record a check-in on a plan, by its owner (as learner) or by staff of its context (in their own name, as
    their role: a course's staff coach as mentor). Managers and mentors the learner invited record theirs through
    ``lti_app.career.partners``. Commits."""
    record = _find(session, plan_id)
    if record.user_id != session.user_id and not _reviews_here(session, record):
        raise Forbidden("Record check-ins on this plan from the course it was made in.")
    role = CheckInAuthorRole.LEARNER if record.user_id == session.user_id else CheckInAuthorRole.MENTOR
    return record_checkin(session, record, role, data)


def record_checkin(
    session: LaunchSession, record: DevelopmentPlanRecord, role: CheckInAuthorRole, data: Mapping[str, Any]
) -> dict[str, Any]:
    """Store a check-in whose author is the caller's launch (never a name or role the client sends). Commits.

    :raise InvalidInput: what career_core's ``parse_checkin`` refuses.
    """
    body = {key: value for key, value in data.items() if key not in ("author_role", "author_name")}
    try:
        checkin = parse_checkin({**body, "author_role": role.value, "author_name": session.user.display_name})
    except ValidationError as error:
        raise InvalidInput.from_domain(error) from error
    row = CheckInRecord(
        plan_id=record.id,
        user_id=record.user_id,
        context_pk=record.context_pk,
        author_user_id=session.user_id,
        held_on=checkin.held_on,
        checkin=checkin_to_dict(checkin),
    )
    db.session.add(row)
    db.session.commit()
    return checkin_json(row)


def list_checkins(session: LaunchSession, plan_id: int) -> list[dict[str, Any]]:
    """Check-ins newest first (same-day ones in the order they were recorded)."""
    record = _find(session, plan_id)
    rows = db.session.scalars(
        select(CheckInRecord)
        .where(CheckInRecord.plan_id == record.id)
        .order_by(CheckInRecord.held_on.desc(), CheckInRecord.id)
    )
    return [checkin_json(row) for row in rows]


def checkins_of(record: DevelopmentPlanRecord) -> list[dict[str, Any]]:
    """Every check-in on a plan, oldest first (for the owner's export)."""
    query = select(CheckInRecord).where(CheckInRecord.plan_id == record.id).order_by(CheckInRecord.id)
    rows = db.session.scalars(query)
    return [checkin_json(row) for row in rows]


def plan_of_json(record: DevelopmentPlanRecord) -> dict[str, Any]:
    """A plan as stored (career_core's form) with its dates, for the owner's export."""
    return {
        "id": record.id,
        **plan_to_dict(plan_of(record)),
        "created_at": record.created_at.replace(tzinfo=UTC),
        "updated_at": record.updated_at.replace(tzinfo=UTC),
    }


def checkin_json(row: CheckInRecord) -> dict[str, Any]:
    return {"id": row.id, "plan_id": row.plan_id, **row.checkin, "created_at": row.created_at.replace(tzinfo=UTC)}
