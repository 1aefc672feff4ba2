"""The skills charts both front ends show: a learner's levels against a role, by skill and by skill group,
and their average level over time.

Each ``*_chart_html`` builds the chart's data once, then draws the SVG and the table from that same data, so
the LTI pages and the XBlocks show byte-identical charts (and tables) for the same ratings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from career_core.assessment import SkillRating
from career_core.charts import (
    BulletLegend,
    BulletRow,
    TimePoint,
    bullet_chart_svg,
    figure_html,
    line_chart_svg,
    table_html,
)
from career_core.frameworks import SkillFramework
from career_core.roles import Role

TOP_GAPS = 10  # the bars shown at first; the rest sit behind "show all"
MAX_SITTINGS = 50  # the progress chart's history: the most recent sittings
# O*NET files Basic Skills as two groups, Content and Process; a learner knows them as basic skills.
CATEGORY_NAMES = {"Content": "Basic Skills: Content", "Process": "Basic Skills: Process"}


@dataclass(frozen=True)
class ChartText:
    """Every word the charts show; a translated front end passes its own."""

    you: str = "You"
    role_needs: str = "Role needs"
    to_grow: str = "To grow"
    not_rated: str = "not rated"
    skill: str = "Skill"
    group: str = "Skill group"
    gap: str = "Gap"
    gap_title: str = "Your skills compared with {role}, biggest gaps first"
    levels_title: str = "Your skill levels, highest first"
    group_title: str = "Skill groups: your average compared with {role}"
    group_alone_title: str = "Skill groups: your average level"
    group_label: str = "{group} ({count})"
    progress_title: str = "Your average skill level over time"
    progress_value: str = "Your average"
    progress_reference: str = "Role needs"
    date: str = "Date"
    average: str = "Average level"
    rated: str = "Skills rated"
    show_all: str = "Show all {count} skills"
    as_table: str = "Show the numbers as a table"

    @property
    def legend(self) -> BulletLegend:
        return BulletLegend(self.you, self.role_needs, self.to_grow, self.not_rated)


@dataclass(frozen=True)
class SkillBar:
    """One skill's bar: the learner's level (None: not rated) and the role's required level (None: no role)."""

    code: str
    name: str
    category: str
    current: float | None
    required: float | None
    importance: float = 0.0

    @property
    def gap(self) -> float:
        """How far below the requirement; an unrated skill counts as level 0 (career_core.gaps' rule)."""
        if self.required is None:
            return 0.0
        return max(0.0, self.required - (self.current or 0.0))


@dataclass(frozen=True)
class GroupBar:
    """A skill group's averages: the learner's over the skills they rated, the role's over the group."""

    name: str
    skills: int
    rated: int
    current: float | None
    required: float | None


@dataclass(frozen=True)
class ProgressPoint:
    """The learner's average level over the charted skills they had rated by the end of one sitting."""

    taken_at: datetime
    average: float
    rated: int


def skill_bars(
    framework: SkillFramework, skill_codes: Sequence[str], profile: Mapping[str, float], role: Role | None = None
) -> list[SkillBar]:
    """One bar per skill: with a role, biggest gaps first (then the more important, then framework order);
    without one, the learner's highest levels first (unrated last).

    :raise KeyError: when a code is not in ``framework``.
    """
    required = role.requirement_by_skill if role is not None else {}
    bars = []
    for code in skill_codes:
        skill = framework.skill(code)
        requirement = required.get(code)
        bars.append(
            SkillBar(
                code,
                skill.name,
                skill.category,
                profile.get(code),
                requirement.level if requirement is not None else None,
                requirement.importance if requirement is not None else 0.0,
            )
        )
    # Ties follow the framework's order, not the caller's, so every front end sorts the same way.
    order = {code: index for index, code in enumerate(framework.codes)}
    if role is None:
        return sorted(bars, key=lambda bar: (-(bar.current if bar.current is not None else -1), order[bar.code]))
    return sorted(bars, key=lambda bar: (-bar.gap, -bar.importance, order[bar.code]))


def group_bars(
    framework: SkillFramework, skill_codes: Sequence[str], profile: Mapping[str, float], role: Role | None = None
) -> list[GroupBar]:
    """One bar per skill group (O*NET category) among ``skill_codes``, in the framework's order."""
    required = role.requirement_by_skill if role is not None else {}
    members: dict[str, list[str]] = {}
    for code in skill_codes:
        members.setdefault(framework.skill(code).category, []).append(code)
    bars = []
    order = {category: index for index, category in enumerate(framework.categories())}
    for category in sorted(members, key=lambda name: order.get(name, len(order))):
        codes = members[category]
        levels = [profile[code] for code in codes if code in profile]
        needs = [required[code].level for code in codes if code in required]
        bars.append(
            GroupBar(
                CATEGORY_NAMES.get(category, category),
                len(codes),
                len(levels),
                sum(levels) / len(levels) if levels else None,
                sum(needs) / len(needs) if needs else None,
            )
        )
    return bars


def progress_points(
    sittings: Iterable[tuple[datetime, Mapping[str, float]]], skill_codes: Sequence[str]
) -> list[ProgressPoint]:
    """From sittings ``(taken_at, levels given then)``, oldest first, the running average after each one.

    A skill keeps its latest level until it is rated again; sittings that rate none of ``skill_codes`` add
    no point. Only the last :data:`MAX_SITTINGS` points are kept.
    """
    wanted = set(skill_codes)
    latest: dict[str, float] = {}
    points = []
    for taken_at, levels in sittings:
        given = {code: level for code, level in levels.items() if code in wanted}
        if not given:
            continue
        latest.update(given)
        points.append(ProgressPoint(taken_at, sum(latest.values()) / len(latest), len(latest)))
    return points[-MAX_SITTINGS:]


