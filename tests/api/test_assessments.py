"""Self-assessments: validation against the scale, history, evidence and the score in the same transaction."""

from __future__ import annotations

from sqlalchemy import select

from lti_app.extensions import db
from lti_app.models import EvidenceRecordRow, ScoreDelivery, SelfAssessmentRecord


def _ratings(n: int, level: int = 3) -> list[dict]:
    from career_core.onet import load_onet_catalog

    return [{"skill_code": s.code, "level": level} for s in load_onet_catalog().framework.skills[:n]]


def test_submit_keeps_history_and_profile(as_user) -> None:
    api = as_user()
    first = api.post("/assessments", {"ratings": _ratings(2, 2)})
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["completion"] == 2 / 35
    api.post("/assessments", {"ratings": _ratings(1, 5)})
    history = api.get("/assessments").get_json()
    assert len(history["assessments"]) == 2
    levels = history["profiles"][0]["levels"]
    code0, code1 = (r["skill_code"] for r in _ratings(2))
    assert levels == {code0: 5.0, code1: 2.0}


def test_off_scale_unknown_and_repeated_ratings_are_400_by_field(as_user) -> None:
    api = as_user()
    ratings = _ratings(1)
    body = {"ratings": [{**ratings[0], "level": 9}, {"skill_code": "NOPE", "level": 1}, ratings[0]]}
    response = api.post("/assessments", body)
    assert response.status_code == 400
    fields = response.get_json()["errors"]["json"]
    assert {"ratings[0].level", "ratings[1].skill_code", "ratings[2].skill_code"} <= set(fields)
    assert db.session.scalars(select(SelfAssessmentRecord)).all() == []


def test_schema_rejects_wrong_types_and_long_notes(as_user) -> None:
    api = as_user()
    response = api.post("/assessments", {"ratings": [{"skill_code": "x", "level": "3", "note": "n" * 1001}]})
    assert response.status_code == 400
    assert set(response.get_json()["errors"]["json"]["ratings"]["0"]) == {"level", "note"}
    assert api.post("/assessments", {"ratings": []}).status_code == 400


def test_text_is_stored_as_given_not_escaped(as_user) -> None:
    api = as_user()
    note = '<script>alert("x")</script> & co'
    api.post("/assessments", {"ratings": [{**_ratings(1)[0], "note": note}]})
    assert api.get("/assessments").get_json()["assessments"][0]["ratings"][0]["note"] == note


def test_evidence_and_score_are_written_with_the_sitting(as_user) -> None:
    api = as_user(custom={"component": "self_assessment", "max_score": "10"}, line_item="https://lms/li/1")
    api.post("/assessments", {"ratings": _ratings(35)})
    rows = db.session.scalars(select(EvidenceRecordRow)).all()
    assert len(rows) == 35 and {r.source for r in rows} == {"self_assessment"}
    delivery = db.session.scalars(select(ScoreDelivery)).one()
    assert delivery.payload["scoreGiven"] == 10.0 and delivery.payload["scoreMaximum"] == 10.0
    assert delivery.payload["activityProgress"] == "Completed"


def test_on_completion_mode_gives_nothing_before_complete_and_on_progress_gives_a_share(as_user) -> None:
    api = as_user(custom={"component": "self_assessment"}, line_item="https://lms/li/1")
    api.post("/assessments", {"ratings": _ratings(7)})
    assert db.session.scalars(select(ScoreDelivery)).one().payload["scoreGiven"] == 0.0
    progress = as_user(
        sub="other",
        resource_link_id="link-2",
        custom={"component": "self_assessment", "grading": "on_progress", "skills": "2.A.1.a,2.A.1.b"},
        line_item="https://lms/li/2",
    )
    code = "2.A.1.a"
    assert (
        progress.post("/assessments", {"ratings": [{"skill_code": code, "level": 2}]}).get_json()["completion"] == 0.5
    )
    scores = [d.payload["scoreGiven"] for d in db.session.scalars(select(ScoreDelivery).order_by(ScoreDelivery.id))]
    assert scores[-1] == 50.0


def test_no_score_from_another_components_placement(as_user) -> None:
    api = as_user(custom={"component": "reflection"}, line_item="https://lms/li/1")
    api.post("/assessments", {"ratings": _ratings(35)})
    assert db.session.scalars(select(ScoreDelivery)).all() == []
