"""Individual development plans: a vision, goals tied to skills, the actions that serve them.

Plans are values: every change returns a new plan. ``validate_plan`` and ``parse_plan`` report all
problems at once, each message located by a field path such as ``goals[1].target_level``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from career_core._input import (
    is_web_url,
    parse_date,
    read_bool,
    read_date,
    read_enum,
    read_optional_int,
    read_optional_text,
    read_text,
)
from career_core.errors import ValidationError
from career_core.scales import ProficiencyScale

MAX_TITLE_LENGTH = 200
MAX_VISION_LENGTH = 5000
MAX_URL_LENGTH = 2000
MAX_GOALS = 50
MAX_ACTIONS = 200


class PlanStatus(StrEnum):
    """Where a plan is in its review workflow (see ``plan_workflow``)."""

    DRAFT = "draft"
    WAITING_FOR_REVIEW = "waiting_for_review"
    IN_REVIEW = "in_review"
    ACTIVE = "active"
    COMPLETE = "complete"


class ActionKind(StrEnum):
    """The ways of developing a skill, roughly the 70-20-10 mix career practitioners recommend."""

    COURSE = "course"
    LEARNING_RESOURCE = "learning_resource"
    MENTORING = "mentoring"
    ON_THE_JOB = "on_the_job"
    NETWORKING = "networking"


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


@dataclass(frozen=True)
class Goal:
    """Something the learner means to achieve, optionally a target level on one skill."""

    id: str
    title: str
    skill_code: str | None = None
    target_level: int | None = None
    due_date: date | None = None
    achieved: bool = False
    achieved_at: date | None = None

    def is_overdue(self, today: date) -> bool:
        """A goal is overdue once its due date has passed without it being achieved."""
        return not self.achieved and self.due_date is not None and self.due_date < today


@dataclass(frozen=True)
class Action:
    """A concrete step towards a goal: a course, a mentoring conversation, a stretch assignment..."""

    id: str
    goal_id: str
    kind: ActionKind
    title: str
    status: ActionStatus = ActionStatus.NOT_STARTED
    due_date: date | None = None
    url: str | None = None

    def is_overdue(self, today: date) -> bool:
        return self.status is not ActionStatus.DONE and self.due_date is not None and self.due_date < today


@dataclass(frozen=True)
class DevelopmentPlan:
    """A learner's plan. ``requires_review`` defaults to True so that forgetting the flag never lets a
    learner skip a review the course asked for."""

    owner: str
    target_role_code: str | None = None
    vision: str = ""
    goals: tuple[Goal, ...] = ()
    actions: tuple[Action, ...] = ()
    status: PlanStatus = PlanStatus.DRAFT
    requires_review: bool = True

    def goal(self, goal_id: str) -> Goal:
        for goal in self.goals:
            if goal.id == goal_id:
                return goal
        raise ValidationError(f"goals: no goal with id {goal_id!r}")

    def actions_for(self, goal_id: str) -> tuple[Action, ...]:
        return tuple(action for action in self.actions if action.goal_id == goal_id)


def plan_progress(plan: DevelopmentPlan) -> float:
    """Share of the plan's goals achieved, 0.0 for a plan without goals."""
    if not plan.goals:
        return 0.0
    return sum(1 for goal in plan.goals if goal.achieved) / len(plan.goals)


def overdue_goals(plan: DevelopmentPlan, today: date) -> tuple[Goal, ...]:
    return tuple(goal for goal in plan.goals if goal.is_overdue(today))


def overdue_actions(plan: DevelopmentPlan, today: date) -> tuple[Action, ...]:
    return tuple(action for action in plan.actions if action.is_overdue(today))


def with_goal_achieved(plan: DevelopmentPlan, goal_id: str, achieved_on: date | None) -> DevelopmentPlan:
    """Mark a goal achieved on a date, or not achieved when ``achieved_on`` is None."""
    target = plan.goal(goal_id)
    updated = replace(target, achieved=achieved_on is not None, achieved_at=achieved_on)
    return replace(plan, goals=tuple(updated if goal.id == goal_id else goal for goal in plan.goals))


