"""The career path block: choosing a target, reviewing the gap, and the grade that follows."""

from __future__ import annotations

import pytest

from career_core.attribution import ONET_ATTRIBUTION
from tests.xblocks.runtime import RecordingRuntime, call, call_json
from xblocks.career_path import CareerPathXBlock

CURRENT, TARGET, OTHER = "15-1253.00", "15-1252.00", "11-1011.00"


@pytest.fixture
def block(runtime: RecordingRuntime) -> CareerPathXBlock:
    return runtime.make_block(CareerPathXBlock, grading_mode="on_progress", weight=2.0)


def choose(block: CareerPathXBlock, current: str = CURRENT, target: str = OTHER, status: int = 200) -> dict:
    return call_json(block, "choose_target", {"current_role_code": current, "target_role_code": target}, status)


def test_choosing_a_target_is_half_done_and_reviewing_the_gap_completes(runtime: RecordingRuntime, block) -> None:
    choose(block)
    assert runtime.events_of("grade") == [{"value": 1.0, "max_value": 2.0}]
    assert runtime.events_of("completion") == [{"completion": 0.5}]
    call_json(block, "review_gap", {})
    assert runtime.events_of("grade")[-1] == {"value": 2.0, "max_value": 2.0}
    assert runtime.events_of("completion")[-1] == {"completion": 1.0}


def test_a_new_target_needs_a_new_review(runtime: RecordingRuntime, block) -> None:
    choose(block)
    call_json(block, "review_gap", {})
    choose(block, target="13-2011.00")
    assert block.gap_reviewed is False
    assert runtime.events_of("completion")[-1] == {"completion": 0.5}
    assert block.target_counts == {"13-2011.00": 1}


@pytest.mark.parametrize(
    "body",
    [
        {"current_role_code": CURRENT, "target_role_code": "99-9999.99"},
        {"current_role_code": "nope", "target_role_code": OTHER},
        {"current_role_code": CURRENT},
        {"current_role_code": CURRENT, "target_role_code": CURRENT},
        {"current_role_code": CURRENT, "target_role_code": 7},
    ],
)
def test_bad_codes_answer_400_and_change_nothing(runtime: RecordingRuntime, block, body: dict) -> None:
    choose(block)
    events = len(runtime.events)
    response = call(block, "choose_target", body)
    assert response.status_code == 400
    assert (block.current_role_code, block.chosen_target_code, len(runtime.events)) == (CURRENT, OTHER, events)


def test_reviewing_without_a_target_is_a_400(runtime: RecordingRuntime, block) -> None:
    response = call(block, "review_gap", {})
    assert response.status_code == 400
    assert block.gap_reviewed is False and runtime.events == []


def test_view_data_shows_suggestions_gap_route_chart_and_attribution(block) -> None:
    choose(block)
    data = block.view_context()
    assert data["suggestions"] and all(item["code"] != CURRENT for item in data["suggestions"])
    assert data["gap"]["target"] == "Chief Executives"
    assert data["path"] and data["path"][0] == "Software Quality Assurance Analysts and Testers"
    assert data["path"][-1] == "Chief Executives"
    assert data["charts_html"].startswith('<figure class="ct-chart ct-gaps">')
    assert "Your skills compared with Chief Executives, biggest gaps first" in data["charts_html"]
    html = block.student_view().content
    assert data["charts_html"] in html
    assert ONET_ATTRIBUTION in html


def test_the_authored_target_is_preselected_and_validated(runtime: RecordingRuntime) -> None:
    block = runtime.make_block(CareerPathXBlock, target_role_code=TARGET)
    assert block.view_context()["target_code"] == TARGET
    assert call(block, "save_settings", {"target_role_code": "bad"}).status_code == 400
    assert block.target_role_code == TARGET
