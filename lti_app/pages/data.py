"""What each page shows, built from the career services (no HTML here, so it is testable on its own)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from career_core.attribution import ONET_ATTRIBUTION, ONET_LICENSE_URL
from career_core.checkins import AGENDA_TEMPLATES
from career_core.exercises import EXERCISE_TEMPLATES
from career_core.gaps import GapBand, gap_band
from career_core.onet_details import anchored_levels
from career_core.plan_workflow import PlanAction
from career_core.plans import ActionKind, ActionStatus
from career_core.profile_chart import profile_charts_html, progress_points
from career_core.ranking import rank_roles
from career_core.recommend import FitBand
from career_core.scales import ProficiencyLevel, ProficiencyScale
from lti_app.career import assessments, audit, careers, cohort, frameworks, plans, reflections
from lti_app.career.access import Subject, own
from lti_app.career.errors import CareerServiceError, NotFound
from lti_app.career.paging import Paging
from lti_app.models.career import SkillFrameworkRecord
from lti_app.models.people import LaunchSession
from lti_app.pages.fragments import level_key
from lti_app.roster.service import cohort_page, roster_state

ACTION_LABELS = {
    PlanAction.REQUEST_REVIEW.value: "Submit for review",
    PlanAction.CANCEL_REVIEW_REQUEST.value: "Withdraw from review",
    PlanAction.START_REVIEW.value: "Start review",
    PlanAction.APPROVE.value: "Approve",
    PlanAction.SEND_BACK.value: "Send back",
    PlanAction.ACTIVATE.value: "Put into effect",
    PlanAction.COMPLETE.value: "Mark complete",
    PlanAction.REOPEN.value: "Reopen",
}
STATUS_LABELS = {
    "draft": "Draft",
    "waiting_for_review": "Waiting for review",
    "in_review": "In review",
    "active": "Active",
    "complete": "Complete",
}
ACTION_KIND_LABELS = {
    ActionKind.COURSE.value: "Course",
    ActionKind.LEARNING_RESOURCE.value: "Reading or video",
    ActionKind.MENTORING.value: "Mentoring",
    ActionKind.ON_THE_JOB.value: "On the job",
    ActionKind.NETWORKING.value: "Networking",
}
ACTION_STATUS_LABELS = {
    ActionStatus.NOT_STARTED.value: "Not started",
    ActionStatus.IN_PROGRESS.value: "In progress",
    ActionStatus.DONE.value: "Done",
}
COMPONENT_TITLES = {
    "self_assessment": "Skills self-assessment",
    "career_path": "Career-path explorer",
    "development_plan": "Development plan",
    "reflection": "Reflection exercise",
}
HEATMAP_SKILLS = 10


def placement_settings(session: LaunchSession) -> dict[str, Any]:
    return dict(session.resource_link.settings or {}) if session.resource_link is not None else {}


def attribution() -> dict[str, str]:
    return {"text": ONET_ATTRIBUTION, "url": ONET_LICENSE_URL}


@dataclass(frozen=True)
class FrameworkView:
    record: SkillFrameworkRecord
    skills: list[dict[str, Any]]  # the placement's subset, in framework order
    levels: list[dict[str, Any]]
    is_onet: bool

    @property
    def scale_max(self) -> int:
        return int(self.levels[-1]["value"])


def framework_view(session: LaunchSession) -> FrameworkView | None:
    """The placement's framework and skill subset; None when no framework is loaded yet."""
    try:
        record = frameworks.framework_for_link(session)
    except NotFound:
        return None
    configured = str(placement_settings(session).get("skills") or "")
    wanted = [code.strip() for code in configured.split(",") if code.strip()]
    skills = [s for s in record.skills if s["code"] in wanted] if wanted else list(record.skills)
    return FrameworkView(
        record, skills or list(record.skills), list(record.scale["levels"]), record.source == frameworks.ONET_SOURCE
    )


def role_or_none(code: str | None) -> dict[str, Any] | None:
    if not code:
        return None
    role = careers.catalog().catalog.get(code)
    return careers.role_summary(role) if role else None


def target_role(session: LaunchSession, subject: Subject | None = None) -> dict[str, Any] | None:
    """The placement's ``target_role``, else the learner's own chosen target."""
    configured = role_or_none(str(placement_settings(session).get("target_role") or ""))
    if configured or subject is None:
        return configured
    try:
        chosen: dict[str, Any] | None = careers.target_of(session, subject)["target"]
    except CareerServiceError:
        return None
    return chosen


