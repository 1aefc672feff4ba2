"""The deep-linking picker's form: which component kinds a course author can add, and reading their choices."""

from __future__ import annotations

import math
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from career_core.exercises import EXERCISE_TEMPLATES
from career_core.scoring import GradingMode
from lti_app.career import careers
from lti_app.lti.deep_linking import MAX_TITLE_LENGTH, ActivitySelection, DeepLinkingRefused, Grading
from lti_app.pages.data import COMPONENT_TITLES

MAX_SCORE_LIMIT = 10_000.0
NOT_GRADED = "none"


@dataclass(frozen=True)
class ComponentChoice:
    kind: str
    title: str
    description: str


CHOICES = (
    ComponentChoice(
        "self_assessment",
        COMPONENT_TITLES["self_assessment"],
        "Learners rate their skills on the framework's scale and compare themselves with a target role.",
    ),
    ComponentChoice(
        "career_path",
        COMPONENT_TITLES["career_path"],
        "Learners search O*NET occupations, see the roles that fit them best and the path to a target.",
    ),
    ComponentChoice(
        "development_plan",
        COMPONENT_TITLES["development_plan"],
        "Learners set goals and actions with due dates, record check-ins and submit the plan for review.",
    ),
    ComponentChoice(
        "reflection",
        COMPONENT_TITLES["reflection"],
        "A guided reflection: values and drivers, strengths, personal vision or a networking plan.",
    ),
)
KINDS = {choice.kind: choice for choice in CHOICES}


def find_role_code(text: str, field: str = "role") -> str | None:
    """An O*NET code from what was typed: a code, or a rated occupation's official title (case and plural aside).

    :raise careers.UnknownRole: anything else, with the closest matches to offer as "did you mean".
    """
    return careers.resolve_role(text, field=field, rated=True)


def selections_from_form(form: MultiDict[str, str]) -> list[ActivitySelection]:
    """The activities picked in the form, with their settings. :raise DeepLinkingRefused: a bad value."""
    selections = []
    skill_codes = {skill.code for skill in careers.catalog().framework.skills}
    for kind in form.getlist("pick"):
        if kind not in KINDS:
            raise DeepLinkingRefused(f"{kind!r} is not a Career Toolkit component.")
        title = form.get(f"{kind}-title", "").strip() or KINDS[kind].title
        if len(title) > MAX_TITLE_LENGTH:
            raise DeepLinkingRefused(f"The title is {len(title)} characters long; the limit is {MAX_TITLE_LENGTH}.")
        settings: dict[str, str] = {}
        typed = form.get(f"{kind}-target_role_choice") or form.get(f"{kind}-target_role", "")
        role = find_role_code(typed, field=f"{kind}-target_role")
        if role:
            settings["target_role"] = role
        if kind == "self_assessment":
            skills = form.getlist(f"{kind}-skills")
            unknown = [code for code in skills if code not in skill_codes]
            if unknown:
                raise DeepLinkingRefused(f"Unknown skills: {', '.join(unknown)}.")
            if skills and len(skills) < 3:
                raise DeepLinkingRefused("Choose at least three skills, or none to rate the whole framework.")
            if skills:
                settings["skills"] = ",".join(skills)
        if kind == "reflection":
            exercise = form.get(f"{kind}-exercise", "")
            if exercise not in EXERCISE_TEMPLATES:
                raise DeepLinkingRefused("Choose which reflection exercise learners will do.")
            settings["exercise"] = exercise
            if title == KINDS[kind].title:  # the default title: name the exercise instead
                title = f"Reflection: {EXERCISE_TEMPLATES[exercise].title}"
        if kind == "development_plan":
            settings["requires_review"] = "true" if form.get(f"{kind}-requires_review") else "false"
        selections.append(ActivitySelection(kind, title, settings, _grading(form, kind)))
    return selections


def _grading(form: MultiDict[str, str], kind: str) -> Grading | None:
    mode = form.get(f"{kind}-grading", NOT_GRADED)
    if mode == NOT_GRADED:
        return None
    if mode not in {m.value for m in GradingMode}:
        raise DeepLinkingRefused(f"{mode!r} is not a way of grading.")
    raw = form.get(f"{kind}-max_score", "").strip() or "100"
    try:
        maximum = float(raw)
    except ValueError:
        raise DeepLinkingRefused(f"The maximum score must be a number, not {raw!r}.") from None
    if not (math.isfinite(maximum) and 0 < maximum <= MAX_SCORE_LIMIT):
        raise DeepLinkingRefused(f"The maximum score must be above 0 and at most {MAX_SCORE_LIMIT:g}.")
    return Grading(mode, maximum)
