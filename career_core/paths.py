"""Cheapest career path between two roles over the related-roles graph (Dijkstra).

Cost model. Moving from role ``u`` to a related role ``v`` costs the weighted gaps (see
:mod:`career_core.gaps`) the learner must close to meet ``v``, judged from the profile they would
have while holding ``u``: their own ratings raised to ``u``'s requirements, skill by skill. Skills
picked up in roles before ``u`` are not carried forward. That is deliberately conservative (skills
not used in the current job fade) and it makes each edge's cost depend on that edge alone, which
is what lets Dijkstra return the truly cheapest path. The starting role is treated the same way:
a learner in ``from_code`` is taken to meet its requirements.

Each step also pays ``STEP_COST / strength``: a light price for a change of job, a bit higher for
a weaker relation, so among equally gap-free routes the shorter and closer one wins.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass

from career_core.errors import CareerDomainError
from career_core.gaps import SkillGap, skill_gaps, validate_profile
from career_core.ranking import index_for
from career_core.roles import Role, RoleCatalog, Transition

STEP_COST = 0.1


class UnknownRoleError(CareerDomainError, KeyError):
    """A role code that is not in the catalog."""


@dataclass(frozen=True)
class PathStep:
    """One move along a path, with the gaps to close on arrival and what the move costs."""

    transition: Transition
    gaps: tuple[SkillGap, ...]
    cost: float

    @property
    def from_code(self) -> str:
        return self.transition.from_code

    @property
    def to_code(self) -> str:
        return self.transition.to_code


@dataclass(frozen=True)
class CareerPath:
    """A route from one role to another; ``steps`` is empty when start and goal are the same role."""

    from_code: str
    to_code: str
    steps: tuple[PathStep, ...]
    total_cost: float

    @property
    def role_codes(self) -> tuple[str, ...]:
        return (self.from_code, *(step.to_code for step in self.steps))


def profile_in_role(profile: Mapping[str, float], role: Role) -> dict[str, float]:
    """The learner's profile while holding ``role``: each skill at least at the role's requirement."""
    grown = dict(profile)
    for req in role.requirements:
        if grown.get(req.skill_code, 0.0) < req.level:
            grown[req.skill_code] = req.level
    return grown


def transition_cost(
    profile: Mapping[str, float], catalog: RoleCatalog, transition: Transition
) -> tuple[float, tuple[SkillGap, ...]]:
    """Cost of one move and the gaps behind it, under the model in the module docstring."""
    here = profile_in_role(profile, catalog.role(transition.from_code))
    return _arrival_cost(here, catalog.role(transition.to_code), transition.strength)


def _arrival_cost(here: Mapping[str, float], role: Role, strength: float) -> tuple[float, tuple[SkillGap, ...]]:
    gaps = tuple(g for g in skill_gaps(here, role) if g.gap > 0)
    return sum(g.weighted_gap for g in gaps) + STEP_COST / strength, gaps


def cheapest_path(
    catalog: RoleCatalog, profile: Mapping[str, float], from_code: str, to_code: str
) -> CareerPath | None:
    """The lowest-cost route from ``from_code`` to ``to_code``, or None when no route exists.

    :raise UnknownRoleError: when either code is not in the catalog.
    :raise ValidationError: when the profile has an invalid level.
    """
    for code in (from_code, to_code):
        if code not in catalog:
            raise UnknownRoleError(f"unknown role {code!r}")
    validate_profile(profile)
    if from_code == to_code:
        return CareerPath(from_code, to_code, (), 0.0)

    # Dijkstra over role indices with vectorised profiles: the SkillGap objects are only built for
    # the steps of the path found, which keeps a search across every O*NET role fast.
    index = index_for(catalog)
    start, goal = index.row_of[from_code], index.row_of[to_code]
    own = index.vector(profile)
    best: dict[int, float] = {start: 0.0}
    came_by: dict[int, Transition] = {}
    settled: set[int] = set()
    queue: list[tuple[float, int]] = [(0.0, start)]
    while queue:
        cost, row = heapq.heappop(queue)
        if row in settled:
            continue
        settled.add(row)
        if row == goal:
            break
        here = [have if have > need else need for have, need in zip(own, index.levels[row], strict=True)]
        for transition in catalog.transitions_from(index.roles[row].code):
            target = index.row_of[transition.to_code]
            if target in settled:
                continue
            candidate = cost + index.weighted_gap(here, target) + STEP_COST / transition.strength
            if candidate < best.get(target, math.inf):
                best[target] = candidate
                came_by[target] = transition
                heapq.heappush(queue, (candidate, target))
    if goal not in settled:
        return None

    route: list[Transition] = []
    row = goal
    while row != start:
        route.append(came_by[row])
        row = index.row_of[came_by[row].from_code]
    route.reverse()
    steps = []
    for transition in route:
        step_cost, gaps = transition_cost(profile, catalog, transition)
        steps.append(PathStep(transition, gaps, step_cost))
    return CareerPath(from_code, to_code, tuple(steps), sum(s.cost for s in steps))
