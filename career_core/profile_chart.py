"""The skills radar both front ends show: a learner's levels against a role's requirements.

One function picks the axes, scale, series and title, so the LTI pages and the XBlocks draw
byte-identical charts for the same data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from career_core.charts import MAX_AXES, MIN_AXES, Series, radar_chart_svg
from career_core.frameworks import SkillFramework
from career_core.roles import Role

CHART_SIZE = 360
LEARNER_SERIES_CLASS = "series-self"
ROLE_SERIES_CLASS = "series-target"


def chart_size(axis_count: int) -> int:
    """Many spokes need more room for their labels."""
    return 480 if axis_count > 16 else CHART_SIZE


def can_chart(skill_codes: Sequence[str]) -> bool:
    """Whether this many skills make a radar (3 to 35 spokes)."""
    return MIN_AXES <= len(skill_codes) <= MAX_AXES


def chart_title(role: Role | None) -> str:
    return "Your skills compared with " + (role.title if role is not None else "the scale")


def skills_radar_svg(
    framework: SkillFramework,
    skill_codes: Sequence[str],
    profile: Mapping[str, float],
    *,
    role: Role | None = None,
    learner_label: str = "You",
    title: str | None = None,
) -> str:
    """A radar with one spoke per skill in ``skill_codes`` (in the order given), up to the scale's top
    level. The learner's series leaves unrated skills empty; the role's series (when a role is given)
    shows each required level, empty where the role does not require the skill.

    ``learner_label`` and ``title`` are for translated pages; the defaults are the English wording.

    :raise KeyError: when a code is not in ``framework``.
    :raise ValueError: when there are fewer than 3 or more than 35 skills (see ``can_chart``).
    """
    top = float(framework.scale.max)
    skills = [framework.skill(code) for code in skill_codes]
    axes = [(skill.name, top) for skill in skills]
    series: list[Series] = [(learner_label, [profile.get(skill.code) for skill in skills], LEARNER_SERIES_CLASS)]
    if role is not None:
        required = role.requirement_by_skill
        levels = [required[skill.code].level if skill.code in required else None for skill in skills]
        series.append((role.title, levels, ROLE_SERIES_CLASS))
    return radar_chart_svg(axes, series, chart_size(len(axes)), title=title if title is not None else chart_title(role))
