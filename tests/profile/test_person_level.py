"""A learner's records follow them from course to course; each course's staff see only what it produced or
what the learner shared with it, and every staff read is logged for the learner to see."""

from __future__ import annotations

from typing import Any

from tests.api.launching import INSTRUCTOR

STRENGTHS = {"use_more": "I could lead the weekly planning meeting and mentor the new starters"}


def _course_a_work(api: Any) -> dict[str, Any]:
    ratings = [{"skill_code": "2.A.1.a", "level": 4}, {"skill_code": "2.A.1.b", "level": 2}]
    api.post("/assessments", {"ratings": ratings})
    plan = api.post("/plans", {"vision": "lead a data team in course A"}).get_json()
    api.put("/reflections/strengths", {"answers": STRENGTHS})
    api.put("/career/target", {"role_code": "11-1021.00"})
    return plan


def test_the_profile_follows_the_learner_from_course_a_to_course_b(as_user) -> None:
    in_a = as_user(sub="mia", context_id="course-a", custom={"component": "career_path"})
    plan = _course_a_work(in_a)
    in_b = as_user(sub="mia", context_id="course-b", resource_link_id="b-link")

    history = in_b.get("/assessments").get_json()
    assert [s["ratings"][0]["level"] for s in history["assessments"]] == [4]
    assert history["profiles"][0]["levels"]["2.A.1.a"] == 4
    assert [p["id"] for p in in_b.get("/plans").get_json()["plans"]] == [plan["id"]]
    assert in_b.get(f"/plans/{plan['id']}").get_json()["vision"] == "lead a data team in course A"
    assert in_b.get("/reflections/strengths").get_json()["answers"] == STRENGTHS
    assert in_b.get("/career/target").get_json()["target"]["code"] == "11-1021.00"
    assert {e["skill_code"] for e in in_b.get("/evidence").get_json()["evidence"]} == {"2.A.1.a", "2.A.1.b"}
    gap = in_b.get("/roles/11-1021.00/gap").get_json()
    assert "2.A.1.a" not in gap["unrated"]  # the gap uses the ratings from course A

    # Work in course B joins the same profile; course A sees it too.
    in_b.patch(f"/plans/{plan['id']}", {"vision": "edited from course B"})
    in_b.post("/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": 5}]})
    assert in_a.get(f"/plans/{plan['id']}").get_json()["vision"] == "edited from course B"
    assert in_a.get("/assessments").get_json()["profiles"][0]["levels"]["2.A.1.a"] == 5


def test_a_placements_completion_is_judged_within_its_course(as_user) -> None:
    in_a = as_user(sub="mia", context_id="course-a", custom={"component": "self_assessment", "skills": "2.A.1.a"})
    done = in_a.post("/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": 3}]}).get_json()
    assert done["complete"] is True
    teacher_b = as_user(sub="teacher-b", roles=INSTRUCTOR, context_id="course-b")
    as_user(sub="mia", context_id="course-b", custom={"component": "self_assessment", "skills": "2.A.1.a"})
    row = next(r for r in teacher_b.get("/context/learners").get_json()["learners"])
    assert (row["assessment_count"], row["assessment_completion"]) == (0, 0.0)  # course A's sitting is not B's


def test_course_b_staff_see_only_what_course_b_produced_or_what_was_shared(as_user) -> None:
    in_a = as_user(sub="mia", context_id="course-a", custom={"component": "career_path"})
    plan = _course_a_work(in_a)
    in_b = as_user(sub="mia", context_id="course-b", resource_link_id="b-link")
    in_b.post("/assessments", {"ratings": [{"skill_code": "2.A.1.c", "level": 1}]})
    teacher_b = as_user(sub="teacher-b", roles=INSTRUCTOR, context_id="course-b")
    mia = teacher_b.get("/context/learners").get_json()["learners"][0]["user_id"]
    base = f"/context/learners/{mia}"

    sittings = teacher_b.get(f"{base}/assessments").get_json()["assessments"]
    assert [s["ratings"][0]["skill_code"] for s in sittings] == ["2.A.1.c"]  # only course B's sitting
    assert teacher_b.get(f"{base}/plans").get_json()["plans"] == []
    assert {e["skill_code"] for e in teacher_b.get(f"{base}/evidence").get_json()["evidence"]} == {"2.A.1.c"}
    assert teacher_b.get(f"{base}/reflections/strengths").get_json()["answers"] == {}
    assert teacher_b.get(f"{base}").get_json()["target"]["target"] is None
    assert teacher_b.get(f"/plans/{plan['id']}").status_code == 404

    # The learner shares their plans (and only plans) with course B.
    shared = in_b.put("/profile/shares", {"shares": {"plans": True}}).get_json()
    assert shared["shares"] == {
        "assessments": False,
        "evidence": False,
        "plans": True,
        "reflections": False,
        "targets": False,
    }
    assert [p["id"] for p in teacher_b.get(f"{base}/plans").get_json()["plans"]] == [plan["id"]]
    assert teacher_b.get(f"/plans/{plan['id']}").get_json()["vision"] == "lead a data team in course A"
    # A shared plan is read, not reviewed or coached, by another course's staff.
    assert teacher_b.post(f"/plans/{plan['id']}/transitions", {"action": "start_review"}).status_code == 403
    assert teacher_b.post(f"/plans/{plan['id']}/checkins", {"held_on": "2026-11-02", "notes": "x"}).status_code == 403
    assert teacher_b.get(f"{base}/reflections/strengths").get_json()["answers"] == {}  # still not shared

    # Course A's staff (who did not get the share) still see course A's plan: their course produced it.
    teacher_a = as_user(sub="teacher-a", roles=INSTRUCTOR, context_id="course-a")
    assert teacher_a.get(f"/plans/{plan['id']}").status_code == 200

    # Stop sharing: gone again.
    in_b.put("/profile/shares", {"shares": {"plans": False}})
    assert teacher_b.get(f"{base}/plans").get_json()["plans"] == []
    assert in_b.put("/profile/shares", {"shares": {"diary": True}}).status_code == 400


def test_staff_reads_are_logged_and_shown_to_the_learner(as_user) -> None:
    mia = as_user(sub="mia", context_id="course-a", custom={"component": "career_path"})
    plan = _course_a_work(mia)
    teacher = as_user(sub="teacher-a", roles=INSTRUCTOR, context_id="course-a")
    user_id = teacher.get("/context/learners").get_json()["learners"][0]["user_id"]
    teacher.get(f"/context/learners/{user_id}/reflections/strengths")
    teacher.get(f"/plans/{plan['id']}")
    reads = mia.get("/profile/record-reads").get_json()["reads"]
    # Newest first: two API reads, and the instructor's launch page, whose heat map shows her ratings.
    assert [(r["what"], r["via"]) for r in reads] == [
        (f"plan {plan['id']}", "api"),
        ("reflection strengths", "api"),
        ("self-assessments (cohort heat map)", "page"),
    ]
    assert {r["reader_role"] for r in reads} == {"instructor"}
    assert {r["reader"] for r in reads} == {"Ada Learner"}  # the name the instructor's launch carried
    assert all(r["course"] for r in reads)
    # The learner's own reads are not logged; another learner sees nobody's reads but their own.
    mia.get(f"/plans/{plan['id']}")
    assert len(mia.get("/profile/record-reads").get_json()["reads"]) == 3
    assert as_user(sub="other", context_id="course-a").get("/profile/record-reads").get_json()["reads"] == []
