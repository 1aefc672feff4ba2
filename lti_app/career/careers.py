"""Roles from the packaged O*NET catalog, gaps to them, ranked next roles, paths, and the learner's target.

Roles are not stored: they come from ``load_onet_catalog()`` (see docs/decisions/0002). Everything here
that shows O*NET data returns the catalog's attribution with it.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from sqlalchemy import select

from career_core.errors import ValidationError
from career_core.gaps import GapReport, SkillGap, gap_analysis
from career_core.onet import OnetCatalog, load_onet_catalog
from career_core.paths import cheapest_path
from career_core.ranking import rank_roles
from career_core.roles import Role
from career_core.scoring import ComponentKind, career_path_completion
from lti_app.career import frameworks, grading
from lti_app.career.access import Subject, own
from lti_app.career.assessments import profile
from lti_app.career.errors import Forbidden, InvalidInput, NotFound
from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.career import CareerTargetRecord
from lti_app.models.people import LaunchSession

MAX_RESULTS = 50


def catalog() -> OnetCatalog:
    return load_onet_catalog()


def attribution() -> dict[str, str]:
    onet = catalog()
    return {"attribution": onet.attribution, "license_url": onet.license_url}


def find_role(code: str) -> Role:
    """:raise NotFound: no occupation with this O*NET-SOC code."""
    role = catalog().catalog.get(code)
    if role is None:
        raise NotFound(f"No role {code!r}.")
    return role


def _skill_names() -> dict[str, str]:
    return {skill.code: skill.name for skill in catalog().framework.skills}


def role_summary(role: Role) -> dict[str, Any]:
    return {"code": role.code, "title": role.title, "job_zone": role.job_zone}


def search_roles(query: str, limit: int = 20) -> dict[str, Any]:
    """Occupations whose title or code matches ``query``; every occupation by title when it is blank."""
    limit = max(1, min(limit, MAX_RESULTS))
    onet = catalog()
    roles = onet.catalog.search(query, limit) if query.strip() else sorted(onet.roles, key=lambda r: r.title)[:limit]
    return {"roles": [role_summary(role) for role in roles], **attribution()}


def role_detail(code: str) -> dict[str, Any]:
    """One occupation: its requirements in words and its related occupations."""
    role = find_role(code)
    onet = catalog()
    names = _skill_names()
    return {
        **role_summary(role),
        "description": role.description,
        "requirements": [
            {
                "skill_code": req.skill_code,
                "skill_name": names.get(req.skill_code, req.skill_code),
                "level": req.level,
                "level_name": onet.scale.nearest_level(req.level).name,
                "importance": req.importance,
            }
            for req in sorted(role.requirements, key=lambda r: (-r.importance, r.skill_code))
        ],
        "related": [
            {**role_summary(onet.role(t.to_code)), "strength": t.strength}
            for t in onet.catalog.transitions_from(role.code)
        ],
        **attribution(),
    }


# --- the learner's profile against roles -----------------------------------------------------------------


def onet_profile(subject: Subject, session: LaunchSession) -> dict[str, float]:
    """The subject's O*NET skill levels (see ``assessments.profile``); empty when O*NET is not loaded yet."""
    try:
        record = frameworks.find_framework(session, frameworks.onet_identifier())
    except NotFound:
        return {}
    return profile(subject, record.id)


def _gap_json(item: SkillGap, names: dict[str, str]) -> dict[str, Any]:
    return {
        "skill_code": item.skill_code,
        "skill_name": names.get(item.skill_code, item.skill_code),
        "current": item.current,
        "required": item.required,
        "importance": item.importance,
        "gap": item.gap,
        "weighted_gap": item.weighted_gap,
        "rated": item.rated,
        "met": item.met,
    }


def gap_json(report: GapReport) -> dict[str, Any]:
    names = _skill_names()
    return {
        "role": role_summary(find_role(report.role_code)),
        "fit": report.fit,
        "total_weighted_gap": report.total_weighted_gap,
        "items": [_gap_json(i, names) for i in report.items],
        "strengths": [_gap_json(i, names) for i in report.strengths],
        "top_gaps": [_gap_json(i, names) for i in report.top_gaps],
        "unrated": list(report.unrated),
        **attribution(),
    }


def gap_to_role(session: LaunchSession, code: str, subject: Subject | None = None, top_n: int = 5) -> dict[str, Any]:
    """How far the subject (default: the caller) is from ``code``, skill by skill."""
    role = find_role(code)
    subject = subject or own(session)
    return gap_json(gap_analysis(onet_profile(subject, session), role, top_n=max(0, min(top_n, 35))))


def next_roles(
    session: LaunchSession, *, limit: int = 10, from_code: str | None = None, explain: int = 5
) -> dict[str, Any]:
    """Roles ranked by fit to the caller's profile, each explained by the skills that cost it most fit.

    With ``from_code`` only the occupations related to that one are ranked (the realistic next moves).
    """
    subject = own(session)
    onet = catalog()
    levels = onet_profile(subject, session)
    limit = max(1, min(limit, MAX_RESULTS))
    if from_code:
        origin = find_role(from_code)
        strengths = {t.to_code: t.strength for t in onet.catalog.transitions_from(origin.code)}
        fits = rank_roles(levels, [onet.role(code) for code in strengths], limit)
    else:
        strengths = {}
        fits = rank_roles(levels, onet.role_index, limit)
    names = _skill_names()
    explain = max(0, min(explain, 35))
    return {
        "profile_size": len(levels),
        "from": role_summary(find_role(from_code)) if from_code else None,
        "roles": [
            {
                **role_summary(fit.role),
                "fit": fit.fit,
                "total_weighted_gap": fit.total_weighted_gap,
                "strength": strengths.get(fit.role.code),
                "explanation": [
                    {
                        "skill_code": c.skill_code,
                        "skill_name": names.get(c.skill_code, c.skill_code),
                        "current": c.current,
                        "required": c.required,
                        "importance": c.importance,
                        "gap": c.gap,
                        "fit_loss": c.fit_loss,
                    }
                    for c in fit.contributions[:explain]
                    if c.fit_loss > 0
                ],
            }
            for fit in fits
        ],
        **attribution(),
    }


