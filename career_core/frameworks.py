"""Skill frameworks: a versioned, validated tree of skills rated on one proficiency scale."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from career_core.errors import ValidationError
from career_core.scales import ProficiencyScale


@dataclass(frozen=True)
class Skill:
    """One skill in a framework; ``parent_code`` places it in the framework's tree."""

    code: str
    name: str
    description: str = ""
    category: str = ""
    parent_code: str | None = None


def new_framework_identifier() -> str:
    """A fresh identifier; CASE needs UUIDs, so frameworks meant for export should use one."""
    return str(uuid.uuid4())


def _default_locate(index: int) -> str:
    return f"skills[{index}]"


def validate_framework(skills: Sequence[Skill], *, locate: Callable[[int], str] = _default_locate) -> None:
    """Check a list of skills forms a valid tree.

    Every problem is collected (empty codes or names, duplicate codes, unknown parents, cycles)
    and raised together. ``locate`` turns a skill's index into the location used in messages,
    so importers can report ``line 7`` or ``CFItems[3]`` instead of ``skills[5]``.

    :raise ValidationError: listing every problem found.
    """
    problems: list[str] = []
    first_index: dict[str, int] = {}
    for i, skill in enumerate(skills):
        where = locate(i)
        if not skill.code.strip():
            problems.append(f"{where}.code: must not be empty")
        elif skill.code != skill.code.strip():
            problems.append(f"{where}.code: must not start or end with whitespace ({skill.code!r})")
        if not skill.name.strip():
            problems.append(f"{where}.name: must not be empty")
        if skill.code in first_index:
            problems.append(
                f"{where}.code: duplicate code {skill.code!r} (first used at {locate(first_index[skill.code])})"
            )
        else:
            first_index[skill.code] = i
    for i, skill in enumerate(skills):
        if skill.parent_code is not None and skill.parent_code not in first_index:
            problems.append(f"{locate(i)}.parent_code: unknown parent {skill.parent_code!r}")
    problems.extend(_cycle_problems(skills, first_index, locate))
    if problems:
        raise ValidationError(problems)


def _cycle_problems(skills: Sequence[Skill], first_index: dict[str, int], locate: Callable[[int], str]) -> list[str]:
    parent: dict[str, str | None] = {}
    for skill in skills:
        parent.setdefault(skill.code, skill.parent_code)
    problems: list[str] = []
    settled: set[str] = set()  # codes known to reach a root, or already reported in a cycle
    for code in first_index:
        trail: list[str] = []
        on_trail: set[str] = set()
        current: str | None = code
        while current is not None and current in parent and current not in settled:
            if current in on_trail:
                cycle = trail[trail.index(current) :]
                # Report the cycle once, at the member listed first in the input.
                start = min(cycle, key=first_index.__getitem__)
                loop = cycle[cycle.index(start) :] + cycle[: cycle.index(start)] + [start]
                problems.append(f"{locate(first_index[start])}.parent_code: cycle {' -> '.join(loop)}")
                break
            trail.append(current)
            on_trail.add(current)
            current = parent[current]
        settled.update(trail)
    return problems


@dataclass(frozen=True)
class SkillFramework:
    """A named, versioned set of skills. Constructing one validates it, so an invalid one never exists.

    :raise ValidationError: from the constructor, listing every problem found.
    """

    identifier: str
    title: str
    version: str
    scale: ProficiencyScale
    skills: tuple[Skill, ...]

    def __post_init__(self) -> None:
        problems: list[str] = []
        if not self.identifier.strip():
            problems.append("identifier: must not be empty")
        if not self.title.strip():
            problems.append("title: must not be empty")
        try:
            validate_framework(self.skills)
        except ValidationError as error:
            problems.extend(error.errors)
        if problems:
            raise ValidationError(problems)

    @cached_property
    def _by_code(self) -> dict[str, Skill]:
        return {skill.code: skill for skill in self.skills}

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(skill.code for skill in self.skills)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def skill(self, code: str) -> Skill:
        """The skill with this code; :raise KeyError: when the framework has none."""
        return self._by_code[code]

    def get(self, code: str) -> Skill | None:
        return self._by_code.get(code)

    def children(self, code: str | None) -> tuple[Skill, ...]:
        """Direct children of ``code``, or the top-level skills when ``code`` is None."""
        return tuple(skill for skill in self.skills if skill.parent_code == code)

    def roots(self) -> tuple[Skill, ...]:
        return self.children(None)

    def categories(self) -> tuple[str, ...]:
        """Distinct non-empty categories, in the order they first appear."""
        return tuple(dict.fromkeys(skill.category for skill in self.skills if skill.category))

    def in_category(self, category: str) -> tuple[Skill, ...]:
        return tuple(skill for skill in self.skills if skill.category == category)
