"""Reflections (answers per exercise, scored on completion) and evidence exports."""

from __future__ import annotations

from sqlalchemy import select

from career_core.attribution import ONET_ATTRIBUTION
from lti_app.extensions import db
from lti_app.models import ScoreDelivery

STRENGTHS = {
    "strengths": [
        {"strength": f"Strength {n}", "example": "I used it last week to fix a hard problem for my whole team"}
        for n in range(3)
    ],
    "use_more": "I could lead the weekly planning meeting and mentor the two new starters on the team",
}


def test_reflection_answers_evaluated_saved_and_scored(as_user) -> None:
    api = as_user(custom={"component": "reflection", "exercise": "strengths"}, line_item="https://lms/li/4")
    empty = api.get("/reflections/strengths").get_json()
    assert empty["answers"] == {} and not empty["evaluation"]["complete"]
    assert empty["template"]["fields"][0]["key"] == "strengths"
    partial = api.put("/reflections/strengths", {"answers": {"use_more": "too short"}}).get_json()
    assert 0 < partial["evaluation"]["completion"] < 1
    done = api.put("/reflections/strengths", {"answers": STRENGTHS})
    assert done.status_code == 200 and done.get_json()["evaluation"]["complete"]
    scores = [d.payload["scoreGiven"] for d in db.session.scalars(select(ScoreDelivery).order_by(ScoreDelivery.id))]
    assert scores[-1] == 100.0
    listed = {r["key"]: r for r in api.get("/reflections").get_json()["reflections"]}
    assert listed["strengths"]["complete"] and not listed["personal_vision"]["complete"]


def test_malformed_answers_and_unknown_exercises(as_user) -> None:
    api = as_user()
    bad = api.put("/reflections/strengths", {"answers": {"nope": 1, "use_more": "x" * 2001}})
    assert bad.status_code == 400
    assert {"answers.nope", "answers.use_more"} <= set(bad.get_json()["errors"]["json"])
    assert api.get("/reflections/nope").status_code == 404
    assert api.put("/reflections/nope", {"answers": {}}).status_code == 404
    assert api.put("/reflections/strengths", {}).status_code == 400


def test_evidence_list_xapi_and_badges(as_user) -> None:
    api = as_user()
    api.post(
        "/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": 4}, {"skill_code": "2.A.1.b", "level": 2}]}
    )
    listed = api.get("/evidence").get_json()
    assert listed["attribution"] == ONET_ATTRIBUTION
    records = listed["evidence"]
    assert {(r["skill_code"], r["level"], r["source"]) for r in records} == {
        ("2.A.1.a", 4, "self_assessment"),
        ("2.A.1.b", 2, "self_assessment"),
    }
    xapi = api.get("/evidence/xapi").get_json()
    assert xapi["attribution"] == ONET_ATTRIBUTION
    assert xapi["version"] == "1.0.3" and len(xapi["statements"]) == 2
    actor = xapi["statements"][0]["actor"]["account"]
    assert "@" not in actor["name"] and actor["name"] != "learner-1"
    badges = api.get("/evidence/badges").get_json()["credentials"]
    assert len(badges) == 2 and badges[0]["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
