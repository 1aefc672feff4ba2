"""The reflection block: answers, completion by the exercise's criteria, escaping and settings."""

from __future__ import annotations

import pytest

from career_core.exercises import CAREER_DRIVER_OPTIONS, VALUE_OPTIONS
from tests.xblocks.runtime import RecordingRuntime, call, call_json
from xblocks.reflection import ReflectionXBlock

MEANING = "it shapes how I choose my work every day"


def complete_values() -> dict:
    top = list(VALUE_OPTIONS[:5])
    return {
        "top_values": top,
        "ranked_values": [{"value": value, "meaning": MEANING} for value in top[:3]],
        "career_drivers": list(CAREER_DRIVER_OPTIONS[:2]),
    }


@pytest.fixture
def block(runtime: RecordingRuntime) -> ReflectionXBlock:
    return runtime.make_block(ReflectionXBlock, grading_mode="on_progress", weight=10.0)


def test_partial_then_complete_answers(runtime: RecordingRuntime, block) -> None:
    call_json(block, "save_answers", {"answers": {"career_drivers": list(CAREER_DRIVER_OPTIONS[:2])}})
    assert runtime.events_of("completion") == [{"completion": pytest.approx(1 / 3)}]
    assert runtime.events_of("grade") == [{"value": 3.33, "max_value": 10.0}]
    assert block.view_context()["unmet"]
    call_json(block, "save_answers", {"answers": complete_values()})
    assert runtime.events_of("grade")[-1] == {"value": 10.0, "max_value": 10.0}
    assert runtime.events_of("completion")[-1] == {"completion": 1.0}
    assert block.completed_learners == 1
    assert call_json(block, "export_evidence", {})["statements"] == []  # a reflection shows no rated skill


@pytest.mark.parametrize(
    "body",
    [
        {"answers": {"top_values": ["not a listed value"]}},
        {"answers": {"unknown_field": "x"}},
        {"answers": {"career_drivers": "one string"}},
        {"answers": []},
        {},
    ],
)
def test_malformed_answers_are_a_400_and_keep_the_old_ones(runtime: RecordingRuntime, block, body: object) -> None:
    call_json(block, "save_answers", {"answers": {"career_drivers": list(CAREER_DRIVER_OPTIONS[:2])}})
    events = len(runtime.events)
    response = call(block, "save_answers", body)
    assert response.status_code == 400
    assert block.answers == {"career_drivers": list(CAREER_DRIVER_OPTIONS[:2])}
    assert len(runtime.events) == events


def test_answers_are_escaped(runtime: RecordingRuntime) -> None:
    block = runtime.make_block(ReflectionXBlock, exercise_template="personal_vision")
    call_json(
        block, "save_answers", {"answers": {"vision": "<script>alert(1)</script> & more", "milestones": ["<b>x</b>"]}}
    )
    html = block.student_view().content
    assert "<script>alert(1)" not in html and "<b>x</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


@pytest.mark.parametrize("key", ["values_and_drivers", "strengths", "personal_vision", "strategic_networking"])
def test_every_template_renders(runtime: RecordingRuntime, key: str) -> None:
    block = runtime.make_block(ReflectionXBlock, exercise_template=key)
    assert 'data-handler="save_answers"' in block.student_view().content


def test_a_bad_template_is_refused_and_nothing_changes(block) -> None:
    response = call(block, "save_settings", {"exercise_template": "horoscope", "display_name": "New"})
    assert response.status_code == 400
    assert "horoscope" in response.json["error"]
    assert (block.exercise_template, block.display_name) == ("values_and_drivers", "Reflection")
    call_json(block, "save_settings", {"exercise_template": "strengths"})
    assert block.exercise_template == "strengths"