def charts_html(session: LaunchSession, view: FrameworkView, role_code: str | None, subject: Subject) -> str | None:
    """The caller's charts on the placement's skills (gap bars against the role, skill groups, progress over
    the latest sittings), drawn by career_core; None before any rating."""
    levels = assessments.profile(subject, view.record.id)
    if not levels:
        return None
    codes = [s["code"] for s in view.skills]
    role = careers.catalog().catalog.get(role_code) if role_code and view.is_onet else None
    history = progress_points(assessments.recent_sittings(subject, view.record.id), codes)
    framework = frameworks.framework_of(view.record)
    return profile_charts_html(framework, codes, levels, role, history=history)


def career_path_charts_html(session: LaunchSession, role_code: str, subject: Subject) -> str:
    """The caller's O*NET profile against a role: the gap bars and the skill groups (drawn by career_core).

    :raise NotFound: no such role.
    """
    role = careers.find_role(role_code)
    catalog = careers.catalog()
    codes = catalog.framework.codes
    return profile_charts_html(catalog.framework, codes, careers.onet_profile(subject, session), role)


def skill_levels(view: FrameworkView) -> Mapping[str, Mapping[str, tuple[Any, ...]]]:
    """Per skill: ``levels`` as (value, name, meaning in that skill) and ``anchors`` as (value, example).

    The meanings come from O*NET's Level Scale Anchors where the framework is O*NET's, from the scale's own
    wording otherwise (career_core.onet_details.anchored_levels). Worked out once per framework content: the
    key is the scale and the skill codes themselves, so an edited framework gets its own entry.
    """
    record_scale = view.record.scale
    scale_key = (str(record_scale["id"]), str(record_scale["name"]), level_key(record_scale["levels"]))
    return _skill_levels(scale_key, tuple(str(skill["code"]) for skill in view.skills), view.is_onet)


@functools.lru_cache(maxsize=64)
def _skill_levels(
    scale_key: tuple[str, str, tuple[tuple[int, str, str], ...]], codes: tuple[str, ...], is_onet: bool
) -> Mapping[str, Mapping[str, tuple[Any, ...]]]:
    scale_id, scale_name, levels = scale_key
    scale = ProficiencyScale(scale_id, scale_name, tuple(ProficiencyLevel(*level) for level in levels))
    details = careers.details() if is_onet else None
    out: dict[str, Mapping[str, tuple[Any, ...]]] = {}
    for code in codes:
        anchors = details.level_anchors(code) if details else ()
        levels = tuple((lv.value, lv.name, lv.meaning) for lv in anchored_levels(scale, anchors))
        # Shared by every launch of this framework: read-only.
        out[code] = MappingProxyType({"levels": levels, "anchors": tuple((a.value, a.example) for a in anchors)})
    return MappingProxyType(out)


def skill_groups(view: FrameworkView) -> list[dict[str, Any]]:
    """The placement's skills grouped by category (O*NET: Content, Process, Social Skills, ...), framework order
    kept; each skill carries its 1-based number on the form."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for number, skill in enumerate(view.skills, start=1):
        groups.setdefault(str(skill.get("category") or "Skills"), []).append({**skill, "number": number})
    return [{"name": name, "skills": skills} for name, skills in groups.items()]


def draft_key(session: LaunchSession) -> str:
    """A key for the browser's copy of unsaved ratings: per platform, learner and placement, revealing none."""
    raw = f"{session.platform_id}|{session.user_id}|{session.resource_link_pk}".encode()
    return "ct-draft-" + hashlib.sha256(raw).hexdigest()[:24]


def self_assessment(session: LaunchSession) -> dict[str, Any]:
    subject = own(session)
    view = framework_view(session)
    if view is None:
        return {"view": None}
    role = target_role(session, subject)
    levels = assessments.profile(subject, view.record.id)
    current = {code: round(level) for code, level in levels.items()}
    # Levels chosen before leaving without submitting come back, marked as not saved yet.
    draft = assessments.draft_levels(subject, view.record.id)
    wanted = {skill["code"] for skill in view.skills}
    chosen = {**current, **draft}
    closest = closest_roles(session) if view.is_onet and levels else []
    if role is None and closest:
        role = closest[0]  # nothing chosen yet: compare with the occupation the learner fits best
    return {
        "view": view,
        "current": current,
        "chosen": chosen,
        "restored": sum(1 for code, level in draft.items() if current.get(code) != level and code in wanted),
        "groups": skill_groups(view),
        "skill_levels": skill_levels(view),
        "draft_key": draft_key(session),
        "role": role,
        "compare": ([role] if role else []) + [r for r in closest if not role or r["code"] != role["code"]],
        "chart": charts_html(session, view, role["code"] if role else None, subject) if levels else None,
        "attribution": attribution() if view.is_onet else None,
    }


