"""Proficiency scales: the ordered levels a skill can be rated or required at."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from career_core.errors import ValidationError


@dataclass(frozen=True)
class ProficiencyLevel:
    """One whole-number step on a scale, with the words shown to learners."""

    value: int
    name: str
    descriptor: str = ""


@dataclass(frozen=True)
class ProficiencyScale:
    """An ordered run of consecutive whole-number levels.

    Learners rate in whole levels; role requirements (O*NET averages such as 4.62) may fall between
    them, which is why :meth:`validate_level` takes ``whole=False`` for requirements.
    """

    id: str
    name: str
    levels: tuple[ProficiencyLevel, ...]

    def __post_init__(self) -> None:
        problems: list[str] = []
        if not self.id.strip():
            problems.append("scale.id: must not be empty")
        if not self.name.strip():
            problems.append("scale.name: must not be empty")
        if not self.levels:
            problems.append("scale.levels: a scale needs at least one level")
        for i, level in enumerate(self.levels):
            if i and level.value != self.levels[i - 1].value + 1:
                # Gaps or reordering would make "max - min" and level arithmetic meaningless.
                problems.append(f"scale.levels[{i}].value: expected {self.levels[i - 1].value + 1}, got {level.value}")
            if not level.name.strip():
                problems.append(f"scale.levels[{i}].name: must not be empty")
        if problems:
            raise ValidationError(problems)

    @property
    def min(self) -> int:
        return self.levels[0].value

    @property
    def max(self) -> int:
        return self.levels[-1].value

    @cached_property
    def _by_value(self) -> dict[int, ProficiencyLevel]:
        return {level.value: level for level in self.levels}

    def level(self, value: int) -> ProficiencyLevel:
        """The level with this value; :raise ValidationError: when the scale has no such level."""
        found = self._by_value.get(value) if isinstance(value, int) else None
        if found is None:
            raise ValidationError([f"level: {value!r} is not a level of scale '{self.id}'"])
        return found

    def nearest_level(self, value: float) -> ProficiencyLevel:
        """The whole level closest to a fractional requirement, for describing it in words."""
        clamped = min(max(value, self.min), self.max)
        return self._by_value[math.floor(clamped + 0.5)]

    def level_problems(self, value: object, *, field: str = "level", whole: bool = True) -> list[str]:
        """Messages describing why ``value`` is not a valid level (empty when it is)."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            return [f"{field}: must be a number, got {value!r}"]
        if isinstance(value, float) and not math.isfinite(value):
            return [f"{field}: must be a finite number, got {value!r}"]
        if whole and value != int(value):
            return [f"{field}: must be a whole level of scale '{self.id}', got {value!r}"]
        if not self.min <= value <= self.max:
            return [f"{field}: {value!r} is outside scale '{self.id}' ({self.min}-{self.max})"]
        return []

    def validate_level(self, value: object, *, field: str = "level", whole: bool = True) -> None:
        """:raise ValidationError: when ``value`` is not on this scale (or not whole, if ``whole``)."""
        problems = self.level_problems(value, field=field, whole=whole)
        if problems:
            raise ValidationError(problems)


# O*NET publishes level anchors per element; these are the common meaning of each step in plain words.
ONET_LEVEL_SCALE = ProficiencyScale(
    id="onet-lv",
    name="O*NET Level (LV)",
    levels=(
        ProficiencyLevel(0, "Not needed", "The skill is not used."),
        ProficiencyLevel(1, "Minimal", "Simple, routine uses with close guidance."),
        ProficiencyLevel(2, "Basic", "Everyday tasks such as following written steps or simple sums."),
        ProficiencyLevel(3, "Working", "Ordinary work tasks done reliably without help."),
        ProficiencyLevel(4, "Proficient", "Varied tasks that need judgement, such as explaining a process."),
        ProficiencyLevel(5, "Advanced", "Complex tasks, adapting the skill to new situations."),
        ProficiencyLevel(6, "Highly advanced", "Difficult, high-stakes work that others rely on."),
        ProficiencyLevel(7, "Expert", "The most demanding uses, such as leading a field or writing its rules."),
    ),
)

FIVE_POINT_SCALE = ProficiencyScale(
    id="five-point",
    name="Five-point proficiency",
    levels=(
        ProficiencyLevel(1, "Awareness", "Knows what the skill is and why it matters."),
        ProficiencyLevel(2, "Novice", "Applies the skill to simple tasks with guidance."),
        ProficiencyLevel(3, "Working", "Applies the skill independently to routine work."),
        ProficiencyLevel(4, "Advanced", "Handles complex cases and helps others."),
        ProficiencyLevel(5, "Expert", "Recognised authority; sets practice for others."),
    ),
)

BUILTIN_SCALES: dict[str, ProficiencyScale] = {s.id: s for s in (ONET_LEVEL_SCALE, FIVE_POINT_SCALE)}
