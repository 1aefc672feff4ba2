"""Rank roles by how well a learner's profile fits them, fast enough for every O*NET occupation.

Fit follows :mod:`career_core.gaps`. A :class:`RoleIndex` precomputes, once per catalog, each role's
requirements as parallel tuples over a shared skill numbering, so ranking is one tight loop per
role. Per-skill explanations are only built for the roles a caller actually looks at.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from career_core.gaps import SkillGap, importance_weight, skill_gaps, validate_profile
from career_core.roles import IMPORTANCE_MIN, Role, RoleCatalog


@dataclass(frozen=True)
class SkillContribution:
    """How one requirement moves a role's fit: ``fit_loss`` is its share of the fit the learner lacks."""

    skill_code: str
    current: float
    required: float
    importance: float
    gap: float
    weighted_gap: float
    fit_loss: float

    @property
    def met(self) -> bool:
        return self.gap == 0


@dataclass(frozen=True)
class RoleFit:
    """A role's place in a ranking. ``contributions`` is computed on first access."""

    role: Role
    fit: float
    total_weighted_gap: float
    _profile: Mapping[str, float] = field(repr=False, compare=False)

    @property
    def role_code(self) -> str:
        return self.role.code

    @property
    def title(self) -> str:
        return self.role.title

    @cached_property
    def contributions(self) -> tuple[SkillContribution, ...]:
        """Every requirement, the ones costing most fit first."""
        items: list[SkillGap] = skill_gaps(self._profile, self.role)
        possible = sum(i.weight * i.required for i in items)
        result = [
            SkillContribution(
                i.skill_code,
                i.current,
                i.required,
                i.importance,
                i.gap,
                i.weighted_gap,
                i.weighted_gap / possible if possible > 0 else 0.0,
            )
            for i in items
        ]
        result.sort(key=lambda c: (-c.fit_loss, c.skill_code))
        return tuple(result)


class RoleIndex:
    """Roles precomputed for ranking and path finding. Build it once per set of roles and reuse it.

    Skills are numbered once; each role becomes a tuple of ``(skill position, level, weight)`` for
    the requirements that can produce a gap, plus its total weighted requirement, so scoring a
    role is a short loop of float arithmetic with no dictionary look-ups or allocations.
    ``levels`` keeps each role's required levels as a dense vector, for path finding.
    """

    def __init__(self, roles: Iterable[Role]) -> None:
        self.roles: tuple[Role, ...] = tuple(roles)
        self.skill_codes: tuple[str, ...] = tuple(
            dict.fromkeys(req.skill_code for role in self.roles for req in role.requirements)
        )
        self.position: dict[str, int] = {code: i for i, code in enumerate(self.skill_codes)}
        self.row_of: dict[str, int] = {role.code: n for n, role in enumerate(self.roles)}
        levels: list[tuple[float, ...]] = []
        rows: list[tuple[tuple[int, float, float], ...]] = []
        possible: list[float] = []
        for role in self.roles:
            level_row = [0.0] * len(self.skill_codes)
            for req in role.requirements:
                level_row[self.position[req.skill_code]] = float(req.level)
            levels.append(tuple(level_row))
            # Requirements at level 0 or with weight 0 can never add a gap: keep only the others.
            row = tuple(
                (self.position[req.skill_code], float(req.level), importance_weight(req.importance))
                for req in role.requirements
                if req.level > 0 and req.importance > IMPORTANCE_MIN
            )
            rows.append(row)
            possible.append(sum(level * weight for _, level, weight in row))
        self.levels: tuple[tuple[float, ...], ...] = tuple(levels)
        self.rows: tuple[tuple[tuple[int, float, float], ...], ...] = tuple(rows)
        self.possible: tuple[float, ...] = tuple(possible)

    def __len__(self) -> int:
        return len(self.roles)

    def vector(self, profile: Mapping[str, float]) -> tuple[float, ...]:
        """The profile as levels in this index's skill order; unrated skills are 0."""
        return tuple(float(profile.get(code, 0.0)) for code in self.skill_codes)

    def weighted_gap(self, current: Sequence[float], row: int) -> float:
        """Sum of importance-weighted gaps between ``current`` (see :meth:`vector`) and role ``row``."""
        missing = 0.0
        for i, level, weight in self.rows[row]:
            have = current[i]
            if have < level:
                missing += (level - have) * weight
        return missing

    def rank(self, profile: Mapping[str, float], limit: int | None = None) -> list[RoleFit]:
        """Roles best fit first; ties by role code. :raise ValidationError: on an invalid profile."""
        validate_profile(profile)
        snapshot = dict(profile)
        current = self.vector(snapshot)
        scored: list[tuple[float, str, int, float]] = []
        append = scored.append
        # This loop is the hot path (every role x every requirement): keep it free of calls.
        for n, (row, possible, role) in enumerate(zip(self.rows, self.possible, self.roles, strict=True)):
            missing = 0.0
            for i, level, weight in row:
                have = current[i]
                if have < level:
                    missing += (level - have) * weight
            append((-(1.0 - missing / possible) if possible > 0 else -1.0, role.code, n, missing))
        scored.sort()
        if limit is not None:
            scored = scored[: max(0, limit)]
        return [RoleFit(self.roles[n], -neg_fit, missing, snapshot) for neg_fit, _, n, missing in scored]


def rank_roles(
    profile: Mapping[str, float], roles: RoleIndex | Iterable[Role], limit: int | None = None
) -> list[RoleFit]:
    """Roles sorted by fit to ``profile``, best first (ties broken by role code).

    Pass a prebuilt :class:`RoleIndex` (e.g. ``OnetCatalog.role_index``) when ranking repeatedly;
    a plain iterable of roles is indexed on every call.
    """
    index = roles if isinstance(roles, RoleIndex) else RoleIndex(roles)
    return index.rank(profile, limit)


_INDEXES: weakref.WeakKeyDictionary[RoleCatalog, RoleIndex] = weakref.WeakKeyDictionary()


def index_for(catalog: RoleCatalog) -> RoleIndex:
    """The :class:`RoleIndex` of a catalog, built on first request and kept while the catalog lives."""
    index = _INDEXES.get(catalog)
    if index is None:
        index = _INDEXES[catalog] = RoleIndex(catalog.roles)
    return index