def career_path(session: LaunchSession, *, to_code: str | None, from_code: str | None) -> dict[str, Any]:
    """The cheapest route from ``from_code`` (default: the current role the learner gave with their target)
    to ``to_code`` (default: their target). ``found`` is False when no route exists.

    :raise InvalidInput: a missing start or goal. :raise NotFound: an unknown role.
    """
    subject = own(session)
    target = _target_record(session, subject)
    to_code = to_code or (target.target_role_code if target else None)
    from_code = from_code or (target.current_role_code if target else None)
    errors: dict[str, list[str]] = {}
    if not to_code:
        errors["to"] = ["name the target role, or choose one with PUT /api/v1/career/target"]
    if not from_code:
        errors["from"] = ["name the current role, or give current_role_code with your target"]
    if errors:
        raise InvalidInput(errors)
    assert to_code is not None and from_code is not None
    start, goal = find_role(from_code), find_role(to_code)
    onet = catalog()
    try:
        path = cheapest_path(onet.catalog, onet_profile(subject, session), start.code, goal.code)
    except ValidationError as error:
        raise InvalidInput.from_domain(error) from error
    names = _skill_names()
    return {
        "from": role_summary(start),
        "to": role_summary(goal),
        "found": path is not None,
        "total_cost": path.total_cost if path else None,
        "steps": [
            {
                "from": role_summary(onet.role(step.from_code)),
                "to": role_summary(onet.role(step.to_code)),
                "strength": step.transition.strength,
                "cost": step.cost,
                "gaps": [_gap_json(g, names) for g in step.gaps],
            }
            for step in (path.steps if path else ())
        ],
        **attribution(),
    }


# --- target role --------------------------------------------------------------------------------------------


def _target_record(session: LaunchSession, subject: Subject) -> CareerTargetRecord | None:
    """The target chosen from this placement, else the latest one the reader may see (for the learner: chosen
    in any course)."""
    query = select(CareerTargetRecord).where(subject.where(CareerTargetRecord, "targets"))
    records = list(db.session.scalars(query.order_by(CareerTargetRecord.updated_at.desc(), CareerTargetRecord.id)))
    for record in records:
        if record.resource_link_pk == session.resource_link_pk:
            return record
    return records[0] if records else None


def target_json(record: CareerTargetRecord | None) -> dict[str, Any]:
    if record is None:
        return {"target": None, "current": None, "gap_reviewed": False, "updated_at": None, **attribution()}
    current = catalog().catalog.get(record.current_role_code) if record.current_role_code else None
    return {
        "target": role_summary(find_role(record.target_role_code)),
        "current": role_summary(current) if current else None,
        "gap_reviewed": record.gap_reviewed_at is not None,
        "updated_at": record.updated_at.replace(tzinfo=UTC),
        **attribution(),
    }


def target_of(session: LaunchSession, subject: Subject | None = None) -> dict[str, Any]:
    return target_json(_target_record(session, subject or own(session)))


def set_target(
    session: LaunchSession, role_code: str, *, current_role_code: str | None = None, gap_reviewed: bool = False
) -> dict[str, Any]:
    """Choose the target role for this placement (and optionally the role held now). Commits.

    ``gap_reviewed`` says the learner has looked at the gap to the target; for a learner's launch of a
    career-path placement the completion (career_core) goes to the grade outbox in the same transaction.

    :raise Forbidden: a launch without a resource link. :raise NotFound: an unknown role.
    """
    subject = own(session)
    if session.resource_link_pk is None:
        raise Forbidden("Choose a target from a launched activity.")
    errors: dict[str, list[str]] = {}
    if role_code not in catalog().catalog:
        errors["role_code"] = [f"{role_code!r} is not an O*NET occupation"]
    if current_role_code and current_role_code not in catalog().catalog:
        errors["current_role_code"] = [f"{current_role_code!r} is not an O*NET occupation"]
    if errors:
        raise InvalidInput(errors)
    record = db.session.scalars(
        select(CareerTargetRecord).filter_by(
            user_id=subject.user_id, context_pk=subject.context_pk, resource_link_pk=session.resource_link_pk
        )
    ).first()
    now = utcnow()
    if record is None:
        record = CareerTargetRecord(
            user_id=subject.user_id, context_pk=subject.context_pk, resource_link_pk=session.resource_link_pk
        )
        db.session.add(record)
    if record.target_role_code != role_code:
        record.gap_reviewed_at = None  # a new target has a new gap to review
    record.target_role_code = role_code
    record.current_role_code = current_role_code or None
    if gap_reviewed:
        record.gap_reviewed_at = record.gap_reviewed_at or now
    record.updated_at = now
    completion = career_path_completion(record.target_role_code, record.gap_reviewed_at is not None)
    grading.publish_completion(session, ComponentKind.CAREER_PATH, completion)
    db.session.commit()
    return {**target_json(record), "completion": completion.fraction, "complete": completion.complete}
