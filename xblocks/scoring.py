"""Grades and completion for the career blocks, published by the rules in :mod:`career_core.scoring`."""

from __future__ import annotations

from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlockMixin
from xblock.fields import Float, Scope, String

from career_core.scoring import Completion, GradingMode, score_for


class ScoredCompletionMixin(CompletableXBlockMixin, XBlockMixin):
    """Publishes a ``grade`` and a ``completion`` event whenever the learner's work changes.

    A subclass must implement ``current_completion()``, the career_core completion of its state.
    """

    has_score = True

    weight = Float(
        display_name="Weight",
        help="Points this component is worth in the course grade (0 or more).",
        default=1.0,
        scope=Scope.settings,
    )
    grading_mode = String(
        display_name="Grading mode",
        help="on_completion: full points once the component is complete, none before; "
        "on_progress: points in proportion to completion.",
        default=GradingMode.ON_COMPLETION.value,
        values=[mode.value for mode in GradingMode],
        scope=Scope.settings,
    )
    completion_fraction = Float(
        help="The learner's completion last published (0 to 1).", default=0.0, scope=Scope.user_state
    )
    earned_score = Float(help="The learner's score last published.", default=0.0, scope=Scope.user_state)

    def max_score(self) -> float:
        return float(self.weight or 0.0)

    def current_completion(self) -> Completion:
        raise NotImplementedError

    def publish_progress(self) -> Completion:
        """Publish the grade and completion of the current state, and remember them."""
        completion = self.current_completion()
        score = score_for(completion, GradingMode(self.grading_mode), self.max_score())
        self.runtime.publish(self, "grade", {"value": score, "max_value": self.max_score()})
        self.emit_completion(completion.fraction)
        self.completion_fraction = completion.fraction
        self.earned_score = score
        return completion
