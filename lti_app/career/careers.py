"""Roles from the packaged O*NET catalog, gaps to them, ranked next roles, paths, and the learner's target.

Roles are not stored: they come from ``load_onet_catalog()`` (see docs/decisions/0002). Everything here
that shows O*NET data returns the catalog's attribution with it.
"""

from __future__ import annotations

import functools
from datetime import UTC
from typing import Any

from sqlalchemy import Select, bindparam, select

from career_core import occupation_traits
from career_core.errors import ValidationError
from career_core.gaps import GapReport, SkillGap, gap_analysis
from career_core.occupation_traits import job_zone_meaning
from career_core.onet import OnetCatalog, load_onet_catalog
from career_core.onet_details import OnetDetails, anchored_levels, load_onet_details
from career_core.paths import cheapest_path
from career_core.preferences import preferences_from_exercises
from career_core.ranking import rank_roles
from career_core.recommend import Recommendation, Recommendations, SkillNote, recommend
from career_core.roles import Role
from career_core.scoring import ComponentKind, career_path_completion
from lti_app.career import frameworks, grading, reflections
from lti_app.career.access import Subject, own
from lti_app.career.assessments import profile
from lti_app.career.errors import CareerServiceError, Forbidden, InvalidInput, NotFound
from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.career import CareerTargetRecord
from lti_app.models.people import LaunchSession

MAX_RESULTS = 50
SUGGESTIONS = 8


def catalog() -> OnetCatalog:
    return load_onet_catalog()


def details() -> OnetDetails:
    return load_onet_details()


class UnknownRole(CareerServiceError):
    """Typed text that names no occupation outright; ``suggestions`` are the closest matches to offer."""

    status = 400

    def __init__(self, text: str, suggestions: list[dict[str, Any]], field: str = "role") -> None:
        if suggestions:
            message = f"“{text}” is not an O*NET occupation title or code. Did you mean one of these?"
        else:
            message = f"“{text}” is not an O*NET occupation, and no title comes close. Try other words for the job."
        super().__init__(message)
        self.text = text
        self.field = field
        self.suggestions = suggestions


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


def _found(code: str, matched_title: str | None = None) -> dict[str, Any]:
    occupation = details().occupation(code)
    return {
        "code": occupation.code,
        "title": occupation.title,
        "job_zone": occupation.job_zone,
        "rated": occupation.code in catalog().catalog,
        "matched_title": matched_title,
    }


def _with_stand_in(found: dict[str, Any]) -> dict[str, Any]:
    """A search result; an unrated one names the closest rated occupation to use for gaps instead."""
    stand_ins = [] if found["rated"] else details().stand_ins(found["code"], catalog().catalog, limit=1)
    return {**found, "stand_in": role_summary(stand_ins[0].role) if stand_ins else None}


def search_roles(query: str, limit: int = 20) -> dict[str, Any]:
    """Occupations best matching ``query`` by any title O*NET knows them by (stems and small typos tolerated);
    every occupation by title when it is blank. ``rated`` says whether O*NET rates its skills."""
    limit = max(1, min(limit, MAX_RESULTS))
    if query.strip():
        matches = details().search(query, limit)
        found = [_with_stand_in(_found(m.code, m.matched_title if m.matched_other_title else None)) for m in matches]
    else:
        everything = sorted(details().occupations.values(), key=lambda o: o.title)[:limit]
        found = [_with_stand_in(_found(o.code)) for o in everything]
    return {"query": query, "roles": found, **attribution()}


def suggestions(text: str, limit: int = SUGGESTIONS) -> list[dict[str, Any]]:
    return search_roles(text, limit)["roles"] if text.strip() else []


def resolve_role(text: str, *, field: str = "role", rated: bool = False) -> str | None:
    """The O*NET code ``text`` names outright (a code, or an official title up to case and plural); None if blank.

    With ``rated`` the occupation must have skill ratings (a target to measure gaps against).
    :raise UnknownRole: anything else, with the closest matches as suggestions.
    """
    text = text.strip()
    if not text:
        return None
    code = details().title_index.exact(text)
    if code is not None and (not rated or code in catalog().catalog):
        return code
    offered = suggestions(text)
    if rated:
        offered = [s for s in offered if s["rated"]] or offered
    raise UnknownRole(text, offered, field)


def role_problem(code: str) -> str:
    """Why ``code`` cannot be a target, with what the person may have meant."""
    if code in details().occupations:
        offered = [f"{s.role.code} {s.role.title}" for s in details().stand_ins(code, catalog().catalog)]
        hint = f"; did you mean a related rated one: {', '.join(offered)}?" if offered else ""
        return f"{code!r} has no skill ratings in O*NET, so no gap can be measured{hint}"
    offered = [f"{s['code']} {s['title']}" for s in suggestions(code, 3) if s["rated"]]
    hint = f"; did you mean {', '.join(offered)}?" if offered else ""
    return f"{code!r} is not an O*NET occupation{hint}"


