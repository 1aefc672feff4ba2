"""Roles from the packaged catalog, gaps, ranked next roles, paths and the target role."""

from __future__ import annotations

from sqlalchemy import select

from career_core.attribution import ONET_ATTRIBUTION
from lti_app.extensions import db
from lti_app.models import ScoreDelivery

CEO = "11-1011.00"


def test_search_and_detail_carry_attribution(as_user) -> None:
    api = as_user()
    found = api.get("/roles?q=manager&limit=3").get_json()
    assert len(found["roles"]) == 3 and found["attribution"] == ONET_ATTRIBUTION
    detail = api.get(f"/roles/{CEO}").get_json()
    assert detail["title"] == "Chief Executives" and detail["requirements"] and detail["related"]
    assert detail["attribution"] == ONET_ATTRIBUTION
    assert api.get("/roles/99-9999.99").status_code == 404
    assert api.get("/roles?limit=0").status_code == 400


def test_roles_need_a_launch_token(client, onet) -> None:
    assert client.get("/api/v1/roles").status_code == 401


def test_gap_counts_unrated_skills_as_zero_then_shrinks(as_user) -> None:
    api = as_user()
    before = api.get(f"/roles/{CEO}/gap").get_json()
    assert before["fit"] == 0.0 and len(before["unrated"]) == len(before["items"])
    api.post("/assessments", {"ratings": [{"skill_code": i["skill_code"], "level": 7} for i in before["items"]]})
    after = api.get(f"/roles/{CEO}/gap").get_json()
    assert after["fit"] == 1.0 and after["top_gaps"] == [] and after["attribution"] == ONET_ATTRIBUTION


def test_next_roles_are_ranked_and_explained(as_user) -> None:
    api = as_user()
    api.post("/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": 6}]})
    ranked = api.get("/career/next-roles?limit=5&explain=3").get_json()
    # The order is the recommender's closest list; fit stays the share of weighted requirements met.
    lists = api.get("/career/recommendations?limit=5").get_json()
    assert [r["code"] for r in ranked["roles"]] == [r["code"] for r in lists["closest"]]
    assert len(ranked["roles"]) == 5 and all(0 <= r["fit"] <= 1 and r["band"] for r in ranked["roles"])
    assert all(len(r["explanation"]) <= 3 for r in ranked["roles"])
    assert ranked["attribution"] == ONET_ATTRIBUTION
    related = api.get(f"/career/next-roles?from={CEO}").get_json()
    assert related["from"]["code"] == CEO and all(r["strength"] for r in related["roles"])


def test_target_and_path(as_user) -> None:
    api = as_user(custom={"component": "career_path"}, line_item="https://lms/li/9")
    assert api.get("/career/path").status_code == 400
    target = api.put("/career/target", {"role_code": "11-1021.00", "current_role_code": CEO})
    assert target.status_code == 200 and target.get_json()["completion"] == 0.5
    path = api.get("/career/path").get_json()
    assert path["found"] and path["from"]["code"] == CEO and path["to"]["code"] == "11-1021.00"
    assert path["steps"][0]["from"]["code"] == CEO and path["attribution"] == ONET_ATTRIBUTION
    done = api.put("/career/target", {"role_code": "11-1021.00", "gap_reviewed": True}).get_json()
    assert done["complete"] and done["gap_reviewed"]
    scores = [d.payload["scoreGiven"] for d in db.session.scalars(select(ScoreDelivery).order_by(ScoreDelivery.id))]
    assert scores[-1] == 100.0
    assert api.put("/career/target", {"role_code": "bogus"}).status_code == 400
    assert api.get("/career/target").get_json()["target"]["code"] == "11-1021.00"