def with_action_status(plan: DevelopmentPlan, action_id: str, status: ActionStatus) -> DevelopmentPlan:
    if not any(action.id == action_id for action in plan.actions):
        raise ValidationError(f"actions: no action with id {action_id!r}")
    return replace(
        plan,
        actions=tuple(replace(action, status=status) if action.id == action_id else action for action in plan.actions),
    )


def validate_plan(plan: DevelopmentPlan, *, scale: ProficiencyScale | None = None) -> None:
    """Raise ``ValidationError`` listing every rule the plan breaks.

    ``scale`` is the proficiency scale the goals' target levels are expressed on; without it target
    levels are only checked to be positive.
    """
    errors: list[str] = []
    if not plan.owner.strip():
        errors.append("owner: must not be empty")
    if len(plan.vision) > MAX_VISION_LENGTH:
        errors.append(f"vision: is {len(plan.vision)} characters long; the limit is {MAX_VISION_LENGTH}")
    if len(plan.goals) > MAX_GOALS:
        errors.append(f"goals: a plan holds at most {MAX_GOALS} goals, not {len(plan.goals)}")
    if len(plan.actions) > MAX_ACTIONS:
        errors.append(f"actions: a plan holds at most {MAX_ACTIONS} actions, not {len(plan.actions)}")
    goal_ids: set[str] = set()
    for index, goal in enumerate(plan.goals):
        where = f"goals[{index}]"
        _check_id(goal.id, where, goal_ids, errors)
        _check_title(goal.title, where, errors)
        if goal.target_level is not None:
            if goal.skill_code is None:
                errors.append(f"{where}.target_level: a target level needs a skill_code")
            _check_level(goal.target_level, f"{where}.target_level", scale, errors)
        if goal.achieved_at is not None and not goal.achieved:
            errors.append(f"{where}.achieved_at: is set but the goal is not marked achieved")
    action_ids: set[str] = set()
    for index, action in enumerate(plan.actions):
        where = f"actions[{index}]"
        _check_id(action.id, where, action_ids, errors)
        _check_title(action.title, where, errors)
        if action.goal_id not in goal_ids:
            errors.append(f"{where}.goal_id: {action.goal_id!r} is not a goal of this plan")
        if action.url is not None:
            _check_url(action.url, f"{where}.url", errors)
    if errors:
        raise ValidationError(errors)


def parse_plan(data: Mapping[str, Any], *, scale: ProficiencyScale | None = None) -> DevelopmentPlan:
    """Build and validate a plan from JSON-like data (a form post or a stored ``plan_to_dict``)."""
    errors: list[str] = []
    owner = read_text(data, "owner", "plan", errors, max_length=MAX_TITLE_LENGTH)
    target_role = read_optional_text(data, "target_role_code", "plan", errors, max_length=MAX_TITLE_LENGTH)
    vision = read_text(data, "vision", "plan", errors, required=False, max_length=MAX_VISION_LENGTH)
    status = read_enum(data.get("status", PlanStatus.DRAFT.value), PlanStatus, "status", errors)
    requires_review = read_bool(data, "requires_review", "plan", errors, default=True)
    goals = tuple(
        _parse_goal(item, f"goals[{index}]", errors) for index, item in enumerate(_read_list(data, "goals", errors))
    )
    actions = tuple(
        _parse_action(item, f"actions[{index}]", errors)
        for index, item in enumerate(_read_list(data, "actions", errors))
    )
    if errors:
        raise ValidationError([error.removeprefix("plan.") for error in errors])
    plan = DevelopmentPlan(
        owner=owner,
        target_role_code=target_role,
        vision=vision,
        goals=tuple(goal for goal in goals if goal is not None),
        actions=tuple(action for action in actions if action is not None),
        status=status or PlanStatus.DRAFT,
        requires_review=requires_review,
    )
    validate_plan(plan, scale=scale)
    return plan


