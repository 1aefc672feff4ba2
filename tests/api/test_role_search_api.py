"""``/api/v1/roles``: title search people can use, and what O*NET says about any occupation, rated or not."""

from __future__ import annotations

from career_core.attribution import ONET_ATTRIBUTION


def test_search_finds_the_occupation_people_mean(as_user) -> None:
    api = as_user()
    cases = {
        "software developer": "15-1252.00",
        "nurse": "29-1141.00",
        "data scientist": "15-2051.00",
        "HR manager": "11-3121.00",
        "electrician": "47-2111.00",
        "electrcian": "47-2111.00",
    }
    for query, code in cases.items():
        found = api.get(f"/roles?limit=5&q={query}").get_json()
        assert found["roles"][0]["code"] == code, query
        assert found["query"] == query and found["attribution"] == ONET_ATTRIBUTION
    hr = api.get("/roles?q=HR+manager&limit=1").get_json()["roles"][0]
    assert hr["title"] == "Human Resources Managers" and hr["matched_title"] == "HR Manager" and hr["rated"]


def test_unrated_results_name_a_rated_stand_in(as_user) -> None:
    found = as_user().get("/roles?q=software+developer&limit=3").get_json()["roles"][0]
    assert found["rated"] is False and found["stand_in"]["code"] == "15-1299.08"


def test_more_than_eight_results_on_request_and_limits(as_user) -> None:
    api = as_user()
    assert len(api.get("/roles?q=teacher&limit=30").get_json()["roles"]) == 30
    assert api.get("/roles?q=teacher&limit=51").status_code == 400
    assert api.get("/roles?q=" + "x" * 201).status_code == 400
    assert api.get("/roles?q=qqxzv").get_json()["roles"] == []


def test_detail_of_an_unrated_occupation(as_user) -> None:
    detail = as_user().get("/roles/15-1252.00").get_json()
    assert detail["rated"] is False and detail["requirements"] == [] and detail["tasks"]
    assert detail["stand_ins"] and all(s["rated"] for s in detail["stand_ins"])
    assert detail["job_zone_detail"]["number"] == 4 and "Git" in detail["hot_technologies"]
    assert detail["moves_out"] and detail["moves_in"] and detail["attribution"] == ONET_ATTRIBUTION


def test_detail_of_a_rated_occupation_reads_levels_in_the_skills_terms(as_user) -> None:
    detail = as_user().get("/roles/29-1141.00").get_json()
    assert detail["rated"] and len(detail["requirements"]) == 35 and detail["stand_ins"] == []
    reading = next(r for r in detail["requirements"] if r["skill_code"] == "2.A.1.a")
    assert reading["category"] == "Content" and reading["level_meaning"]
    assert detail["education"]["text"].startswith("Bachelor") and 0 < detail["education"]["percent"] <= 100
    interests = detail["interests"]
    assert len(interests["scores"]) == 6 and interests["code"] == "".join(h[0] for h in interests["high_points"])
    assert [s["score"] for s in interests["scores"]] == sorted((s["score"] for s in interests["scores"]), reverse=True)
    assert len(detail["work_values"]["scores"]) == 6 and detail["work_values"]["scores"][0]["description"]


def test_an_unrated_target_is_refused_with_suggestions(as_user) -> None:
    api = as_user(custom={"component": "career_path"})
    refused = api.put("/career/target", {"role_code": "15-1252.00"})
    assert refused.status_code == 400
    message = refused.get_json()["errors"]["json"]["role_code"][0]
    assert "has no skill ratings" in message and "did you mean" in message
    typo = api.put("/career/target", {"role_code": "electrcian"}).get_json()["errors"]["json"]["role_code"][0]
    assert "is not an O*NET occupation" in typo and "47-2111.00 Electricians" in typo


def test_a_draft_is_kept_but_is_not_a_sitting(as_user) -> None:
    api = as_user(custom={"component": "self_assessment"}, line_item="https://lms/li/7")
    saved = api.put("/assessments/draft", {"ratings": [{"skill_code": "2.A.1.a", "level": 4}]})
    assert saved.status_code == 200 and saved.get_json()["ratings"] == [{"skill_code": "2.A.1.a", "level": 4}]
    assert api.get("/assessments/draft").get_json()["ratings"] == [{"skill_code": "2.A.1.a", "level": 4}]
    assert api.get("/assessments").get_json()["assessments"] == []  # no sitting, so no completion or score
    bad = api.put(
        "/assessments/draft", {"ratings": [{"skill_code": "2.A.1.a", "level": 9}, {"skill_code": "x", "level": 1}]}
    )
    assert bad.status_code == 400 and set(bad.get_json()["errors"]["json"]) == {
        "ratings[0].level",
        "ratings[1].skill_code",
    }
    assert api.get("/assessments/draft").get_json()["ratings"] == [{"skill_code": "2.A.1.a", "level": 4}]
    assert api.post("/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": 4}]}).status_code == 201
    assert api.get("/assessments/draft").get_json()["ratings"] == []  # the sitting replaced it


def test_a_draft_belongs_to_its_learner(as_user) -> None:
    mine = as_user(custom={"component": "self_assessment"})
    mine.put("/assessments/draft", {"ratings": [{"skill_code": "2.A.1.b", "level": 2}]})
    theirs = as_user(sub="learner-2", custom={"component": "self_assessment"})
    assert theirs.get("/assessments/draft").get_json()["ratings"] == []
