"""Gap analysis: how far a learner's profile is from what one role requires, skill by skill.

Model, shared by ranking and path finding so every front end agrees:

- A skill the learner has not rated counts as level 0.
- ``gap = max(0, required - current)``; being above the requirement earns nothing extra.
- Each gap is weighted by the requirement's importance, rescaled from O*NET's 1-5 IM scale to
  0-1 (``(importance - 1) / 4``), so a skill rated "Not Important" (1) never counts against fit.
- ``fit = 1 - sum(weighted gaps) / sum(weight x required)``: the share of the role's weighted
  requirements the learner already meets, always in [0, 1]. A role whose weighted requirements
  add up to 0 is met by everyone (fit 1).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass

from career_core.errors import ValidationError
from career_core.roles import IMPORTANCE_MAX, IMPORTANCE_MIN, Role


def importance_weight(importance: float) -> float:
    """Importance on the 1-5 IM scale as a 0-1 weight."""
    return (importance - IMPORTANCE_MIN) / (IMPORTANCE_MAX - IMPORTANCE_MIN)


def profile_problems(profile: Mapping[str, float]) -> list[str]:
    return [
        f"profile[{code!r}]: level must be a finite number >= 0, got {level!r}"
        for code, level in profile.items()
        if isinstance(level, bool) or not isinstance(level, int | float) or not (0 <= level < math.inf)
    ]


def validate_profile(profile: Mapping[str, float]) -> None:
    """:raise ValidationError: when any level is negative, infinite, NaN or not a number."""
    problems = profile_problems(profile)
    if problems:
        raise ValidationError(problems)


@dataclass(frozen=True)
class SkillGap:
    """One requirement of a role set against the learner's current level."""

    skill_code: str
    current: float
    required: float
    importance: float
    weight: float
    gap: float
    weighted_gap: float
    rated: bool

    @property
    def met(self) -> bool:
        return self.gap == 0

    @property
    def surplus(self) -> float:
        return max(0.0, self.current - self.required)


@dataclass(frozen=True)
class GapReport:
    """A learner's gaps for one role: every requirement, the strengths, the largest gaps and the fit."""

    role_code: str
    role_title: str
    items: tuple[SkillGap, ...]
    fit: float
    total_weighted_gap: float
    strengths: tuple[SkillGap, ...]
    top_gaps: tuple[SkillGap, ...]

    @property
    def unrated(self) -> tuple[str, ...]:
        """Required skills the learner has not rated, counted as level 0."""
        return tuple(item.skill_code for item in self.items if not item.rated)


def skill_gaps(profile: Mapping[str, float], role: Role) -> list[SkillGap]:
    items: list[SkillGap] = []
    for req in role.requirements:
        rated = req.skill_code in profile
        current = float(profile.get(req.skill_code, 0.0))
        gap = max(0.0, req.level - current)
        weight = importance_weight(req.importance)
        items.append(SkillGap(req.skill_code, current, req.level, req.importance, weight, gap, gap * weight, rated))
    return items


def fit_from_gaps(items: list[SkillGap] | tuple[SkillGap, ...]) -> float:
    possible = sum(item.weight * item.required for item in items)
    if possible <= 0:
        return 1.0
    missing = sum(item.weighted_gap for item in items)
    return min(1.0, max(0.0, 1.0 - missing / possible))


def gap_analysis(profile: Mapping[str, float], role: Role, *, top_n: int = 5) -> GapReport:
    """Compare ``profile`` (skill code -> level) with ``role``.

    ``strengths`` are the met requirements with a positive requirement, most important first (then
    by largest surplus); ``top_gaps`` are up to ``top_n`` unmet ones, largest weighted gap first.

    :raise ValidationError: when a profile level is negative or not a finite number.
    """
    validate_profile(profile)
    items = skill_gaps(profile, role)
    strengths = sorted(
        (i for i in items if i.met and i.required > 0),
        key=lambda i: (-i.importance, -i.surplus, i.skill_code),
    )
    gaps = sorted((i for i in items if not i.met), key=lambda i: (-i.weighted_gap, -i.gap, i.skill_code))
    return GapReport(
        role_code=role.code,
        role_title=role.title,
        items=tuple(items),
        fit=fit_from_gaps(items),
        total_weighted_gap=sum(i.weighted_gap for i in items),
        strengths=tuple(strengths),
        top_gaps=tuple(gaps[: max(0, top_n)]),
    )


class GapBand(enum.Enum):
    """How far one skill is from a requirement, in words an overview (a cohort heatmap) can colour."""

    MET = "met"
    CLOSE = "close"  # short by at most one level: a stretch goal
    FAR = "far"  # short by more than one level: needs a plan
    UNRATED = "unrated"


def gap_band(current: float | None, required: float) -> GapBand:
    """The band of a learner's ``current`` level (None when unrated) against a ``required`` level."""
    if current is None:
        return GapBand.UNRATED
    if current >= required:
        return GapBand.MET
    return GapBand.CLOSE if required - current <= 1 else GapBand.FAR
