"""Programme insight against a small seeded programme: every figure, the period and course filters, the CSV, who
may see it, and that no learner's private text ever appears (plans, check-ins, messages, notes, feedback)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from sqlalchemy import select

from lti_app.extensions import db
from lti_app.models.people import Context
from lti_app.models.platform import Platform
from tests.api.launching import ADMIN, INSTRUCTOR
from tests.mentoring.helpers import MANAGER_ROLE, A, ask_for, mentee, mentor, person, rated

SECRETS = ("SECRET-VISION", "SECRET-CHECKIN", "SECRET-MESSAGE", "SECRET-SESSION", "SECRET-FEEDBACK", "SECRET-NOTE")


def _course_pk(issuer: str, context_id: str) -> int:
    return db.session.scalars(
        select(Context.id)
        .join(Platform, Platform.id == Context.platform_id)
        .where(Platform.issuer == issuer, Context.lti_context_id == context_id)
    ).one()


@pytest.fixture()
def programme(as_user) -> dict[str, Any]:
    """Course-1 of platform A: Mia (rated 2 then 4 on A, verified 4 then 5 by her manager, mentored by Ana),
    Leo (rated 3, declined by Ana), Ana (rated 6, the mentor); Zoe in course-2."""
    ana = mentor(as_user, "ana", "Ana", {A: 6})
    leo = mentee(as_user, "leo", "Leo", {A: 3}, {A: 6})
    mia = mentee(as_user, "mia", "Mia", {A: 2}, {A: 6})
    mia.post("/assessments", {"ratings": [{"skill_code": A, "level": 4}]})
    boss = person(as_user, "boss", "Bea Boss", MANAGER_ROLE)
    invitation = mia.post("/people/invitations", {"kind": "manager"}).get_json()
    link = boss.post("/people/invitations/accept", {"invitation": invitation["url"]}).get_json()["id"]
    mia.put(f"/people/{link}/shares", {"items": ["assessment"]})
    for level in (4, 5):
        note = {"skill_code": A, "level": level, "note": "SECRET-NOTE"}
        assert boss.post(f"/people/learners/{link}/verifications", note).status_code == 201

    for api, held in ((mia, ["2026-10-05", "2026-11-03"]), (leo, ["2026-11-10"])):
        plan = api.post("/plans", {"vision": "SECRET-VISION"}).get_json()
        for day in held:
            api.post(f"/plans/{plan['id']}/checkins", {"held_on": day, "notes": "SECRET-CHECKIN"})

    declined = ask_for(leo, ana, "SECRET-MESSAGE").get_json()
    ana.post(f"/mentoring/requests/{declined['id']}/respond", {"accept": False})
    pair = ask_for(mia, ana, "SECRET-MESSAGE").get_json()
    ana.post(f"/mentoring/requests/{pair['id']}/respond", {"accept": True})
    session = {"request_ids": [pair["id"]], "held_on": "2026-11-12", "notes": "SECRET-SESSION"}
    assert ana.post("/mentoring/sessions", session).status_code == 201
    mia.post(f"/mentoring/requests/{pair['id']}/end", {"feedback": {"rating": 4, "text": "SECRET-FEEDBACK"}})
    ana.post(f"/mentoring/requests/{pair['id']}/feedback", {"rating": 5, "text": "SECRET-FEEDBACK"})

    zoe = rated(as_user, "zoe", "Zoe", {A: 1}, context_id="course-2")
    plan = zoe.post("/plans", {"vision": "SECRET-VISION"}).get_json()
    zoe.post(f"/plans/{plan['id']}/checkins", {"held_on": "2026-09-01", "notes": "SECRET-CHECKIN"})
    return {
        "teacher": person(as_user, "teach", "Tess", INSTRUCTOR),
        "admin": person(as_user, "root", "Root", ADMIN),
        "learner": mia,
        "course_1": _course_pk("https://lms-a.example.edu", "course-1"),
        "course_2": _course_pk("https://lms-a.example.edu", "course-2"),
    }


def test_the_course_figures_of_a_seeded_programme(programme) -> None:
    body = programme["teacher"].get("/insight").get_json()
    assert body["scope"]["course_id"] == programme["course_1"]
    assert body["participation"] == {
        "learners": 3,
        "assessed": 3,
        "with_plan": 2,
        "with_checkin": 2,
        "mentor_volunteers": 1,
        "asking_help": 2,
        "mentees": 1,
        "mentors": 1,
    }
    assert sum(body["plans_by_state"].values()) == 2
    assert body["checkins_per_month"] == [
        {"month": "2026-10", "checkins": 1, "learners": 1},
        {"month": "2026-11", "checkins": 2, "learners": 2},
    ]
    growth = {(row["skill_code"], row["basis"]): row for row in body["skills_growth"]}
    assert growth[(A, "self_rated")] == {
        **growth[(A, "self_rated")],
        "learners": 3,
        "average_first": round((2 + 3 + 6) / 3, 2),
        "average_latest": round((4 + 3 + 6) / 3, 2),
        "improved": 1,
    }
    assert growth[(A, "verified")] == {
        **growth[(A, "verified")],
        "learners": 1,
        "average_first": 4.0,
        "average_latest": 5.0,
        "improved": 1,
    }
    mentoring = body["mentoring"]
    assert mentoring["pairs_by_state"] == {"requested": 0, "accepted": 0, "declined": 1, "withdrawn": 0, "ended": 1}
    assert mentoring["sessions"] == {
        "total": 1,
        "group": 0,
        "attendances": 1,
        "per_month": [{"month": "2026-11", "sessions": 1}],
    }
    assert mentoring["feedback"] == {
        "count": 2,
        "average_rating": 4.5,
        "by_rating": {"4": 1, "5": 1},
        "by_party": {"mentee": {"count": 1, "average_rating": 4.0}, "mentor": {"count": 1, "average_rating": 5.0}},
    }
    assert not any(secret in str(body) for secret in SECRETS)


def test_the_period_filter(programme) -> None:
    body = programme["teacher"].get("/insight?since=2026-11-01&until=2026-11-30").get_json()
    assert body["checkins_per_month"] == [{"month": "2026-11", "checkins": 2, "learners": 2}]
    # Assessments, plans and requests were made "now", after the period.
    assert body["participation"]["assessed"] == 0 and body["plans_by_state"] == {}
    assert body["mentoring"]["sessions"]["total"] == 1 and body["skills_growth"] == []
    assert programme["teacher"].get("/insight?since=2026-12-01&until=2026-11-01").status_code == 400


def test_an_administrator_sees_the_platform_or_one_course_of_it(programme, as_user, peer_b) -> None:
    admin = programme["admin"]
    whole = admin.get("/insight").get_json()
    assert whole["participation"]["learners"] == 4 and whole["participation"]["with_checkin"] == 3
    assert whole["checkins_per_month"][0] == {"month": "2026-09", "checkins": 1, "learners": 1}
    course_2 = admin.get(f"/insight?course_id={programme['course_2']}").get_json()
    assert course_2["participation"]["learners"] == 1 and course_2["mentoring"]["pairs_by_state"]["ended"] == 0
    # Platform B's administrator sees nothing of platform A, and cannot name its courses.
    admin_b = person(as_user, "root", "Root B", ADMIN, peer=peer_b)
    other = admin_b.get("/insight").get_json()
    assert other["participation"]["learners"] == 0 and other["mentoring"]["feedback"]["count"] == 0
    assert admin_b.get(f"/insight?course_id={programme['course_1']}").status_code == 404


def test_only_administrators_and_the_courses_instructors_see_insight(programme, as_user) -> None:
    assert programme["learner"].get("/insight").status_code == 403
    assert programme["learner"].get("/insight/csv").status_code == 403
    manager = person(as_user, "boss", "Bea Boss", MANAGER_ROLE)
    assert manager.get("/insight").status_code == 403
    assert programme["teacher"].get(f"/insight?course_id={programme['course_2']}").status_code == 404
    teacher_2 = person(as_user, "teach2", "Tom", INSTRUCTOR, context_id="course-2")
    body = teacher_2.get("/insight").get_json()
    assert body["participation"]["learners"] == 1 and body["mentoring"]["sessions"]["total"] == 0


def test_the_csv_export_holds_the_same_figures_and_no_private_text(programme) -> None:
    response = programme["teacher"].get("/insight/csv?since=2026-10-01")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["section", "key", "metric", "value"]
    assert ["participation", "", "learners", "3"] in rows
    assert ["checkins_per_month", "2026-10", "checkins", "1"] in rows
    assert ["skills_growth", f"{A} verified", "average_latest", "5.0"] in rows
    assert ["mentoring_pairs", "ended", "pairs", "1"] in rows
    assert ["mentoring_feedback", "", "average_rating", "4.5"] in rows
    assert not any(secret in text for secret in SECRETS)
    assert "Mia" not in text and "Leo" not in text


def test_the_administrators_insight_page_and_its_csv(programme, as_user, peer_b) -> None:
    admin = programme["admin"]
    page = admin.client.post("/admin/insight", data={"api_token": admin.token, "course_id": programme["course_1"]})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Programme insight" in html
    assert "2026-11" in html and "Reading Comprehension" in html
    assert not any(secret in html for secret in SECRETS) and "Mia" not in html
    download = admin.client.post("/admin/insight", data={"api_token": admin.token, "format": "csv"})
    assert download.mimetype == "text/csv" and "participation,,learners,4" in download.get_data(as_text=True)
    learner = programme["learner"]
    assert learner.client.post("/admin/insight", data={"api_token": learner.token}).status_code == 403
    admin_b = person(as_user, "root", "Root B", ADMIN, peer=peer_b)
    foreign = admin_b.client.post(
        "/admin/insight", data={"api_token": admin_b.token, "course_id": programme["course_1"]}
    )
    assert foreign.status_code == 400 and "SECRET" not in foreign.get_data(as_text=True)


def test_an_instructor_opens_the_insight_page_for_their_course_only(programme) -> None:
    teacher = programme["teacher"]
    page = teacher.client.post("/admin/insight", data={"api_token": teacher.token})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "2026-10" in html and "2026-09" not in html  # Zoe's course-2 check-in
    foreign = teacher.client.post(
        "/admin/insight", data={"api_token": teacher.token, "course_id": programme["course_2"]}
    )
    assert foreign.status_code == 400
