"""ACCESS SWEEP: nobody reaches another learner's records across learners, courses, deployments or platforms.

The victim is learner-1 in course-1 on platform A. The attackers: another learner of the same course, a
learner of platform B with the same ``sub`` and the same context id, and instructors of course-2 (platform A)
and of course-1 on platform B. Every endpoint that addresses a record is tried against the victim's; every
one answers 403 or 404, the caller's own lists show none of it, and the database is unchanged.

Records belong to the person, so the victim's own reads span their courses and linked platforms; the staff
of the victim's other course and of the linked platform list the victim but see none of those records.
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


def test_staff_of_the_learners_other_course_and_linked_platform_see_only_their_own(as_user, peer_b, victim) -> None:
    """Records follow the victim into course-2 and to a linked identity on platform B: the victim's own reads
    now span them, but the staff there, who may list the victim, still see nothing the victim made elsewhere."""
    in_course_2 = as_user(sub="learner-1", context_id="course-2")
    on_b = as_user(peer=peer_b, sub="victim-on-b", context_id="mooc-1")
    code = victim["api"].post("/profile/link-code").get_json()["code"]
    assert on_b.post("/profile/links", {"code": code}).status_code == 200
    for own in (in_course_2, on_b):  # the victim, wherever they launch, reads their whole profile
        assert own.get(f"/plans/{victim['plan_id']}").get_json()["vision"] == "secret vision"
        assert own.get("/reflections/strengths").get_json()["answers"] == STRENGTHS

    staff = {
        "course-2 instructor": as_user(sub="teacher", roles=INSTRUCTOR, context_id="course-2"),
        "platform B mooc-1 instructor": as_user(peer=peer_b, sub="teacher-b", roles=INSTRUCTOR, context_id="mooc-1"),
    }
    before = _snapshot()
    for who, api in staff.items():
        (row,) = api.get("/context/learners").get_json()["learners"]  # the victim is their learner...
        for method, path, body in _record_requests(victim["plan_id"], row["user_id"]):
            response = api.call(method, path, body)
            assert "secret" not in response.get_data(as_text=True), (who, method, path)
            if path.startswith("/plans/"):
                assert response.status_code in (403, 404), (who, method, path, response.status_code)
        learner = f"/context/learners/{row['user_id']}"
        assert api.get(f"{learner}/assessments").get_json()["assessments"] == []  # ...but not course-1's records
        assert api.get(f"{learner}/plans").get_json()["plans"] == []
        assert api.get(f"{learner}/evidence").get_json()["evidence"] == []
        assert api.get(f"{learner}/reflections/strengths").get_json()["answers"] == {}
        assert api.get(learner).get_json()["target"]["target"] is None
    after = _snapshot()
    # The only writes: the log of those (empty) staff reads, which the victim can see.
    assert {name: rows for name, rows in after.items() if name != "record_access"} == {
        name: rows for name, rows in before.items() if name != "record_access"
    }
    reads = victim["api"].get("/profile/record-reads").get_json()["reads"]
    assert {r["course"] for r in reads} == {"Career Design 101"} and len(reads) >= 2