def plan_to_dict(plan: DevelopmentPlan) -> dict[str, Any]:
    """JSON-ready form of a plan; ``parse_plan(plan_to_dict(p)) == p``."""
    return {
        "owner": plan.owner,
        "target_role_code": plan.target_role_code,
        "vision": plan.vision,
        "status": plan.status.value,
        "requires_review": plan.requires_review,
        "goals": [
            {
                "id": goal.id,
                "title": goal.title,
                "skill_code": goal.skill_code,
                "target_level": goal.target_level,
                "due_date": _iso(goal.due_date),
                "achieved": goal.achieved,
                "achieved_at": _iso(goal.achieved_at),
            }
            for goal in plan.goals
        ],
        "actions": [
            {
                "id": action.id,
                "goal_id": action.goal_id,
                "kind": action.kind.value,
                "title": action.title,
                "status": action.status.value,
                "due_date": _iso(action.due_date),
                "url": action.url,
            }
            for action in plan.actions
        ],
    }


def _parse_goal(item: object, where: str, errors: list[str]) -> Goal | None:
    if not isinstance(item, Mapping):
        errors.append(f"{where}: must be an object")
        return None
    return Goal(
        id=read_text(item, "id", where, errors, max_length=100),
        title=read_text(item, "title", where, errors, max_length=MAX_TITLE_LENGTH),
        skill_code=read_optional_text(item, "skill_code", where, errors, max_length=100),
        target_level=read_optional_int(item, "target_level", where, errors),
        due_date=read_date(item, "due_date", where, errors),
        achieved=read_bool(item, "achieved", where, errors, default=False),
        achieved_at=read_date(item, "achieved_at", where, errors),
    )


def _parse_action(item: object, where: str, errors: list[str]) -> Action | None:
    if not isinstance(item, Mapping):
        errors.append(f"{where}: must be an object")
        return None
    kind = read_enum(item.get("kind"), ActionKind, f"{where}.kind", errors)
    status = read_enum(item.get("status", ActionStatus.NOT_STARTED.value), ActionStatus, f"{where}.status", errors)
    return Action(
        id=read_text(item, "id", where, errors, max_length=100),
        goal_id=read_text(item, "goal_id", where, errors, max_length=100),
        kind=kind or ActionKind.COURSE,
        title=read_text(item, "title", where, errors, max_length=MAX_TITLE_LENGTH),
        status=status or ActionStatus.NOT_STARTED,
        due_date=parse_date(item.get("due_date"), f"{where}.due_date", errors),
        url=read_optional_text(item, "url", where, errors, max_length=MAX_URL_LENGTH),
    )


def _read_list(data: Mapping[str, Any], key: str, errors: list[str]) -> list[object]:
    value = data.get(key, [])
    if not isinstance(value, list):
        errors.append(f"{key}: must be a list")
        return []
    return value


def _check_id(value: str, where: str, seen: set[str], errors: list[str]) -> None:
    if not value.strip():
        errors.append(f"{where}.id: must not be empty")
    elif value in seen:
        errors.append(f"{where}.id: {value!r} is used twice")
    seen.add(value)


def _check_title(value: str, where: str, errors: list[str]) -> None:
    if not value.strip():
        errors.append(f"{where}.title: must not be empty")
    elif len(value) > MAX_TITLE_LENGTH:
        errors.append(f"{where}.title: is {len(value)} characters long; the limit is {MAX_TITLE_LENGTH}")


def _check_level(level: int, where: str, scale: ProficiencyScale | None, errors: list[str]) -> None:
    if scale is not None:
        errors.extend(scale.level_problems(level, field=where))
    elif level < 1:
        errors.append(f"{where}: must be 1 or more, not {level}")


def _check_url(url: str, where: str, errors: list[str]) -> None:
    if len(url) > MAX_URL_LENGTH:
        errors.append(f"{where}: is longer than {MAX_URL_LENGTH} characters")
    elif not is_web_url(url):
        errors.append(f"{where}: {url!r} is not an http(s) address")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
