"""Completion and score for every kind of career component, defined once.

The LTI tool's grade sync and the XBlocks' ``grade`` and completion events both call these, so a
learner gets the same result whichever platform hosts the activity.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from career_core.exercises import ExerciseResult
from career_core.plans import DevelopmentPlan, PlanStatus, plan_progress


class ComponentKind(StrEnum):
    SELF_ASSESSMENT = "self_assessment"
    CAREER_PATH = "career_path"
    DEVELOPMENT_PLAN = "development_plan"
    REFLECTION = "reflection"


class GradingMode(StrEnum):
    ON_COMPLETION = "on_completion"  # full marks once complete, nothing before
    ON_PROGRESS = "on_progress"  # marks in proportion to completion


@dataclass(frozen=True)
class Completion:
    """How far a learner is through a component.

    ``fraction`` is 1.0 exactly when ``complete``: Open edX treats a completion of 1.0 as done, so the
    two must never disagree.
    """

    fraction: float
    complete: bool

    def __post_init__(self) -> None:
        if not 0.0 <= self.fraction <= 1.0:
            raise ValueError(f"fraction must be within 0..1, not {self.fraction}")
        if self.complete != (self.fraction == 1.0):
            raise ValueError(f"complete={self.complete} contradicts fraction={self.fraction}")

    @classmethod
    def of(cls, fraction: float) -> Completion:
        fraction = min(max(fraction, 0.0), 1.0)
        return cls(fraction, fraction == 1.0)


NOT_STARTED = Completion(0.0, False)
DONE = Completion(1.0, True)

# A plan nobody has agreed yet is not done, however many goals it ticks off; this keeps its
# fraction below 1.0 (see Completion) while still showing the learner's progress.
UNAGREED_PLAN_CEILING = 0.99


def self_assessment_completion(rated_skill_codes: Iterable[str], required_skill_codes: Iterable[str]) -> Completion:
    """Share of the required skills (the framework's, or the subset an author configured) rated.

    Ratings of skills outside the required set do not count. With nothing required there is nothing
    to complete, so no credit is given: that is a configuration error, not a free grade.
    """
    required = set(required_skill_codes)
    if not required:
        return NOT_STARTED
    rated = required.intersection(rated_skill_codes)
    return Completion.of(len(rated) / len(required))


def career_path_completion(target_role_code: str | None, gap_reviewed: bool) -> Completion:
    """Half for choosing a target role, complete once the learner has reviewed the gap to it."""
    if not target_role_code:
        return NOT_STARTED
    return DONE if gap_reviewed else Completion(0.5, False)


def development_plan_completion(plan: DevelopmentPlan) -> Completion:
    """Complete when the plan is ``complete`` (closed by its owner or a reviewer), or ``active`` with
    at least one goal and every goal achieved.

    Otherwise the fraction is the share of goals achieved; for a plan not yet active (draft or in
    review) it is capped at ``UNAGREED_PLAN_CEILING``.
    """
    if plan.status is PlanStatus.COMPLETE:
        return DONE
    progress = plan_progress(plan)
    if plan.status is PlanStatus.ACTIVE:
        return Completion.of(progress)
    return Completion(min(progress, UNAGREED_PLAN_CEILING), False)


def reflection_completion(result: ExerciseResult) -> Completion:
    return Completion(result.completion, result.complete)


def score_for(completion: Completion, mode: GradingMode, max_score: float) -> float:
    """The score to publish, within [0, max_score].

    :raise ValueError: when ``max_score`` is negative, infinite or not a number.
    """
    if not math.isfinite(max_score) or max_score < 0:
        raise ValueError(f"max_score must be a finite number of 0 or more, not {max_score}")
    if mode is GradingMode.ON_COMPLETION:
        return float(max_score) if completion.complete else 0.0
    if completion.complete:
        # Full marks exactly, not a rounded neighbour of max_score.
        return float(max_score)
    # Rounding may step just past max_score when max_score has more than two decimals.
    return min(round(completion.fraction * max_score, 2), float(max_score))
