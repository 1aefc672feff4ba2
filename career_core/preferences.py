"""A learner's values and interests, read from their reflection exercises, as O*NET Work Values and RIASEC.

The values-and-drivers exercise names values in everyday words; each maps to the O*NET Work Value
(Theory of Work Adjustment) whose needs it expresses. The strengths exercise's optional "work you
enjoy" picks are the six RIASEC interests. :func:`preferences_from_exercises` turns both into the
:class:`~career_core.recommend.LearnerPreferences` the recommendations compare with each role.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from career_core.exercises import CAREER_DRIVER_OPTIONS, INTEREST_OPTIONS, VALUE_OPTIONS
from career_core.occupation_traits import INTEREST_NAMES
from career_core.recommend import LearnerPreferences

#: Each everyday value -> the O*NET Work Value whose "corresponding needs" (O*NET's wording) it names.
VALUE_TO_WORK_VALUE: Mapping[str, str] = {
    "achievement": "Achievement",  # Achievement
    "challenge": "Achievement",  # Ability Utilization
    "expertise": "Achievement",  # Ability Utilization
    "learning": "Achievement",  # Ability Utilization
    "balance": "Working Conditions",  # Working Conditions
    "financial security": "Working Conditions",  # Compensation
    "security": "Working Conditions",  # Security
    "variety": "Working Conditions",  # Variety
    "recognition": "Recognition",  # Recognition
    "status": "Recognition",  # Social Status
    "leadership": "Recognition",  # Authority
    "influence": "Recognition",  # Authority
    "belonging": "Relationships",  # Co-workers
    "friendship at work": "Relationships",  # Co-workers
    "teamwork": "Relationships",  # Co-workers
    "helping others": "Relationships",  # Social Service
    "integrity": "Relationships",  # Moral Values
    "sustainability": "Relationships",  # Moral Values
    "fairness": "Support",  # Company Policies, Supervision: Human Relations
    "autonomy": "Independence",  # Autonomy
    "creativity": "Independence",  # Creativity
    "responsibility": "Independence",  # Responsibility
}
DRIVER_TO_WORK_VALUE: Mapping[str, str] = {
    "technical or functional expertise": "Achievement",
    "leading and managing others": "Recognition",
    "autonomy and independence": "Independence",
    "security and stability": "Working Conditions",
    "building something new": "Independence",
    "service to a cause": "Relationships",
    "pure challenge": "Achievement",
    "lifestyle and balance": "Working Conditions",
}
INTEREST_OF_OPTION: Mapping[str, str] = dict(zip(INTEREST_OPTIONS, INTEREST_NAMES, strict=True))
#: Weight of a ranked value (first, second, third) on top of having chosen it among the five.
RANK_BONUS = (3.0, 2.0, 1.0)
#: Weight of the first, second and third "work you enjoy" pick.
INTEREST_PICK_WEIGHTS = (3.0, 2.0, 1.0)

assert set(VALUE_TO_WORK_VALUE) == set(VALUE_OPTIONS), "every value option maps to a Work Value"
assert set(DRIVER_TO_WORK_VALUE) == set(CAREER_DRIVER_OPTIONS), "every driver maps to a Work Value"


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def work_value_weights(values_answers: Mapping[str, Any] | None) -> dict[str, float]:
    """O*NET Work Value -> weight from a values-and-drivers answer (chosen 1 each, ranked more, drivers 1)."""
    weights: dict[str, float] = {}
    if not values_answers:
        return weights

    def add(name: str | None, amount: float) -> None:
        if name is not None:
            weights[name] = weights.get(name, 0.0) + amount

    for value in _strings(values_answers.get("top_values")):
        add(VALUE_TO_WORK_VALUE.get(value), 1.0)
    ranked = values_answers.get("ranked_values")
    entries = [entry for entry in ranked if isinstance(entry, Mapping)] if isinstance(ranked, list) else []
    for bonus, entry in zip(RANK_BONUS, entries, strict=False):
        ranked_value = entry.get("value")
        add(VALUE_TO_WORK_VALUE.get(ranked_value) if isinstance(ranked_value, str) else None, bonus)
    for driver in _strings(values_answers.get("career_drivers")):
        add(DRIVER_TO_WORK_VALUE.get(driver), 1.0)
    return weights


def interest_weights(strengths_answers: Mapping[str, Any] | None) -> dict[str, float]:
    """RIASEC interest -> weight from the strengths exercise's "work you enjoy" picks, first pick heaviest."""
    if not strengths_answers:
        return {}
    picks = [INTEREST_OF_OPTION[o] for o in _strings(strengths_answers.get("interests")) if o in INTEREST_OF_OPTION]
    return dict(zip(picks, INTEREST_PICK_WEIGHTS, strict=False))


def preferences_from_exercises(
    values_answers: Mapping[str, Any] | None, strengths_answers: Mapping[str, Any] | None
) -> LearnerPreferences:
    """The learner's stated values and interests; empty when they have not done the exercises."""
    return LearnerPreferences(values=work_value_weights(values_answers), interests=interest_weights(strengths_answers))