def role_detail(code: str) -> dict[str, Any]:
    """Everything O*NET says about one occupation, rated or not: what the work is, what it takes, the skills
    with their levels (each level also in the skill's own terms), and the moves out of it and into it.

    An occupation without skill ratings has no ``requirements``; ``stand_ins`` name the closest rated
    occupations to measure gaps against. :raise NotFound: no O*NET occupation with this code.
    """
    info = details()
    occupation = info.get(code)
    if occupation is None:
        raise NotFound(f"No role {code!r}.")
    onet = catalog()
    role = onet.catalog.get(code)
    skills = {skill.code: skill for skill in onet.framework.skills}
    zone = occupation_traits.job_zone_meaning(occupation.job_zone) if occupation.job_zone else None
    requirements = []
    for req in sorted(role.requirements if role else (), key=lambda r: (-r.importance, r.skill_code)):
        skill = skills.get(req.skill_code)
        levels = anchored_levels(onet.scale, info.level_anchors(req.skill_code))
        nearest = onet.scale.nearest_level(req.level)
        requirements.append(
            {
                "skill_code": req.skill_code,
                "skill_name": skill.name if skill else req.skill_code,
                "category": skill.category if skill else "",
                "level": req.level,
                "level_name": nearest.name,
                "level_meaning": next(lv.meaning for lv in levels if lv.value == nearest.value),
                "importance": req.importance,
            }
        )
    return {
        **_found(code),
        "description": occupation.description,
        "other_titles": list(occupation.other_titles[:12]),
        "tasks": list(occupation.tasks),
        "job_zone_detail": (
            {
                "number": zone.zone,
                "name": zone.name.partition(": ")[2] or zone.name,
                "education": zone.education,
                "experience": zone.experience,
                "training": zone.training,
            }
            if zone
            else None
        ),
        "education": _share_json(occupation.education),
        "experience": _share_json(occupation.experience),
        "hot_technologies": list(occupation.hot_technologies),
        "requirements": requirements,
        "related": [
            {**role_summary(onet.role(t.to_code)), "strength": t.strength} for t in onet.catalog.transitions_from(code)
        ],
        "moves_out": [
            {**_found(target), "tier": tier.value}
            for target, tier in occupation.related_codes()
            if target in info.occupations
        ],
        "moves_in": [{**_found(origin), "tier": tier.value} for origin, tier in info.related_to(code)],
        "work_values": _traits_json(occupation_traits.work_values(code), occupation_traits.work_value_traits()),
        "interests": _traits_json(occupation_traits.interests(code), occupation_traits.interest_traits()),
        "stand_ins": (
            [] if role else [{**_found(s.role.code), "reason": s.reason} for s in info.stand_ins(code, onet.catalog)]
        ),
        **attribution(),
    }


def _traits_json(profile: Any, traits: tuple[Any, ...]) -> dict[str, Any] | None:
    """Six O*NET scores (1-7), strongest first, each with O*NET's description, and the high points."""
    if profile is None:
        return None
    described = {trait.name: trait.description for trait in traits}
    return {
        "high_points": list(profile.high_points),
        "code": profile.high_point_code,
        "scores": [
            {"name": name, "score": score, "description": described.get(name, "")}
            for name, score in sorted(profile.scores.items(), key=lambda item: -item[1])
        ],
    }


def _share_json(share: Any) -> dict[str, Any] | None:
    return {"text": share.text, "percent": share.percent} if share else None


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


def _note_json(note: SkillNote, names: dict[str, str]) -> dict[str, Any]:
    return {
        "skill_code": note.skill_code,
        "skill_name": names.get(note.skill_code, note.skill_code),
        "current": note.current,
        "required": note.required,
        "importance": note.importance,
        "gap": note.gap,
        "standing": note.standing.value,
    }


def recommendation_json(item: Recommendation, names: dict[str, str], explain: int) -> dict[str, Any]:
    """One suggested role: its band in words and the skills behind it (never a fit percentage)."""
    return {
        **role_summary(item.role),
        "band": item.band.value,
        "typical_difference": round(item.typical_difference, 2),
        "strength": item.strength,
        "drivers": [driver.value for driver in item.drivers],
        "matched_interests": list(item.matched_interests),
        "matched_values": list(item.matched_values),
        "carries_over": [_note_json(n, names) for n in item.carries_over[:explain]],
        "to_grow": [_note_json(n, names) for n in item.to_grow[:explain]],
        "above_needs": [_note_json(n, names) for n in item.above_needs[:explain]],
    }