def sittings_of(ratings: Iterable[SkillRating]) -> list[tuple[datetime, dict[str, float]]]:
    """Ratings grouped into sittings by their time (one submission shares one time), oldest first."""
    grouped: dict[datetime, dict[str, float]] = {}
    for rating in sorted(ratings, key=lambda r: r.rated_at):
        grouped.setdefault(rating.rated_at, {})[rating.skill_code] = float(rating.level)
    return list(grouped.items())


def role_average(role: Role | None, skill_codes: Sequence[str]) -> float | None:
    """The role's average required level over ``skill_codes`` (the ones it rates)."""
    if role is None:
        return None
    required = role.requirement_by_skill
    levels = [required[code].level for code in skill_codes if code in required]
    return sum(levels) / len(levels) if levels else None


def gap_chart_html(
    framework: SkillFramework,
    skill_codes: Sequence[str],
    profile: Mapping[str, float],
    role: Role | None = None,
    *,
    text: ChartText = ChartText(),
    top: int = TOP_GAPS,
) -> str:
    """Sorted bars, you against the role per skill: the first ``top`` at once, the rest behind "show all",
    every value in a table.

    :raise KeyError: when a code is not in ``framework``.
    """
    bars = skill_bars(framework, skill_codes, profile, role)
    scale_max = float(framework.scale.max)
    title = text.gap_title.format(role=role.title) if role is not None else text.levels_title
    rows = [BulletRow(bar.name, bar.current, bar.required) for bar in bars]
    svg = bullet_chart_svg(rows[:top], scale_max=scale_max, title=title, legend=text.legend)
    details = []
    if len(rows) > top:
        details.append(
            (
                text.show_all.format(count=len(rows)),
                bullet_chart_svg(rows, scale_max=scale_max, title=title, legend=text.legend),
            )
        )
    headers = [text.skill, text.you] + ([text.role_needs, text.gap] if role is not None else [])
    table_rows = [
        [bar.name, _shown(bar.current, text)]
        + ([_shown(bar.required, text), _level(bar.gap)] if role is not None else [])
        for bar in bars
    ]
    details.append((text.as_table, table_html(title, headers, table_rows)))
    return figure_html("gaps", title, svg, details=details)


def group_chart_html(
    framework: SkillFramework,
    skill_codes: Sequence[str],
    profile: Mapping[str, float],
    role: Role | None = None,
    *,
    text: ChartText = ChartText(),
) -> str | None:
    """A compact overview, one bar per skill group; None when the skills carry fewer than two groups."""
    bars = group_bars(framework, skill_codes, profile, role)
    if len(bars) < 2:
        return None
    title = text.group_title.format(role=role.title) if role is not None else text.group_alone_title
    rows = [
        BulletRow(text.group_label.format(group=bar.name, count=bar.skills), bar.current, bar.required) for bar in bars
    ]
    svg = bullet_chart_svg(rows, scale_max=float(framework.scale.max), title=title, legend=text.legend)
    headers = [text.group, text.you, text.rated] + ([text.role_needs] if role is not None else [])
    table_rows = [
        [bar.name, _shown(bar.current, text), f"{bar.rated} / {bar.skills}"]
        + ([_shown(bar.required, text)] if role is not None else [])
        for bar in bars
    ]
    return figure_html("groups", title, svg, details=[(text.as_table, table_html(title, headers, table_rows))])


def progress_chart_html(
    framework: SkillFramework,
    points: Sequence[ProgressPoint],
    role: Role | None = None,
    skill_codes: Sequence[str] = (),
    *,
    text: ChartText = ChartText(),
) -> str | None:
    """The average level after each sitting as a line, with the role's average as a reference; None with
    fewer than two sittings (one point shows no progress)."""
    if len(points) < 2:
        return None
    reference = role_average(role, skill_codes)
    # Dates tell sittings apart, unless they all fell on one day: then the times do (to the second if need be).
    first, last = points[0].taken_at, points[-1].taken_at
    shape = "%Y-%m-%d" if first.date() != last.date() else "%H:%M"
    if first.strftime(shape) == last.strftime(shape):
        shape = "%H:%M:%S"
    line = [TimePoint(point.taken_at.strftime(shape), point.average) for point in points]
    svg = line_chart_svg(
        line,
        scale_max=float(framework.scale.max),
        title=text.progress_title,
        value_name=text.progress_value,
        reference=reference,
        reference_name=text.progress_reference,
    )
    table_rows = [
        [point.taken_at.strftime("%Y-%m-%d %H:%M"), _level(point.average), str(point.rated)] for point in points
    ]
    table = table_html(text.progress_title, [text.date, text.average, text.rated], table_rows)
    return figure_html("progress", text.progress_title, svg, details=[(text.as_table, table)])


def profile_charts_html(
    framework: SkillFramework,
    skill_codes: Sequence[str],
    profile: Mapping[str, float],
    role: Role | None = None,
    *,
    history: Sequence[ProgressPoint] = (),
    text: ChartText = ChartText(),
) -> str:
    """The gap bars, the skill-group overview and (with two sittings or more) the progress line, in order."""
    charts = [
        gap_chart_html(framework, skill_codes, profile, role, text=text),
        group_chart_html(framework, skill_codes, profile, role, text=text),
        progress_chart_html(framework, history, role, skill_codes, text=text),
    ]
    return "".join(chart for chart in charts if chart)


def _shown(value: float | None, text: ChartText) -> str:
    return _level(value) if value is not None else text.not_rated


def _level(value: float) -> str:
    formatted = f"{value:.1f}".removesuffix(".0")
    return "0" if formatted == "-0" else formatted
