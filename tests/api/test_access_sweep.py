"""ACCESS SWEEP: nobody reaches another learner's records across learners, courses, deployments or platforms.

The victim is learner-1 in course-1 on platform A. The attackers: another learner of the same course, a
learner of platform B with the same ``sub`` and the same context id, and instructors of course-2 (platform A)
and of course-1 on platform B. Every endpoint that addresses a record is tried against the victim's; every
one answers 403 or 404, the caller's own lists show none of it, and the database is unchanged.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from lti_app.extensions import db
from tests.api.launching import INSTRUCTOR

STRENGTHS = {"use_more": "I could lead the weekly planning meeting and mentor the new starters"}


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    result = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        result[table.name] = [tuple(row) for row in rows]
    return result


@pytest.fixture()
def victim(as_user) -> dict[str, Any]:
    api = as_user(sub="learner-1", custom={"component": "career_path"})
    api.post("/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": 4}]})
    plan = api.post("/plans", {"vision": "secret vision"}).get_json()
    api.post(f"/plans/{plan['id']}/goals", {"title": "secret goal"})
    api.post(f"/plans/{plan['id']}/checkins", {"held_on": "2026-11-01", "notes": "secret"})
    api.put("/reflections/strengths", {"answers": STRENGTHS})
    api.put("/career/target", {"role_code": "11-1021.00", "current_role_code": "11-1011.00"})
    return {"api": api, "plan_id": plan["id"], "user_id": plan["owner"]["user_id"]}


def _record_requests(plan_id: int, user_id: int) -> list[tuple[str, str, Any]]:
    plan = f"/plans/{plan_id}"
    learner = f"/context/learners/{user_id}"
    return [
        ("GET", plan, None),
        ("PATCH", plan, {"vision": "hacked"}),
        ("POST", f"{plan}/goals", {"title": "hacked"}),
        ("POST", f"{plan}/actions", {"goal_id": "x", "kind": "course", "title": "hacked"}),
        ("POST", f"{plan}/transitions", {"action": "request_review"}),
        ("POST", f"{plan}/transitions", {"action": "start_review"}),
        ("GET", f"{plan}/checkins", None),
        ("POST", f"{plan}/checkins", {"held_on": "2026-11-02", "notes": "hacked"}),
        ("GET", learner, None),
        ("GET", f"{learner}/assessments", None),
        ("GET", f"{learner}/plans", None),
        ("GET", f"{learner}/evidence", None),
        ("GET", f"{learner}/reflections", None),
        ("GET", f"{learner}/reflections/strengths", None),
        ("GET", f"{learner}/gap/11-1011.00", None),
    ]


def _assert_sees_nothing_of_the_victim(api: Any) -> None:
    assert api.get("/assessments").get_json()["assessments"] == []
    assert api.get("/plans").get_json()["plans"] == []
    assert api.get("/evidence").get_json()["evidence"] == []
    assert api.get("/evidence/xapi").get_json()["statements"] == []
    assert api.get("/evidence/badges").get_json()["credentials"] == []
    assert api.get("/reflections/strengths").get_json()["answers"] == {}
    assert api.get("/career/target").get_json()["target"] is None
    assert api.get("/roles/11-1011.00/gap").get_json()["unrated"]  # the victim's ratings are not the caller's


def test_access_sweep(as_user, peer_b, victim) -> None:
    attackers = {
        "same-course learner": as_user(sub="learner-2"),
        "platform B, same sub and context id": as_user(peer=peer_b, sub="learner-1"),
        "platform A course-2 learner": as_user(sub="learner-3", context_id="course-2"),
        "course-2 instructor": as_user(sub="teacher", roles=INSTRUCTOR, context_id="course-2"),
        "platform B course-1 instructor": as_user(peer=peer_b, sub="teacher", roles=INSTRUCTOR),
    }
    before = _snapshot()
    for who, api in attackers.items():
        for method, path, body in _record_requests(victim["plan_id"], victim["user_id"]):
            response = api.call(method, path, body)
            assert response.status_code in (403, 404), (who, method, path, response.status_code)
            assert "secret" not in response.get_data(as_text=True), (who, path)
        if "instructor" in who:
            listed = api.get("/context/learners").get_json()["learners"]
            assert victim["user_id"] not in [row["user_id"] for row in listed], who
        else:
            _assert_sees_nothing_of_the_victim(api)
    assert _snapshot() == before


def test_the_victim_still_sees_everything(victim) -> None:
    api = victim["api"]
    assert api.get(f"/plans/{victim['plan_id']}").get_json()["vision"] == "secret vision"
    assert len(api.get(f"/plans/{victim['plan_id']}/checkins").get_json()["checkins"]) == 1
    assert api.get("/reflections/strengths").get_json()["answers"] == STRENGTHS


def test_no_token_or_a_bad_one_is_401(client, victim) -> None:
    for path in ("/plans", f"/plans/{victim['plan_id']}", "/assessments", "/context/learners", "/evidence"):
        assert client.get("/api/v1" + path).status_code == 401
        assert client.get("/api/v1" + path, headers={"Authorization": "Bearer forged"}).status_code == 401
