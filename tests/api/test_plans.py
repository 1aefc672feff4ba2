"""Plans: create, edit, goals and actions, workflow by owner and instructor, check-ins."""

from __future__ import annotations

from sqlalchemy import select

from lti_app.extensions import db
from lti_app.models import EvidenceRecordRow, ScoreDelivery
from tests.api.launching import ADMIN, INSTRUCTOR


def _plan(api, **body):
    response = api.post("/plans", {"vision": "Lead a team", **body})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_create_add_goal_and_action_and_patch(as_user) -> None:
    api = as_user()
    plan = _plan(api, target_role_code="11-1021.00")
    assert plan["status"] == "draft" and plan["requires_review"] and plan["allowed_actions"] == ["request_review"]
    plan = api.post(
        f"/plans/{plan['id']}/goals", {"title": "Speak up", "skill_code": "2.A.1.d", "target_level": 5}
    ).get_json()
    goal_id = plan["goals"][0]["id"]
    plan = api.post(
        f"/plans/{plan['id']}/actions",
        {"goal_id": goal_id, "kind": "course", "title": "Toastmasters", "url": "https://example.org"},
    ).get_json()
    assert plan["actions"][0]["goal_id"] == goal_id
    patched = api.patch(f"/plans/{plan['id']}", {"vision": "Run a department"}).get_json()
    assert patched["vision"] == "Run a department" and len(patched["goals"]) == 1
    assert [p["id"] for p in api.get("/plans").get_json()["plans"]] == [plan["id"]]


def test_invalid_plans_are_400_by_field(as_user) -> None:
    api = as_user()
    response = api.post("/plans", {"goals": [{"title": "x", "skill_code": "2.A.1.a", "target_level": 99}]})
    assert response.status_code == 400
    assert "goals[0].target_level" in response.get_json()["errors"]["json"]
    plan = _plan(api)
    bad = api.post(f"/plans/{plan['id']}/actions", {"goal_id": "nope", "kind": "course", "title": "t"})
    assert bad.status_code == 400 and "actions[0].goal_id" in bad.get_json()["errors"]["json"]
    bad_url = api.post(f"/plans/{plan['id']}/goals", {"title": ""})
    assert bad_url.status_code == 400
    assert api.post("/plans", {"target_role_code": "nope"}).status_code == 400
    assert api.post("/plans", {"vision": "v" * 5001}).status_code == 400


def test_review_workflow_between_owner_and_instructor(as_user) -> None:
    learner = as_user(custom={"component": "development_plan"}, line_item="https://lms/li/3")
    plan = _plan(learner)
    learner.post(f"/plans/{plan['id']}/goals", {"title": "Goal", "skill_code": "2.A.1.a", "target_level": 4})
    teacher = as_user(sub="teacher", roles=INSTRUCTOR)
    # The owner cannot approve; approving a draft is not possible at all.
    assert learner.post(f"/plans/{plan['id']}/transitions", {"action": "start_review"}).status_code == 409
    assert learner.post(f"/plans/{plan['id']}/transitions", {"action": "request_review"}).status_code == 200
    assert learner.post(f"/plans/{plan['id']}/transitions", {"action": "start_review"}).status_code == 403
    assert teacher.get(f"/plans/{plan['id']}").get_json()["allowed_actions"] == ["start_review"]
    assert teacher.post(f"/plans/{plan['id']}/transitions", {"action": "start_review"}).status_code == 200
    approved = teacher.post(f"/plans/{plan['id']}/transitions", {"action": "approve"})
    assert approved.get_json()["status"] == "active"
    assert teacher.patch(f"/plans/{plan['id']}", {"vision": "x"}).status_code == 403
    assert learner.post(f"/plans/{plan['id']}/transitions", {"action": "fly"}).status_code == 400

    goals = learner.get(f"/plans/{plan['id']}").get_json()["goals"]
    goals[0].update(achieved=True, achieved_at="2026-11-25")
    done = learner.patch(f"/plans/{plan['id']}", {"goals": goals}).get_json()
    assert done["complete"] and done["progress"] == 1.0
    evidence = db.session.scalars(select(EvidenceRecordRow)).one()
    assert (evidence.source, evidence.skill_code, evidence.level) == ("completed_activity", "2.A.1.a", 4)
    last = db.session.scalars(select(ScoreDelivery).order_by(ScoreDelivery.id.desc())).first()
    assert last.payload["scoreGiven"] == 100.0 and last.payload["userId"] == "learner-1"


def test_owner_may_activate_when_the_placement_needs_no_review(as_user) -> None:
    api = as_user(custom={"requires_review": "false"})
    plan = _plan(api)
    assert not plan["requires_review"] and "activate" in plan["allowed_actions"]
    assert api.post(f"/plans/{plan['id']}/transitions", {"action": "activate"}).get_json()["status"] == "active"


def test_administrator_acts_as_administrator(as_user) -> None:
    plan = _plan(as_user())
    as_user().post(f"/plans/{plan['id']}/transitions", {"action": "request_review"})
    admin = as_user(sub="admin", roles=ADMIN)
    assert admin.post(f"/plans/{plan['id']}/transitions", {"action": "start_review"}).status_code == 200


def test_checkins_by_owner_and_instructor(as_user) -> None:
    learner = as_user()
    plan = _plan(learner)
    teacher = as_user(sub="teacher", roles=INSTRUCTOR)
    first = learner.post(f"/plans/{plan['id']}/checkins", {"held_on": "2026-11-01", "notes": "went well"})
    assert first.status_code == 201 and first.get_json()["author_role"] == "learner"
    second = teacher.post(
        f"/plans/{plan['id']}/checkins",
        {"held_on": "2026-11-20", "agenda_template": "progress_review", "agreed_actions": ["a"]},
    )
    assert second.get_json()["author_role"] == "mentor"
    listed = learner.get(f"/plans/{plan['id']}/checkins").get_json()["checkins"]
    assert [c["held_on"] for c in listed] == ["2026-11-20", "2026-11-01"]
    bad = learner.post(f"/plans/{plan['id']}/checkins", {"held_on": "yesterday", "notes": "n" * 10_001})
    assert bad.status_code == 400 and {"held_on", "notes"} <= set(bad.get_json()["errors"]["json"])
