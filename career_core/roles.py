"""Roles (occupations), the skill levels they require, and the transitions between them."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

from career_core.errors import ValidationError

#: O*NET's Importance (IM) scale runs from 1 "Not Important" to 5 "Extremely Important".
IMPORTANCE_MIN = 1.0
IMPORTANCE_MAX = 5.0


@dataclass(frozen=True)
class RoleRequirement:
    """The level of one skill a role needs, and how important it is to the role (1-5, O*NET IM)."""

    skill_code: str
    level: float
    importance: float = 3.0


@dataclass(frozen=True)
class Role:
    """An occupation or job profile and the skills it requires."""

    code: str
    title: str
    description: str = ""
    requirements: tuple[RoleRequirement, ...] = ()
    job_zone: int | None = None

    def __post_init__(self) -> None:
        problems: list[str] = []
        if not self.code.strip():
            problems.append("role.code: must not be empty")
        if not self.title.strip():
            problems.append(f"role[{self.code}].title: must not be empty")
        if self.job_zone is not None and not 1 <= self.job_zone <= 5:
            problems.append(f"role[{self.code}].job_zone: must be 1-5, got {self.job_zone}")
        seen: set[str] = set()
        for i, req in enumerate(self.requirements):
            where = f"role[{self.code}].requirements[{i}]"
            if req.skill_code in seen:
                problems.append(f"{where}.skill_code: duplicate requirement for {req.skill_code!r}")
            seen.add(req.skill_code)
            if not req.level >= 0:  # also rejects NaN
                problems.append(f"{where}.level: must be >= 0, got {req.level!r}")
            if not IMPORTANCE_MIN <= req.importance <= IMPORTANCE_MAX:
                problems.append(f"{where}.importance: must be 1-5, got {req.importance!r}")
        if problems:
            raise ValidationError(problems)

    @cached_property
    def requirement_by_skill(self) -> Mapping[str, RoleRequirement]:
        return MappingProxyType({req.skill_code: req for req in self.requirements})


class RelatednessTier(enum.Enum):
    """O*NET Related Occupations tiers, from most to least related.

    O*NET lists 20 related occupations per occupation: ranks 1-5 are Primary-Short, 6-10
    Primary-Long and 11-20 Supplemental. The strengths follow that ranking: a Primary-Short
    neighbour counts fully, each later tier a quarter less, so a weaker link costs a little more
    in path finding without ever outweighing a real skill gap.
    """

    PRIMARY_SHORT = "Primary-Short"
    PRIMARY_LONG = "Primary-Long"
    SUPPLEMENTAL = "Supplemental"

    @property
    def strength(self) -> float:
        return _TIER_STRENGTH[self]


_TIER_STRENGTH = {
    RelatednessTier.PRIMARY_SHORT: 1.0,
    RelatednessTier.PRIMARY_LONG: 0.75,
    RelatednessTier.SUPPLEMENTAL: 0.5,
}


@dataclass(frozen=True)
class Transition:
    """A move from one role to a related one; ``strength`` in (0, 1], 1 being the closest relation."""

    from_code: str
    to_code: str
    strength: float = 1.0

    def __post_init__(self) -> None:
        if not 0 < self.strength <= 1:
            raise ValidationError([f"transition {self.from_code}->{self.to_code}.strength: must be in (0, 1]"])

    @classmethod
    def from_tier(cls, from_code: str, to_code: str, tier: RelatednessTier | str) -> Transition:
        return cls(from_code, to_code, RelatednessTier(tier).strength)


@dataclass(frozen=True, eq=False)
class RoleCatalog:
    """Roles and the transitions between them, looked up by code.

    Transitions that name a role outside the catalog are rejected: a path through an unknown
    role could not be costed.

    :raise ValidationError: on duplicate role codes or transitions to unknown roles.
    """

    roles: tuple[Role, ...]
    transitions: tuple[Transition, ...] = ()

    def __post_init__(self) -> None:
        problems: list[str] = []
        seen: set[str] = set()
        for i, role in enumerate(self.roles):
            if role.code in seen:
                problems.append(f"roles[{i}].code: duplicate role code {role.code!r}")
            seen.add(role.code)
        for i, t in enumerate(self.transitions):
            for field, code in (("from_code", t.from_code), ("to_code", t.to_code)):
                if code not in seen:
                    problems.append(f"transitions[{i}].{field}: unknown role {code!r}")
        if problems:
            raise ValidationError(problems)

    @classmethod
    def build(cls, roles: Iterable[Role], transitions: Iterable[Transition] = ()) -> RoleCatalog:
        return cls(tuple(roles), tuple(transitions))

    @cached_property
    def _by_code(self) -> dict[str, Role]:
        return {role.code: role for role in self.roles}

    @cached_property
    def _outgoing(self) -> dict[str, tuple[Transition, ...]]:
        out: dict[str, list[Transition]] = {}
        for t in self.transitions:
            out.setdefault(t.from_code, []).append(t)
        return {code: tuple(ts) for code, ts in out.items()}

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __len__(self) -> int:
        return len(self.roles)

    def role(self, code: str) -> Role:
        """The role with this code; :raise KeyError: when the catalog has none."""
        return self._by_code[code]

    def get(self, code: str) -> Role | None:
        return self._by_code.get(code)

    def transitions_from(self, code: str) -> tuple[Transition, ...]:
        return self._outgoing.get(code, ())

    def search(self, text: str, limit: int = 20) -> list[Role]:
        """Roles matching ``text`` by code prefix, or by the words of their title, best matches first.

        Each query word matches a title word it begins (so "developer" finds "Developers", "nurs" finds
        "Nurses"). Titles holding every word come first, then those holding more of them; a title that
        starts with the whole query leads its group. People type job names loosely ("software developer"),
        and O*NET has no skill ratings for some occupations, so near matches beat an empty list.
        """
        needle = text.casefold().strip()
        if not needle:
            return []
        words = [w for w in re.split(r"[^\w*]+", needle) if w]
        scored: list[tuple[int, bool, str, Role]] = []
        for role in self.roles:
            title = role.title.casefold()
            if role.code.startswith(needle):
                scored.append((-len(words) - 1, False, role.title, role))
                continue
            title_words = re.split(r"[^\w*]+", title)
            matched = sum(1 for w in words if any(t.startswith(w) for t in title_words))
            if matched or needle in title:
                scored.append(
                    (
                        -max(matched, len(words) if needle in title else 0),
                        not title.startswith(needle),
                        role.title,
                        role,
                    )
                )
        scored.sort(key=lambda item: item[:3])
        return [role for *_, role in scored[:limit]]
