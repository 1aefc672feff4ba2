"""Instructors read the learners of their own course, and only theirs."""

from __future__ import annotations

from tests.api.launching import INSTRUCTOR


def test_instructor_sees_own_course_learners_with_progress(as_user) -> None:
    learner = as_user()
    learner.post("/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": 4}]})
    plan = learner.post("/plans", {"vision": "v"}).get_json()
    learner.put("/reflections/strengths", {"answers": {"use_more": "a b"}})
    user_id = plan["owner"]["user_id"]
    teacher = as_user(sub="teacher", roles=INSTRUCTOR)
    rows = teacher.get("/context/learners").get_json()["learners"]
    assert [(r["user_id"], r["assessment_count"], r["plan_status"]) for r in rows] == [(user_id, 1, "draft")]
    assert rows[0]["assessment_completion"] == 1 / 35
    detail = teacher.get(f"/context/learners/{user_id}").get_json()
    assert detail["plan_id"] == plan["id"]
    assert len(teacher.get(f"/context/learners/{user_id}/assessments").get_json()["assessments"]) == 1
    assert teacher.get(f"/context/learners/{user_id}/plans").get_json()["plans"][0]["id"] == plan["id"]
    assert len(teacher.get(f"/context/learners/{user_id}/evidence").get_json()["evidence"]) == 1
    assert teacher.get(f"/context/learners/{user_id}/reflections/strengths").get_json()["answers"] == {
        "use_more": "a b"
    }
    assert len(teacher.get(f"/context/learners/{user_id}/reflections").get_json()["reflections"]) == 4
    assert teacher.get(f"/context/learners/{user_id}/gap/11-1011.00").get_json()["attribution"]
    # The instructor is a member of the course but not one of its learners.
    teacher_plan = teacher.post("/plans", {"vision": "mine"}).get_json()
    assert teacher.get(f"/context/learners/{teacher_plan['owner']['user_id']}").status_code == 404


def test_learners_may_not_read_the_roster(as_user) -> None:
    learner = as_user()
    assert learner.get("/context/learners").status_code == 403
    assert learner.get("/context/learners/1").status_code == 403


def test_instructor_of_course_1_cannot_read_course_2_learners(as_user) -> None:
    other = as_user(sub="learner-9", context_id="course-2")
    other_id = other.post("/plans", {"vision": "v"}).get_json()["owner"]["user_id"]
    teacher = as_user(sub="teacher", roles=INSTRUCTOR, context_id="course-1")
    assert teacher.get("/context/learners").get_json()["learners"] == []
    assert teacher.get(f"/context/learners/{other_id}").status_code == 404
    assert teacher.get(f"/context/learners/{other_id}/plans").status_code == 404