def recommendations_json(
    result: Recommendations, *, profile_size: int, current: Role | None, explain: int
) -> dict[str, Any]:
    names = _skill_names()
    zone = job_zone_meaning(result.level_zone) if result.level_zone else None
    return {
        "profile_size": profile_size,
        "current": role_summary(current) if current else None,
        "estimated_zone": round(result.estimated_zone, 2) if result.estimated_zone is not None else None,
        "level_zone": result.level_zone,
        "level_zone_name": zone.name if zone else None,
        "zone_from_current_role": result.zone_from_current_role,
        "strongest_skills": [{"skill_code": c, "skill_name": names.get(c, c)} for c in result.strongest_skills],
        "uses_values": result.uses_values,
        "uses_interests": result.uses_interests,
        **{
            name: [recommendation_json(item, names, explain) for item in items]
            for name, items in result.lists().items()
        },
        **attribution(),
    }


def _recommend(
    session: LaunchSession, limit: int, current_code: str | None
) -> tuple[Recommendations, dict[str, float], Role | None]:
    subject = own(session)
    levels = onet_profile(subject, session)
    if current_code is None:
        target = _target_record(session, subject)
        current_code = target.current_role_code if target else None
    current = find_role(current_code) if current_code else None
    preferences = preferences_from_exercises(
        reflections.answers_of(subject, "values_and_drivers"), reflections.answers_of(subject, "strengths")
    )
    try:
        result = recommend(
            levels,
            catalog().catalog,
            current_role=current.code if current else None,
            preferences=preferences,
            limit=max(1, min(limit, MAX_RESULTS)),
        )
    except ValidationError as error:
        raise InvalidInput.from_domain(error) from error
    return result, levels, current


def recommendations(
    session: LaunchSession, *, limit: int = 10, current_code: str | None = None, explain: int = 5
) -> dict[str, Any]:
    """Every list for the caller: closest now, a step up, uses your strongest skills, O*NET's related
    moves from the current role (``current_code``, default the one saved with their target) and the
    combined list that also weighs what they value and enjoy (from their reflection exercises).

    :raise NotFound: an unknown current role.
    """
    result, levels, current = _recommend(session, limit, current_code)
    return recommendations_json(result, profile_size=len(levels), current=current, explain=max(0, min(explain, 35)))


def next_roles(
    session: LaunchSession, *, limit: int = 10, from_code: str | None = None, explain: int = 5
) -> dict[str, Any]:
    """The *closest to you now* list (or, with ``from_code``, O*NET's related moves from that role), each
    with its band and the skills that cost it most fit. ``fit`` stays the share of the role's weighted
    requirements met (being above a need earns nothing), for callers of the first version; the order
    is the recommender's.
    """
    limit = max(1, min(limit, MAX_RESULTS))
    result, levels, _ = _recommend(session, limit, from_code)
    # With ``from`` only the related moves, as before: the closest list must not leak in.
    shown = result.related_moves if from_code else result.closest
    onet = catalog()
    fits = {fit.role_code: fit for fit in rank_roles(levels, [item.role for item in shown])}
    names = _skill_names()
    explain = max(0, min(explain, 35))
    return {
        "profile_size": len(levels),
        "from": role_summary(find_role(from_code)) if from_code else None,
        "roles": [
            {
                **role_summary(item.role),
                "fit": fits[item.code].fit,
                "band": item.band.value,
                "total_weighted_gap": fits[item.code].total_weighted_gap,
                "strength": item.strength if from_code else None,
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
                    for c in fits[item.code].contributions[:explain]
                    if c.fit_loss > 0
                ],
            }
            for item in shown
        ],
        "attribution": onet.attribution,
        "license_url": onet.license_url,
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


_TARGETS_ORDER = (CareerTargetRecord.updated_at.desc(), CareerTargetRecord.id)


@functools.cache
def _readers_targets_query() -> Select[CareerTargetRecord]:
    """The targets a reader of every course sees, built once: every self-assessment launch reads them."""
    query = select(CareerTargetRecord).where(CareerTargetRecord.user_id.in_(bindparam("reader_ids", expanding=True)))
    return query.order_by(*_TARGETS_ORDER)


def _target_record(session: LaunchSession, subject: Subject) -> CareerTargetRecord | None:
    """The target chosen from this placement, else the latest one the reader may see (for the learner: chosen
    in any course)."""
    if subject.reads_every_course("targets"):
        records = list(db.session.scalars(_readers_targets_query(), {"reader_ids": list(subject.reader_ids)}))
    else:
        query = select(CareerTargetRecord).where(subject.where(CareerTargetRecord, "targets"))
        records = list(db.session.scalars(query.order_by(*_TARGETS_ORDER)))
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
        errors["role_code"] = [role_problem(role_code)]
    if current_role_code and current_role_code not in catalog().catalog:
        errors["current_role_code"] = [role_problem(current_role_code)]
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
