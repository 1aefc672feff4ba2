"""The development plan block: saving plans, the workflow, check-ins, evidence and escaping."""

from __future__ import annotations

from typing import Any

import pytest

from tests.xblocks.runtime import RecordingRuntime, call, call_json
from xblocks.development_plan import DevelopmentPlanXBlock

SCRIPT = "<script>alert('x')</script>"


def plan_body(achieved: bool = False, **changes: Any) -> dict:
    plan = {
        "target_role_code": "15-1253.00",
        "vision": "Lead a testing team",
        "goals": [
            {
                "id": "goal-1",
                "title": "Write test plans",
                "skill_code": "2.A.1.a",
                "target_level": "4",
                "achieved": achieved,
            },
            {
                "id": "goal-2",
                "title": "Mentor a tester",
                "skill_code": None,
                "target_level": None,
                "achieved": achieved,
            },
        ],
        "actions": [{"id": "action-1", "goal_id": "goal-1", "kind": "course", "title": "Take a course"}],
    }
    return {"plan": plan | changes}


@pytest.fixture
def block(runtime: RecordingRuntime) -> DevelopmentPlanXBlock:
    return runtime.make_block(DevelopmentPlanXBlock, grading_mode="on_progress")


def test_a_saved_plan_belongs_to_the_learner_and_stays_a_draft(runtime: RecordingRuntime, block) -> None:
    call_json(block, "save_plan", plan_body(owner="someone-else", status="complete"))
    assert block.plan["owner"] == "learner-1"
    assert block.plan["status"] == "draft"
    assert block.plan["requires_review"] is False
    assert runtime.events_of("completion") == [{"completion": 0.0}]


def test_an_active_plan_with_every_goal_achieved_completes_and_records_evidence(
    runtime: RecordingRuntime, block
) -> None:
    call_json(block, "save_plan", plan_body())
    answer = call_json(block, "change_plan_status", {"action": "activate"})
    assert block.plan["status"] == "active"
    assert "active" in answer["message"]
    call_json(block, "save_plan", plan_body(achieved=True))
    assert runtime.events_of("grade")[-1] == {"value": 1.0, "max_value": 1.0}
    assert runtime.events_of("completion")[-1] == {"completion": 1.0}
    assert [(e["skill_code"], e["level"], e["source"]) for e in block.evidence] == [
        ("2.A.1.a", 4, "completed_activity")
    ]
    assert block.completed_plans == 1
    statements = call_json(block, "export_evidence", {})["statements"]
    assert statements[0]["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"


def test_a_plan_that_requires_review_cannot_be_activated_by_its_owner(runtime: RecordingRuntime, block) -> None:
    block.requires_review = True
    call_json(block, "save_plan", plan_body())
    response = call(block, "change_plan_status", {"action": "activate"})
    assert response.status_code == 400
    assert "requires review" in response.json["error"]
    assert block.plan["status"] == "draft"
    call_json(block, "change_plan_status", {"action": "request_review"})
    assert block.plan["status"] == "waiting_for_review"
    assert block.view_context()["actions_allowed"] == ["cancel_review_request"]


@pytest.mark.parametrize(
    ("handler", "body"),
    [
        ("save_plan", plan_body(goals=[{"id": "g", "title": "x", "skill_code": "9.Z.9", "target_level": 2}])),
        ("save_plan", plan_body(goals=[{"id": "g", "title": "x", "skill_code": "2.A.1.a", "target_level": 12}])),
        ("save_plan", plan_body(target_role_code="00-0000.00")),
        ("save_plan", plan_body(actions=[{"id": "a", "goal_id": "missing", "kind": "course", "title": "t"}])),
        ("save_plan", {"plan": "not an object"}),
        ("change_plan_status", {"action": "fly"}),
        ("change_plan_status", {"action": "complete"}),
        ("add_checkin", {"checkin": {"held_on": "yesterday"}}),
        ("add_checkin", {"checkin": {"held_on": "2026-11-01", "agenda_template": "swot"}}),
    ],
)
def test_bad_input_answers_400_and_changes_nothing(runtime: RecordingRuntime, block, handler: str, body: Any) -> None:
    call_json(block, "save_plan", plan_body())
    before = (dict(block.plan), list(block.checkins), len(runtime.events))
    response = call(block, handler, body)
    assert response.status_code == 400, response.text
    assert response.json["error"]
    assert (block.plan, block.checkins, len(runtime.events)) == before


def test_checkins_need_a_plan(block) -> None:
    checkin = {"held_on": "2026-11-01", "notes": "ok"}
    assert call(block, "add_checkin", {"checkin": checkin}).status_code == 400
    call_json(block, "save_plan", plan_body())
    call_json(block, "add_checkin", {"checkin": checkin})
    assert block.checkins[0]["notes"] == "ok"


class _User:
    def __init__(self, full_name: str, **opt_attrs: Any) -> None:
        self.full_name = full_name
        self.opt_attrs = opt_attrs


class _UserService:
    def __init__(self, user: _User) -> None:
        self.user = user

    def get_current_user(self) -> _User:
        return self.user

    def get_external_user_id(self, kind: str) -> str:
        return "sub-of-" + self.user.full_name


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (_User("Ada Lovelace", **{"edx-platform.user_role": "student"}), ("learner", "Ada Lovelace")),
        (_User("Grace Hopper", **{"edx-platform.user_is_staff": True}), ("mentor", "Grace Hopper")),
        (
            _User("", **{"edx-platform.user_role": "instructor", "edx-platform.username": "ghopper"}),
            ("mentor", "ghopper"),
        ),
    ],
)
def test_the_author_of_a_checkin_comes_from_the_user_service_never_the_request(user: _User, expected: Any) -> None:
    runtime = RecordingRuntime(services={"user": _UserService(user)})
    block = runtime.make_block(DevelopmentPlanXBlock)
    call_json(block, "save_plan", plan_body())
    forged = {"author_role": "manager", "author_name": "The CEO", "held_on": "2026-11-01", "notes": "Met"}
    call_json(block, "add_checkin", {"checkin": forged})
    assert (block.checkins[0]["author_role"], block.checkins[0]["author_name"]) == expected
    html = block.student_view().content
    assert "The CEO" not in html and expected[1] in html


def test_learner_text_is_escaped_everywhere(block) -> None:
    call_json(block, "save_plan", plan_body(vision=SCRIPT))
    call_json(
        block,
        "add_checkin",
        {
            "checkin": {
                "held_on": "2026-11-01",
                "notes": SCRIPT,
                "agreed_actions": [SCRIPT],
            }
        },
    )
    html = block.student_view().content
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
