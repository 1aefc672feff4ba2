"""Gap analysis for one role: per-skill gaps, weights, strengths, top gaps and overall fit."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from career_core.errors import ValidationError
from career_core.gaps import gap_analysis, importance_weight
from career_core.roles import Role, RoleRequirement
from tests.core.career_strategies import SKILLS, profiles, roles

ANALYST = Role(
    "15-2051.00",
    "Data Scientists",
    requirements=(
        RoleRequirement("math", 5.0, 5.0),
        RoleRequirement("prog", 4.0, 3.0),
        RoleRequirement("write", 3.0, 1.0),
        RoleRequirement("speak", 2.0, 4.0),
    ),
)


def test_gaps_weights_and_fit_by_hand() -> None:
    report = gap_analysis({"math": 3, "prog": 4, "speak": 6}, ANALYST, top_n=1)
    by_code = {item.skill_code: item for item in report.items}
    assert by_code["math"].gap == 2 and by_code["math"].weight == 1.0 and by_code["math"].weighted_gap == 2
    assert by_code["prog"].gap == 0
    # An unrated skill counts as level 0.
    assert by_code["write"].current == 0 and not by_code["write"].rated and by_code["write"].gap == 3
    assert by_code["write"].weighted_gap == 0  # importance 1 ("Not Important") carries no weight
    assert report.unrated == ("write",)
    # possible = 5*1 + 4*0.5 + 3*0 + 2*0.75 = 8.5; missing = 2
    assert report.fit == pytest.approx(1 - 2 / 8.5)
    assert report.total_weighted_gap == 2
    assert [g.skill_code for g in report.top_gaps] == ["math"]
    # Met requirements, most important first.
    assert [s.skill_code for s in report.strengths] == ["speak", "prog"]


def test_importance_weight_spans_zero_to_one() -> None:
    assert (importance_weight(1), importance_weight(3), importance_weight(5)) == (0, 0.5, 1)


def test_a_role_without_weighted_requirements_is_a_full_fit() -> None:
    assert gap_analysis({}, Role("X", "Anything")).fit == 1.0


@pytest.mark.parametrize("level", [-1, float("nan"), float("inf"), "3"])
def test_invalid_profile_levels_are_rejected(level: object) -> None:
    with pytest.raises(ValidationError, match=r"profile\['math'\]"):
        gap_analysis({"math": level}, ANALYST)  # type: ignore[dict-item]


@settings(max_examples=200)
@given(profiles, roles())
def test_gaps_are_non_negative_and_fit_is_a_fraction(profile: dict[str, float], role: Role) -> None:
    report = gap_analysis(profile, role)
    assert all(item.gap >= 0 and item.weighted_gap >= 0 for item in report.items)
    assert 0.0 <= report.fit <= 1.0
    assert all(not g.met for g in report.top_gaps)
    assert [g.weighted_gap for g in report.top_gaps] == sorted((g.weighted_gap for g in report.top_gaps), reverse=True)


@settings(max_examples=200)
@given(profiles, roles(), st.sampled_from(SKILLS), st.floats(min_value=0, max_value=3))
def test_raising_a_rating_never_increases_a_gap(
    profile: dict[str, float], role: Role, skill: str, raise_by: float
) -> None:
    before = gap_analysis(profile, role)
    raised = {**profile, skill: profile.get(skill, 0.0) + raise_by}
    after = gap_analysis(raised, role)
    for old, new in zip(before.items, after.items, strict=True):
        assert new.gap <= old.gap
    assert after.fit >= before.fit


@settings(max_examples=100)
@given(roles())
def test_meeting_every_requirement_is_a_full_fit(role: Role) -> None:
    report = gap_analysis({r.skill_code: r.level for r in role.requirements}, role)
    assert report.fit == 1.0 and report.top_gaps == ()
