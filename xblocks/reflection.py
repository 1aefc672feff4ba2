"""The reflection block: one career-development exercise (values, strengths, vision or networking)."""

from __future__ import annotations

from typing import Any

from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Integer, Scope, String

from career_core.errors import ValidationError
from career_core.exercises import EXERCISE_TEMPLATES, ExerciseTemplate, FieldKind, evaluate_exercise
from career_core.scoring import Completion, reflection_completion
from xblocks.base import CareerBlock
from xblocks.common import bad_request, require_object

BLANK_ENTRY_ROWS = 1


class ReflectionXBlock(CareerBlock):
    """Answers to one exercise template; complete when every criterion of the template is met."""

    template = "reflection.html"
    js_class = "CareerReflectionXBlock"
    editable_fields = ("display_name", "exercise_template", "weight", "grading_mode")

    display_name = String(
        display_name="Display name", help="The title learners see.", default="Reflection", scope=Scope.settings
    )
    exercise_template = String(
        display_name="Exercise",
        help="values_and_drivers, strengths, personal_vision or strategic_networking.",
        default="values_and_drivers",
        values=list(EXERCISE_TEMPLATES),
        scope=Scope.settings,
    )

    answers = Dict(
        help="The learner's answers, keyed by the exercise's field keys.", default={}, scope=Scope.user_state
    )
    completed_learners = Integer(
        help="How many learners completed this reflection.", default=0, scope=Scope.user_state_summary
    )
    counted_complete = Boolean(
        help="Whether this learner is counted in completed_learners.", default=False, scope=Scope.user_state
    )

    def exercise(self) -> ExerciseTemplate:
        return EXERCISE_TEMPLATES[self.exercise_template]

    def current_answers(self) -> dict[str, Any]:
        """The stored answers, without any for fields the current exercise does not have (after a template change)."""
        keys = {item.key for item in self.exercise().fields}
        return {key: value for key, value in self.answers.items() if key in keys}

    def current_completion(self) -> Completion:
        return reflection_completion(evaluate_exercise(self.exercise(), self.current_answers()))

    def view_context(self) -> dict[str, Any]:
        """Everything the learner's view shows, as plain data."""
        exercise = self.exercise()
        answers = self.current_answers()
        result = evaluate_exercise(exercise, answers)
        fields = []
        for item in exercise.fields:
            value = answers.get(item.key)
            if item.kind is FieldKind.ENTRIES:
                entries = list(value or [])
                rows = entries + [{} for _ in range(max(item.min_items - len(entries), BLANK_ENTRY_ROWS))]
                value = rows[: item.max_items]
            fields.append(
                {
                    "key": item.key,
                    "label": item.label,
                    "prompt": item.prompt,
                    "kind": item.kind.value,
                    "criterion": item.criterion,
                    "options": item.options,
                    "parts": [(part.key, part.label, part.choose_from_field) for part in item.parts],
                    "value": value,
                }
            )
        return {
            "exercise": {"title": exercise.title, "intro": exercise.intro},
            "fields": fields,
            "unmet": [criterion.message for criterion in result.unmet],
            "completion": result.completion,
            "complete": result.complete,
            "completed_learners": self.completed_learners,
        }

    @XBlock.json_handler
    def save_answers(self, data: Any, suffix: str = "") -> dict[str, Any]:
        """Save ``{"answers": {...}}``, replacing earlier answers. :raise 400: on malformed answers."""
        answers = dict(require_object(data, "answers"))
        try:
            evaluate_exercise(self.exercise(), answers)
        except ValidationError as error:
            raise bad_request(error) from None
        self.answers = answers
        completion = self.publish_progress()
        if completion.complete and not self.counted_complete:
            self.counted_complete = True
            self.completed_learners += 1
        return self.answer(self.ugettext("Your answers are saved."))

    @staticmethod
    def workbench_scenarios() -> list[tuple[str, str]]:
        return [
            (f"Career reflection: {template.title}", f'<career_reflection exercise_template="{key}"/>')
            for key, template in EXERCISE_TEMPLATES.items()
        ]