def closest_roles(session: LaunchSession, limit: int = 5) -> list[dict[str, Any]]:
    """The occupations the caller's profile fits best, with their fit (0..1)."""
    ranked = careers.next_roles(session, limit=limit, explain=0)["roles"]
    return [{"code": r["code"], "title": r["title"], "fit": r["fit"]} for r in ranked]


def career_path(session: LaunchSession) -> dict[str, Any]:
    recommendations = careers.recommendations(session, limit=6, explain=3)
    return {
        "target": careers.target_of(session),
        "recommendations": recommendations,
        "bands": [band.value for band in FitBand],
        "profile_size": recommendations["profile_size"],
        "attribution": attribution(),
    }


def development_plan(session: LaunchSession) -> dict[str, Any]:
    view = framework_view(session)
    return {
        "skills": view.skills if view else [],
        "levels": view.levels if view else [],
        "agendas": list(AGENDA_TEMPLATES.values()),
        "action_kinds": ACTION_KIND_LABELS,
        "target": target_role(session, own(session)),
    }


def reflection(session: LaunchSession) -> dict[str, Any]:
    """The placement's exercise, or every exercise to choose from when the placement names none."""
    key = str(placement_settings(session).get("exercise") or "")
    keys = [key] if key in EXERCISE_TEMPLATES else list(EXERCISE_TEMPLATES)
    exercises = [reflections.reflection_of(session, k) for k in keys]
    for exercise in exercises:
        template = EXERCISE_TEMPLATES[exercise["template"]["key"]]
        answers = exercise["answers"]
        for item in exercise["template"]["fields"]:
            if item["kind"] != "entries":
                continue
            rows = list(answers.get(item["key"]) or [])
            item["rows"] = rows + [{}] * max(item["min_items"] - len(rows), 0 if rows else 1)
            for part, domain_part in zip(item["parts"], template.field(item["key"]).parts, strict=True):
                source = domain_part.choose_from_field
                part["choose_from"] = source
                part["options"] = list(template.field(source).options) if source else []
    return {"exercises": exercises, "single": len(exercises) == 1}


def learner_home(session: LaunchSession) -> dict[str, Any]:
    subject = own(session)
    own_plans = plans.plans_of(subject)
    return {
        "sittings": len(assessments.sittings(subject)),
        "plan": plans.plan_json(own_plans[-1], session) if own_plans else None,
        "reflections": reflections.list_reflections(session),
        "target": careers.target_of(session),
    }


# --- instructor -------------------------------------------------------------------------------------------------


def heat_class(current: float | None, required: float) -> str:
    """A cell's CSS class from its gap band (career_core): met, close, far or unrated."""
    return "heat-" + gap_band(current, required).value


COHORT_PAGE_SIZE = 50
REVIEWS_SHOWN = 20


def instructor(session: LaunchSession, role_code: str | None = None, page: int = 1) -> dict[str, Any]:
    """The cohort page: one page of learners, the heatmap's distribution over the whole cohort and the same page
    of learners' cells, and the plans waiting for review; a fixed number of queries whatever the cohort's size."""
    assert session.context is not None and session.context_pk is not None
    state = roster_state(session.context)
    paging = Paging(page, COHORT_PAGE_SIZE)
    members, total = cohort_page(session.context, state.source, paging.offset, paging.per_page)
    overview = cohort.overviews(session, [m.lti_user_pk for m in members if m.lti_user_pk])
    cohort_rows = [
        {"name": m.name, "overview": overview.get(m.lti_user_pk) if m.lti_user_pk else None} for m in members
    ]
    role = (
        role_or_none(role_code)
        or target_role(session)
        or role_or_none(cohort.most_common_target(session))
        or _cohort_best_fit(session)
    )
    heatmap = _heatmap(session, role["code"], cohort_rows, total) if role else None
    review_records, review_total = cohort.plans_for_review(session.context_pk, REVIEWS_SHOWN)
    audit.record_reads(session, [r.user_id for r in review_records], "plans waiting for review")
    reviews = [{"learner": {"name": r.user.display_name}, "plan": plans.plan_json(r, session)} for r in review_records]
    return {
        "cohort": cohort_rows,
        "paging": paging.envelope(total),
        "source": state.source,
        "warning": state.warning,
        "role": role,
        "heatmap": heatmap,
        "reviews": reviews,
        "review_total": review_total,
        "attribution": attribution(),
    }


