"""Completion and scores for every component kind."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from career_core.exercises import evaluate_exercise, exercise_template
from career_core.plans import DevelopmentPlan, Goal, PlanStatus
from career_core.scoring import (
    UNAGREED_PLAN_CEILING,
    Completion,
    GradingMode,
    career_path_completion,
    development_plan_completion,
    reflection_completion,
    score_for,
    self_assessment_completion,
)


def plan(status: PlanStatus, achieved: list[bool]) -> DevelopmentPlan:
    goals = tuple(Goal(f"g{i}", "Goal", achieved=flag) for i, flag in enumerate(achieved))
    return DevelopmentPlan(owner="o", goals=goals, status=status)


def test_completion_refuses_contradictions() -> None:
    with pytest.raises(ValueError, match="contradicts"):
        Completion(1.0, False)
    with pytest.raises(ValueError, match="contradicts"):
        Completion(0.5, True)
    with pytest.raises(ValueError, match=r"within 0\.\.1"):
        Completion(1.5, True)


def test_self_assessment_counts_only_required_skills() -> None:
    required = ["A", "B", "C", "D"]
    assert self_assessment_completion(["A", "X", "Y"], required) == Completion(0.25, False)
    assert self_assessment_completion(["D", "C", "B", "A", "X"], required) == Completion(1.0, True)
    assert self_assessment_completion(["A"], []) == Completion(0.0, False)


def test_career_path_needs_a_target_and_a_reviewed_gap() -> None:
    assert career_path_completion(None, gap_reviewed=True) == Completion(0.0, False)
    assert career_path_completion("15-1252.00", gap_reviewed=False) == Completion(0.5, False)
    assert career_path_completion("15-1252.00", gap_reviewed=True) == Completion(1.0, True)


@pytest.mark.parametrize(
    ("status", "achieved", "expected"),
    [
        (PlanStatus.ACTIVE, [True, True], Completion(1.0, True)),
        (PlanStatus.ACTIVE, [True, False], Completion(0.5, False)),
        (PlanStatus.ACTIVE, [], Completion(0.0, False)),
        (PlanStatus.COMPLETE, [False, False], Completion(1.0, True)),
        (PlanStatus.COMPLETE, [], Completion(1.0, True)),
        (PlanStatus.DRAFT, [True, True], Completion(UNAGREED_PLAN_CEILING, False)),
        (PlanStatus.IN_REVIEW, [True, False], Completion(0.5, False)),
        (PlanStatus.WAITING_FOR_REVIEW, [True, True], Completion(UNAGREED_PLAN_CEILING, False)),
    ],
)
def test_development_plan_completion(status: PlanStatus, achieved: list[bool], expected: Completion) -> None:
    assert development_plan_completion(plan(status, achieved)) == expected


def test_reflection_completion_follows_the_exercise() -> None:
    template = exercise_template("personal_vision")
    partial = evaluate_exercise(template, {"vision": " ".join(["w"] * 20)})
    assert reflection_completion(partial) == Completion(0.25, False)


def test_score_modes() -> None:
    half = Completion(0.5, False)
    assert score_for(half, GradingMode.ON_COMPLETION, 10) == 0.0
    assert score_for(Completion(1.0, True), GradingMode.ON_COMPLETION, 10) == 10.0
    assert score_for(half, GradingMode.ON_PROGRESS, 10) == 5.0
    assert score_for(Completion(1 / 3, False), GradingMode.ON_PROGRESS, 1) == 0.33
    assert score_for(Completion(1.0, True), GradingMode.ON_PROGRESS, 0.005) == 0.005


@pytest.mark.parametrize("bad", [-1.0, math.inf, math.nan])
def test_score_refuses_bad_max(bad: float) -> None:
    with pytest.raises(ValueError, match="max_score"):
        score_for(Completion(0.0, False), GradingMode.ON_PROGRESS, bad)


@given(
    st.floats(0.0, 1.0),
    st.sampled_from(GradingMode),
    st.floats(0.0, 1e6, allow_nan=False, allow_infinity=False),
)
def test_scores_stay_within_zero_and_max(fraction: float, mode: GradingMode, max_score: float) -> None:
    score = score_for(Completion.of(fraction), mode, max_score)
    assert 0.0 <= score <= max_score
    if mode is GradingMode.ON_COMPLETION:
        assert score in {0.0, max_score}


@given(st.lists(st.booleans(), min_size=1, max_size=20), st.sampled_from(PlanStatus))
def test_plan_completion_is_consistent(achieved: list[bool], status: PlanStatus) -> None:
    completion = development_plan_completion(plan(status, achieved))
    assert completion.complete == (completion.fraction == 1.0)
    if status not in {PlanStatus.ACTIVE, PlanStatus.COMPLETE}:
        assert not completion.complete
