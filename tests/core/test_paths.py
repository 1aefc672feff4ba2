"""Cheapest career paths: the cost model by hand and optimality against brute force."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from career_core.paths import STEP_COST, UnknownRoleError, cheapest_path, transition_cost
from career_core.roles import Role, RoleCatalog, RoleRequirement, Transition
from tests.core.career_strategies import profiles, roles


def role(code: str, **levels: float) -> Role:
    return Role(code, code, requirements=tuple(RoleRequirement(s, lv, 5.0) for s, lv in levels.items()))


CATALOG = RoleCatalog.build(
    [role("A", x=2), role("B", x=4), role("C", x=6), role("D", y=3), role("Z")],
    [Transition("A", "B"), Transition("B", "C"), Transition("A", "C", 0.5), Transition("C", "D", 0.75)],
)


def test_steps_build_on_the_previous_role() -> None:
    path = cheapest_path(CATALOG, {}, "A", "C")
    assert path is not None
    # A->B->C: 2 + 2 + 2 steps; A->C directly: 4 gap + STEP/0.5. Going via B is cheaper.
    assert path.role_codes == ("A", "B", "C")
    assert [s.cost for s in path.steps] == [2 + STEP_COST, 2 + STEP_COST]
    assert path.total_cost == pytest.approx(4 + 2 * STEP_COST)
    assert [(g.skill_code, g.current, g.required) for g in path.steps[1].gaps] == [("x", 4, 6)]


def test_skills_from_roles_before_the_last_are_not_carried_forward() -> None:
    path = cheapest_path(CATALOG, {}, "C", "D")
    assert path is not None and path.total_cost == pytest.approx(3 + STEP_COST / 0.75)
    cost, gaps = transition_cost({"y": 1}, CATALOG, Transition("C", "D", 0.75))
    assert cost == pytest.approx(2 + STEP_COST / 0.75) and gaps[0].current == 1


def test_same_role_unreachable_and_unknown() -> None:
    same = cheapest_path(CATALOG, {}, "B", "B")
    assert same is not None and same.steps == () and same.total_cost == 0
    assert cheapest_path(CATALOG, {}, "C", "A") is None
    assert cheapest_path(CATALOG, {}, "A", "Z") is None
    with pytest.raises(UnknownRoleError):
        cheapest_path(CATALOG, {}, "A", "nope")


@st.composite
def small_catalogs(draw: st.DrawFn) -> RoleCatalog:
    codes = [f"R{i}" for i in range(draw(st.integers(2, 6)))]
    rs = [draw(roles(code=code)) for code in codes]
    pairs = [(a, b) for a in codes for b in codes if a != b]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=12)) if pairs else []
    strengths = st.sampled_from([1.0, 0.75, 0.5])
    return RoleCatalog.build(rs, [Transition(a, b, draw(strengths)) for a, b in edges])


def brute_force(catalog: RoleCatalog, profile: dict[str, float], start: str, goal: str) -> float:
    best = math.inf

    def walk(code: str, seen: set[str], cost: float) -> None:
        nonlocal best
        if code == goal:
            best = min(best, cost)
            return
        for t in catalog.transitions_from(code):
            if t.to_code not in seen:
                walk(t.to_code, seen | {t.to_code}, cost + transition_cost(profile, catalog, t)[0])

    walk(start, {start}, 0.0)
    return best


@settings(max_examples=150, deadline=None)
@given(small_catalogs(), profiles, st.data())
def test_path_is_valid_and_cheapest(catalog: RoleCatalog, profile: dict[str, float], data: st.DataObject) -> None:
    start = data.draw(st.sampled_from(catalog.roles)).code
    goal = data.draw(st.sampled_from(catalog.roles)).code
    path = cheapest_path(catalog, profile, start, goal)
    expected = brute_force(catalog, profile, start, goal)
    if path is None:
        assert expected == math.inf
        return
    assert path.role_codes[0] == start and path.role_codes[-1] == goal
    edges = {(t.from_code, t.to_code, t.strength) for t in catalog.transitions}
    for step in path.steps:
        assert (step.from_code, step.to_code, step.transition.strength) in edges
        assert step.cost > 0
    assert all(a.to_code == b.from_code for a, b in zip(path.steps, path.steps[1:], strict=False))
    assert path.total_cost >= 0
    assert path.total_cost == pytest.approx(expected, abs=1e-9)