def _onet_record_id(session: LaunchSession) -> int | None:
    try:
        return frameworks.find_framework(session, frameworks.onet_identifier()).id
    except NotFound:
        return None


def _cohort_best_fit(session: LaunchSession) -> dict[str, Any] | None:
    """The occupation the cohort's average self-rating fits best: a starting point before anyone picks a target."""
    framework_pk = _onet_record_id(session)
    assert session.context_pk is not None
    average = cohort.average_levels(session.context_pk, framework_pk) if framework_pk else {}
    if not average:
        return None
    best = rank_roles(average, careers.catalog().role_index, 1)
    return careers.role_summary(best[0].role) if best else None


def _heatmap(
    session: LaunchSession, role_code: str, cohort_rows: list[dict[str, Any]], cohort_size: int
) -> dict[str, Any]:
    """The role's most important skills: how the whole cohort stands on each (learners per gap band), then the
    cells of the learners on this page. Only the page's own ratings are shown by name, so only they are logged."""
    assert session.context_pk is not None
    role = careers.find_role(role_code)
    names = {s.code: s.name for s in careers.catalog().framework.skills}
    top = sorted(role.requirements, key=lambda r: (-r.importance, r.skill_code))[:HEATMAP_SKILLS]
    framework_pk = _onet_record_id(session)
    ids = [row["overview"]["user_id"] for row in cohort_rows if row["overview"]]
    levels = cohort.levels_of(session.context_pk, framework_pk, ids) if framework_pk else {}
    counts = cohort.level_distribution(session.context_pk, framework_pk) if framework_pk else {}
    rows = []
    for row in cohort_rows:
        mine = levels.get(row["overview"]["user_id"], {}) if row["overview"] else {}
        cells = []
        for req in top:
            current = mine.get(req.skill_code)
            cells.append({"value": current, "required": req.level, "class": heat_class(current, req.level)})
        rows.append({"name": row["name"], "cells": cells})
    audit.record_reads(session, [i for i in ids if levels.get(i)], "self-assessments (cohort heat map)")
    skills = []
    for req in top:
        bands = {band.value: 0 for band in GapBand}
        for level, learners_at in counts.get(req.skill_code, {}).items():
            bands[gap_band(level, req.level).value] += learners_at
        bands[GapBand.UNRATED.value] = max(cohort_size - sum(bands.values()), 0)
        skills.append(
            {
                "code": req.skill_code,
                "name": names.get(req.skill_code, req.skill_code),
                "level": req.level,
                "bands": bands,
            }
        )
    return {"role": careers.role_summary(role), "skills": skills, "rows": rows, "cohort_size": cohort_size}


# --- role pages and role search ----------------------------------------------------------------------------------

IMPORTANCE_WORDS = (
    (4.5, "Extremely important"),
    (3.5, "Very important"),
    (2.5, "Important"),
    (1.5, "Somewhat important"),
)
ROLE_PAGE_TOP_SKILLS = 10
SEARCH_RESULTS = 10


def importance_words(importance: float) -> str:
    """O*NET's Importance (1-5) in its own scale's words."""
    return next((words for floor, words in IMPORTANCE_WORDS if importance >= floor), "Not important")


def role_search(query: str, limit: int = SEARCH_RESULTS) -> dict[str, Any]:
    """What the role picker shows for ``query``: the matches, each unrated one with its closest rated stand-in."""
    query = query.strip()[:200]
    if not query:
        return {"query": "", "roles": [], "searched": False}
    return {"query": query, "roles": careers.search_roles(query, limit)["roles"], "searched": True}


def role_page(code: str) -> dict[str, Any]:
    """Everything the page per role shows; :raise NotFound: no O*NET occupation with this code."""
    detail = careers.role_detail(code)
    for requirement in detail["requirements"]:
        requirement["importance_words"] = importance_words(requirement["importance"])
    top = detail["requirements"][:ROLE_PAGE_TOP_SKILLS]
    return {
        "role": detail,
        "top_skills": top,
        "more_skills": detail["requirements"][ROLE_PAGE_TOP_SKILLS:],
        "attribution": attribution(),
    }
