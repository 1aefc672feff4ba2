"""Ranking roles by fit: order, agreement with gap analysis, explanations and invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from career_core.errors import ValidationError
from career_core.gaps import gap_analysis
from career_core.ranking import RoleIndex, rank_roles
from career_core.roles import Role, RoleRequirement
from tests.core.career_strategies import profiles, roles

CLERK = Role("C", "Clerk", requirements=(RoleRequirement("write", 3, 4), RoleRequirement("math", 2, 3)))
ENGINEER = Role("E", "Engineer", requirements=(RoleRequirement("math", 6, 5), RoleRequirement("write", 3, 2)))
WRITER = Role("W", "Writer", requirements=(RoleRequirement("write", 6, 5),))


def role_lists(max_size: int = 8) -> st.SearchStrategy[list[Role]]:
    return st.lists(roles(), max_size=max_size, unique_by=lambda r: r.code)


def test_roles_are_sorted_by_fit_and_explained() -> None:
    ranked = rank_roles({"write": 3, "math": 2}, [ENGINEER, WRITER, CLERK])
    assert [f.role_code for f in ranked] == ["C", "W", "E"]
    assert ranked[0].fit == 1.0
    engineer = ranked[2]
    # math: gap 4 x weight 1 = 4; write met. possible = 6*1 + 3*0.25 = 6.75
    assert engineer.fit == pytest.approx(1 - 4 / 6.75)
    top = engineer.contributions[0]
    assert (top.skill_code, top.gap, top.weighted_gap) == ("math", 4, 4)
    assert top.fit_loss == pytest.approx(4 / 6.75)
    assert engineer.contributions[1].met


def test_limit_keeps_the_best() -> None:
    assert [f.role_code for f in rank_roles({"write": 6}, [ENGINEER, WRITER, CLERK], limit=1)] == ["W"]


def test_invalid_profile_is_rejected() -> None:
    with pytest.raises(ValidationError):
        rank_roles({"write": -1}, [WRITER])


@settings(max_examples=100)
@given(profiles, role_lists())
def test_ranking_agrees_with_gap_analysis_and_is_sorted(profile: dict[str, float], rs: list[Role]) -> None:
    ranked = rank_roles(profile, rs)
    assert sorted(f.role_code for f in ranked) == sorted(r.code for r in rs)
    assert [f.fit for f in ranked] == sorted((f.fit for f in ranked), reverse=True)
    for f in ranked:
        assert 0.0 <= f.fit <= 1.0
        assert f.fit == pytest.approx(gap_analysis(profile, f.role).fit, abs=1e-9)
        assert sum(c.fit_loss for c in f.contributions) == pytest.approx(1 - f.fit, abs=1e-9)


@settings(max_examples=100)
@given(profiles, role_lists(), st.randoms(use_true_random=False))
def test_ranking_does_not_depend_on_input_order(profile: dict[str, float], rs: list[Role], rnd: object) -> None:
    shuffled = list(rs)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    first = [(f.role_code, f.fit) for f in rank_roles(profile, rs)]
    assert [(f.role_code, f.fit) for f in rank_roles(profile, RoleIndex(shuffled))] == first


@settings(max_examples=100)
@given(role_lists(), st.data())
def test_a_profile_meeting_a_role_ranks_it_at_full_fit(rs: list[Role], data: st.DataObject) -> None:
    if not rs:
        return
    target = data.draw(st.sampled_from(rs))
    profile = {r.skill_code: r.level for r in target.requirements}
    ranked = rank_roles(profile, rs)
    assert next(f for f in ranked if f.role_code == target.code).fit == 1.0
    assert ranked[0].fit == 1.0
