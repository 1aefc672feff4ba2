"""``/api/v1/career/recommendations``: the lists, their explanations, and values and interests from the
caller's own reflection exercises."""

from __future__ import annotations

from career_core.attribution import ONET_ATTRIBUTION
from career_core.exercises import INTEREST_OPTIONS
from career_core.onet import load_onet_catalog
from career_core.recommend import recommend

NURSE = "29-1141.00"
VALUES = {
    "top_values": ["helping others", "teamwork", "security", "learning", "fairness"],
    "ranked_values": [
        {"value": "helping others", "meaning": "patients leave better than they came in"},
        {"value": "teamwork", "meaning": "a ward that works together is a safe ward"},
        {"value": "security", "meaning": "a steady job I can plan a life around"},
    ],
    "career_drivers": ["service to a cause", "security and stability"],
}


def nurse_ratings() -> list[dict[str, object]]:
    nurse = load_onet_catalog().role(NURSE)
    return [{"skill_code": r.skill_code, "level": round(r.level)} for r in nurse.requirements]


def test_lists_match_career_core_and_explain_each_role(as_user) -> None:
    api = as_user()
    empty = api.get("/career/recommendations").get_json()
    assert empty["profile_size"] == 0 and empty["closest"] == [] and empty["level_zone"] is None
    assert api.post("/assessments", {"ratings": nurse_ratings()}).status_code in (200, 201)
    body = api.get(f"/career/recommendations?limit=8&current={NURSE}&explain=2").get_json()
    assert body["attribution"] == ONET_ATTRIBUTION and body["profile_size"] == 35
    profile = {r["skill_code"]: float(r["level"]) for r in nurse_ratings()}  # type: ignore[arg-type]
    expected = recommend(profile, load_onet_catalog().catalog, current_role=NURSE, limit=8)
    for name, items in expected.lists().items():
        assert [r["code"] for r in body[name]] == [r.code for r in items], name
    assert body["current"]["code"] == NURSE and body["zone_from_current_role"]
    assert body["level_zone"] == 4 and body["level_zone_name"].startswith("Job Zone Four")
    first = body["closest"][0]
    assert first["band"] in ("very close", "close", "some gaps", "big gaps") and "fit" not in first
    assert len(first["carries_over"]) <= 2 and all(n["standing"] == "to grow" for n in first["to_grow"])
    assert [r["strength"] for r in body["related_moves"]] == sorted(
        (r["strength"] for r in body["related_moves"]), reverse=True
    )


def test_values_and_interests_come_from_the_callers_own_exercises(as_user) -> None:
    other = as_user(sub="someone-else")
    other.put("/reflections/values_and_drivers", {"answers": VALUES})
    other.put("/reflections/strengths", {"answers": {"interests": [INTEREST_OPTIONS[3]]}})
    api = as_user(sub="learner")
    api.post("/assessments", {"ratings": nurse_ratings()})
    before = api.get("/career/recommendations").get_json()
    assert not before["uses_values"] and not before["uses_interests"]  # another learner's answers do not count
    assert before["combined"] == before["closest"]
    assert api.put("/reflections/values_and_drivers", {"answers": VALUES}).status_code == 200
    assert api.put("/reflections/strengths", {"answers": {"interests": [INTEREST_OPTIONS[3]]}}).status_code == 200
    after = api.get("/career/recommendations").get_json()
    assert after["uses_values"] and after["uses_interests"]
    assert after["closest"] == before["closest"]
    assert any("interests" in r["drivers"] or "values" in r["drivers"] for r in after["combined"])
    assert any("Social" in r["matched_interests"] for r in after["combined"])


def test_bad_requests(as_user) -> None:
    api = as_user()
    assert api.get("/career/recommendations?limit=0").status_code == 400
    assert api.get("/career/recommendations?explain=99").status_code == 400
    assert api.get("/career/recommendations?current=99-9999.99").status_code == 404


def test_recommendations_need_a_launch_token(client, onet) -> None:
    assert client.get("/api/v1/career/recommendations").status_code == 401
