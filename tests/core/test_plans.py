"""Development plans: validation messages, parsing round trips, progress and overdue detection."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from career_core.errors import ValidationError
from career_core.plans import (
    Action,
    ActionKind,
    ActionStatus,
    DevelopmentPlan,
    Goal,
    PlanStatus,
    overdue_actions,
    overdue_goals,
    parse_plan,
    plan_progress,
    plan_to_dict,
    validate_plan,
    with_action_status,
    with_goal_achieved,
)
from career_core.scales import FIVE_POINT_SCALE

TODAY = date(2025, 3, 1)


def make_plan(**changes: object) -> DevelopmentPlan:
    goals = (
        Goal("g1", "Lead a data project", skill_code="DATA", target_level=4, due_date=date(2025, 6, 1)),
        Goal("g2", "Present to the board", due_date=date(2025, 2, 1)),
    )
    actions = (
        Action("a1", "g1", ActionKind.COURSE, "Statistics course", due_date=date(2025, 1, 15)),
        Action("a2", "g2", ActionKind.MENTORING, "Rehearse with mentor", ActionStatus.DONE, date(2025, 1, 1)),
    )
    fields: dict[str, object] = {"owner": "learner-1", "goals": goals, "actions": actions}
    fields.update(changes)
    return DevelopmentPlan(**fields)  # type: ignore[arg-type]


def messages(excinfo: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return excinfo.value.errors


def test_valid_plan_passes_validation() -> None:
    validate_plan(make_plan(), scale=FIVE_POINT_SCALE)


def test_validation_reports_every_problem_with_its_location() -> None:
    plan = make_plan(
        goals=(
            Goal("g1", "   "),
            Goal("g1", "Duplicate id"),
            Goal("g3", "Too high", skill_code="DATA", target_level=7),
        ),
        actions=(Action("a1", "missing", ActionKind.COURSE, "Course", url="javascript:alert(1)"),),
    )
    with pytest.raises(ValidationError) as excinfo:
        validate_plan(plan, scale=FIVE_POINT_SCALE)
    assert messages(excinfo) == [
        "goals[0].title: must not be empty",
        "goals[1].id: 'g1' is used twice",
        "goals[2].target_level: 7 is outside scale 'five-point' (1-5)",
        "actions[0].goal_id: 'missing' is not a goal of this plan",
        "actions[0].url: 'javascript:alert(1)' is not an http(s) address",
    ]


def test_target_level_needs_a_skill_and_achieved_at_needs_achieved() -> None:
    plan = make_plan(goals=(Goal("g1", "Level up", target_level=2, achieved_at=TODAY),), actions=())
    with pytest.raises(ValidationError) as excinfo:
        validate_plan(plan)
    assert messages(excinfo) == [
        "goals[0].target_level: a target level needs a skill_code",
        "goals[0].achieved_at: is set but the goal is not marked achieved",
    ]


def test_parse_reports_bad_dates_kinds_and_types() -> None:
    data = {
        "owner": "learner-1",
        "status": "approved",
        "goals": [{"id": "g1", "title": "Goal", "due_date": "01/02/2025", "target_level": "high"}],
        "actions": [{"id": "a1", "goal_id": "g1", "kind": "webinar", "title": "", "due_date": 20250101}],
    }
    with pytest.raises(ValidationError) as excinfo:
        parse_plan(data)
    assert messages(excinfo) == [
        "status: 'approved' is not one of draft, waiting_for_review, in_review, active, complete",
        "goals[0].target_level: must be a whole number, not 'high'",
        "goals[0].due_date: '01/02/2025' is not a date in the form YYYY-MM-DD",
        "actions[0].kind: 'webinar' is not one of course, learning_resource, mentoring, on_the_job, networking",
        "actions[0].title: must not be empty",
        "actions[0].due_date: must be a date as YYYY-MM-DD, not int",
    ]


def test_parse_checks_level_range_after_parsing() -> None:
    data = {"owner": "o", "goals": [{"id": "g", "title": "t", "skill_code": "S", "target_level": "0"}]}
    with pytest.raises(ValidationError) as excinfo:
        parse_plan(data, scale=FIVE_POINT_SCALE)
    assert messages(excinfo) == ["goals[0].target_level: 0 is outside scale 'five-point' (1-5)"]


def test_round_trip_through_dict() -> None:
    plan = with_goal_achieved(make_plan(status=PlanStatus.ACTIVE, requires_review=False), "g2", TODAY)
    assert parse_plan(plan_to_dict(plan), scale=FIVE_POINT_SCALE) == plan


def test_progress_is_share_of_goals_achieved() -> None:
    plan = make_plan()
    assert plan_progress(plan) == 0.0
    assert plan_progress(with_goal_achieved(plan, "g1", TODAY)) == 0.5
    assert plan_progress(make_plan(goals=(), actions=())) == 0.0


def test_unachieving_a_goal_clears_its_date() -> None:
    plan = with_goal_achieved(with_goal_achieved(make_plan(), "g1", TODAY), "g1", None)
    assert plan.goal("g1").achieved is False
    assert plan.goal("g1").achieved_at is None


def test_unknown_goal_or_action_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="no goal with id 'nope'"):
        with_goal_achieved(make_plan(), "nope", TODAY)
    with pytest.raises(ValidationError, match="no action with id 'nope'"):
        with_action_status(make_plan(), "nope", ActionStatus.DONE)


def test_overdue_detection() -> None:
    plan = make_plan()
    assert [goal.id for goal in overdue_goals(plan, TODAY)] == ["g2"]
    assert [action.id for action in overdue_actions(plan, TODAY)] == ["a1"]
    # Due today is not yet overdue; achieved or done work never is.
    assert overdue_goals(plan, date(2025, 2, 1)) == ()
    assert overdue_goals(with_goal_achieved(plan, "g2", TODAY), TODAY) == ()
    assert overdue_actions(with_action_status(plan, "a1", ActionStatus.DONE), TODAY) == ()


@given(st.lists(st.booleans(), min_size=1, max_size=30), st.data())
def test_progress_is_monotone_in_achieved_goals(flags: list[bool], data: st.DataObject) -> None:
    goals = tuple(Goal(f"g{i}", "Goal", achieved=flag) for i, flag in enumerate(flags))
    plan = DevelopmentPlan(owner="o", goals=goals)
    index = data.draw(st.integers(0, len(flags) - 1))
    more = with_goal_achieved(plan, f"g{index}", TODAY)
    assert 0.0 <= plan_progress(plan) <= plan_progress(more) <= 1.0
    assert (plan_progress(more) > plan_progress(plan)) == (not flags[index])
