"""Reflection exercises: answer validation and completion criteria."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from career_core.errors import ValidationError
from career_core.exercises import EXERCISE_TEMPLATES, evaluate_exercise, exercise_template, validate_answers

SENTENCE = "it shows up every week when I plan the work of the team"


def complete_answers(key: str) -> dict[str, Any]:
    answers: dict[str, dict[str, Any]] = {
        "values_and_drivers": {
            "top_values": ["autonomy", "learning", "integrity", "teamwork", "variety"],
            "ranked_values": [
                {"value": "learning", "meaning": SENTENCE},
                {"value": "autonomy", "meaning": SENTENCE},
                {"value": "integrity", "meaning": SENTENCE},
            ],
            "career_drivers": ["pure challenge", "autonomy and independence"],
        },
        "strengths": {
            "strengths": [{"strength": name, "example": SENTENCE} for name in ("analysis", "writing", "calm")],
            "use_more": "I will offer to write the quarterly report for the whole team this spring",
        },
        "personal_vision": {
            "vision": " ".join(["word"] * 40),
            "milestones": ["finish the data course 2025", "lead a project 2026", "apply for lead role 2027"],
        },
        "strategic_networking": {
            "purpose": "I want people who can show me how product teams use data day to day",
            "contacts": [
                {"name": f"Person {i}", "relationship": "former colleague", "next_step": "invite to coffee"}
                for i in range(5)
            ],
        },
    }
    return answers[key]


@pytest.mark.parametrize("key", list(EXERCISE_TEMPLATES))
def test_complete_answers_complete_each_exercise(key: str) -> None:
    result = evaluate_exercise(exercise_template(key), complete_answers(key))
    assert result.complete
    assert result.completion == 1.0
    assert result.unmet == ()


@pytest.mark.parametrize("key", list(EXERCISE_TEMPLATES))
def test_empty_answers_are_valid_but_not_started(key: str) -> None:
    result = evaluate_exercise(exercise_template(key), {})
    assert result.completion == 0.0
    assert not result.complete
    assert len(result.unmet) == len(result.criteria) >= 2


def test_vision_needs_forty_words_and_three_milestones() -> None:
    template = exercise_template("personal_vision")
    answers = {"vision": " ".join(["word"] * 39), "milestones": ["one two three", "too short"]}
    result = evaluate_exercise(template, answers)
    assert not result.complete
    assert [c.message for c in result.criteria] == [
        "Five-year vision: 39 of at least 40 words written.",
        "Milestones: 1 of at least 3 with 3+ words.",
    ]
    assert result.completion == pytest.approx((39 / 40 + 1 / 3) / 2)


def test_ranked_values_must_come_from_the_top_five_and_not_repeat() -> None:
    answers = complete_answers("values_and_drivers")
    answers["ranked_values"][1] = {"value": "status", "meaning": SENTENCE}
    answers["ranked_values"][2] = {"value": "learning", "meaning": SENTENCE}
    result = evaluate_exercise(exercise_template("values_and_drivers"), answers)
    (ranked,) = result.unmet
    assert ranked.field_key == "ranked_values"
    assert ranked.problems == (
        "ranked_values[1].value: 'status' is not one of your chosen values",
        "ranked_values[2].value: 'learning' is already ranked above",
    )


def test_strength_without_a_real_example_does_not_count() -> None:
    answers = complete_answers("strengths")
    answers["strengths"][0]["example"] = "did well"
    result = evaluate_exercise(exercise_template("strengths"), answers)
    assert [c.message for c in result.unmet] == ["Strengths: 2 of at least 3 complete."]
    assert result.unmet[0].problems == ("strengths[0].example: example needs at least 10 words",)


def test_networking_counts_only_contacts_with_a_next_step() -> None:
    answers = complete_answers("strategic_networking")
    del answers["contacts"][4]["next_step"]
    result = evaluate_exercise(exercise_template("strategic_networking"), answers)
    assert result.unmet[0].problems == ("contacts[4].next_step: next step is missing",)
    assert result.completion == pytest.approx((1 + 4 / 5) / 2)


def test_malformed_answers_are_refused_with_every_problem() -> None:
    answers = {
        "top_values": ["autonomy", "autonomy", "money", 7, "learning", "variety"],
        "ranked_values": "learning",
        "career_drivers": [{"value": "x"}],
        "mood": "great",
    }
    with pytest.raises(ValidationError) as excinfo:
        validate_answers(exercise_template("values_and_drivers"), answers)
    assert excinfo.value.errors == [
        "mood: is not a field of 'values_and_drivers'",
        "top_values: at most 5 items, not 6",
        "top_values[1]: 'autonomy' is chosen twice",
        "top_values[2]: 'money' is not one of the options",
        "top_values[3]: must be text, not int",
        "ranked_values: must be a list, not str",
        "career_drivers[0]: must be text, not dict",
    ]


def test_too_long_text_and_unknown_entry_parts_are_refused() -> None:
    answers = {
        "vision": "x" * 5001,
        "milestones": ["ok", None],
    }
    with pytest.raises(ValidationError) as excinfo:
        evaluate_exercise(exercise_template("personal_vision"), answers)
    assert excinfo.value.errors == [
        "vision: is 5001 characters long; the limit is 5000",
        "milestones[1]: must be text, not NoneType",
    ]
    with pytest.raises(ValidationError, match=r"contacts\[0\]\.email: is not a part of 'contacts'"):
        validate_answers(exercise_template("strategic_networking"), {"contacts": [{"email": "a@b.c"}]})
    with pytest.raises(ValidationError, match="answers: must be an object"):
        validate_answers(exercise_template("strengths"), ["not", "a", "dict"])


def test_unknown_exercise() -> None:
    with pytest.raises(ValidationError, match="'swot' is not one of"):
        exercise_template("swot")


def test_every_field_states_its_criterion() -> None:
    criteria = [field.criterion for field in exercise_template("values_and_drivers").fields]
    assert criteria == [
        "Top values: choose exactly 5.",
        "Top three, ranked: at least 3 complete, each with value and what it means to you (6+ words).",
        "Career drivers: choose at least 2.",
    ]


@given(st.integers(0, 8), st.integers(0, 60))
def test_completion_is_within_bounds_and_one_only_when_complete(contacts: int, words: int) -> None:
    answers = {
        "purpose": " ".join(["w"] * words),
        "contacts": [{"name": "A", "relationship": "peer", "next_step": "send a note"}] * contacts,
    }
    result = evaluate_exercise(exercise_template("strategic_networking"), answers)
    assert 0.0 <= result.completion <= 1.0
    assert result.complete == (result.completion == 1.0) == (contacts >= 5 and words >= 10)
