"""The self-assessment block, driven through its handlers as the LMS calls them."""

from __future__ import annotations

import pytest

from career_core.attribution import ONET_ATTRIBUTION
from career_core.onet import load_onet_catalog
from career_core.profile_chart import profile_charts_html
from tests.xblocks.runtime import RecordingRuntime, call, call_json
from xblocks.self_assessment import MAX_RATINGS_PER_SKILL, SelfAssessmentXBlock

SKILLS = ["2.A.1.a", "2.A.1.b", "2.A.1.c"]
ROLE = "15-1253.00"


@pytest.fixture
def block(runtime: RecordingRuntime) -> SelfAssessmentXBlock:
    return runtime.make_block(SelfAssessmentXBlock, skill_codes=SKILLS, target_role_code=ROLE)


def rate(block: SelfAssessmentXBlock, *levels: tuple[str, int], status: int = 200) -> dict:
    body = {"ratings": [{"skill_code": code, "level": level} for code, level in levels]}
    return call_json(block, "submit_ratings", body, status)


def test_partial_ratings_publish_progress_grade_and_completion(runtime: RecordingRuntime, block) -> None:
    block.grading_mode = "on_progress"
    block.weight = 3.0
    answer = rate(block, ("2.A.1.a", 4))
    assert runtime.events_of("grade") == [{"value": 1.0, "max_value": 3.0}]
    assert runtime.events_of("completion") == [{"completion": pytest.approx(1 / 3)}]
    assert answer["completion"] == pytest.approx(1 / 3)
    # Evidence is the person's, not the course's: a sitting records what it rated, complete or not.
    assert [(e["skill_code"], e["level"], e["source"]) for e in block.evidence] == [("2.A.1.a", 4, "self_assessment")]


def test_on_completion_mode_gives_nothing_until_every_skill_is_rated(runtime: RecordingRuntime, block) -> None:
    rate(block, ("2.A.1.a", 4), ("2.A.1.b", 2))
    rate(block, ("2.A.1.c", 5))
    assert runtime.events_of("grade") == [{"value": 0.0, "max_value": 1.0}, {"value": 1.0, "max_value": 1.0}]
    assert runtime.events_of("completion")[-1] == {"completion": 1.0}
    assert block.has_score and block.max_score() == 1.0


@pytest.mark.parametrize(
    "body",
    [
        {"ratings": [{"skill_code": "9.Z.9", "level": 3}]},
        {"ratings": [{"skill_code": "2.A.1.d", "level": 3}]},  # a real skill, but not in this assessment
        {"ratings": [{"skill_code": "2.A.1.a", "level": 8}]},
        {"ratings": [{"skill_code": "2.A.1.a", "level": True}]},
        {"ratings": [{"skill_code": "2.A.1.a", "level": 3, "confidence": "total"}]},
        {"ratings": [{"skill_code": "2.A.1.a", "level": 3}, "nonsense"]},
        {"ratings": []},
        ["not", "an", "object"],
    ],
)
def test_bad_ratings_answer_400_and_change_nothing(runtime: RecordingRuntime, block, body: object) -> None:
    rate(block, ("2.A.1.a", 2))
    before = (list(block.ratings), dict(block.skill_totals), len(runtime.events))
    response = call(block, "submit_ratings", body)
    assert response.status_code == 400
    assert response.json["error"]
    assert (block.ratings, block.skill_totals, len(runtime.events)) == before


def test_invalid_json_is_a_400(block) -> None:
    import webob

    request = webob.Request.blank("/", POST="{not json")
    assert block.handle("submit_ratings", request).status_code == 400


def test_completion_records_evidence_and_exports_it_as_xapi(block) -> None:
    rate(block, ("2.A.1.a", 4), ("2.A.1.b", 2), ("2.A.1.c", 5))
    assert sorted((item["skill_code"], item["level"], item["source"]) for item in block.evidence) == [
        ("2.A.1.a", 4, "self_assessment"),
        ("2.A.1.b", 2, "self_assessment"),
        ("2.A.1.c", 5, "self_assessment"),
    ]
    rate(block, ("2.A.1.a", 4), ("2.A.1.b", 3))
    assert len(block.evidence) == 4  # only the changed level adds a record
    exported = call_json(block, "export_evidence", {})
    assert exported["version"] == "1.0.3"
    statements = exported["statements"]
    assert len(statements) == 4
    assert {s["actor"]["account"]["name"] for s in statements} == {"learner-1"}
    assert statements[0]["verb"]["display"] == {"en-US": "self-assessed"}
    assert statements[0]["context"]["platform"] == "Open edX"


class SettingsService:
    """Open edX's settings service: XBLOCK_SETTINGS[block.block_settings_key]."""

    def get_settings_bucket(self, block, default=None):
        return {"CareerToolkit": {"xapi_home_page": "https://lms.example.edu/"}}.get(block.block_settings_key, default)


class UserService:
    def get_current_user(self):
        return type("User", (), {"opt_attrs": {"edx-platform.anonymous_user_id": "5f1e0c-anon"}})()


def test_xapi_uses_the_deployments_namespace_and_the_anonymous_id() -> None:
    runtime = RecordingRuntime(services={"settings": SettingsService(), "user": UserService()})
    block = runtime.make_block(SelfAssessmentXBlock, skill_codes=SKILLS)
    rate(block, ("2.A.1.a", 4), ("2.A.1.b", 2), ("2.A.1.c", 5))
    statement = call_json(block, "export_evidence", {})["statements"][0]
    assert statement["actor"]["account"] == {"homePage": "https://lms.example.edu", "name": "5f1e0c-anon"}
    assert statement["verb"]["id"] == "https://lms.example.edu/xapi/verbs/self-assessed"


def test_cohort_tallies_average_each_learners_latest_level(runtime: RecordingRuntime, block) -> None:
    other = runtime.make_block(SelfAssessmentXBlock, user_id="learner-2", usage_id=block.scope_ids.usage_id)
    rate(block, ("2.A.1.a", 2), ("2.A.1.b", 2), ("2.A.1.c", 2))
    rate(block, ("2.A.1.a", 4))
    rate(other, ("2.A.1.a", 6), ("2.A.1.b", 4), ("2.A.1.c", 4))
    assert other.cohort_average("2.A.1.a") == 5.0
    assert other.cohort_average("2.A.1.b") == 3.0
    assert other.completed_learners == 2
    assert other.ratings != block.ratings


def test_view_data_has_the_shared_chart_gaps_and_attribution(block) -> None:
    rate(block, ("2.A.1.a", 4))
    data = block.view_context()
    catalog = load_onet_catalog()
    expected = profile_charts_html(catalog.framework, SKILLS, {"2.A.1.a": 4.0}, catalog.role(ROLE))
    assert data["charts_html"] == expected
    assert 'class="ct-chart ct-gaps"' in expected and "ct-progress" not in expected  # one sitting: no line yet
    assert data["rated"] == 1 and data["required"] == 3
    assert data["role"] == {"code": ROLE, "title": catalog.role(ROLE).title}
    html = block.student_view().content
    assert expected in html
    assert ONET_ATTRIBUTION in html
    assert 'value="4" title=' in html and "selected" in html


def test_the_progress_chart_follows_the_sittings(block) -> None:
    assert block.view_context()["charts_html"] is None  # nothing rated, nothing to chart
    rate(block, ("2.A.1.a", 2), ("2.A.1.b", 2))
    rate(block, ("2.A.1.a", 4))
    rate(block, ("2.A.1.c", 6))
    charts = block.view_context()["charts_html"]
    assert 'class="ct-chart ct-progress"' in charts
    # Running averages after each sitting: (2+2)/2, (4+2)/2, (4+2+6)/3; the table says so too.
    table = charts[charts.index('class="ct-chart ct-progress"') :]
    for average_and_rated in ("<td>2</td><td>2</td>", "<td>3</td><td>2</td>", "<td>4</td><td>3</td>"):
        assert average_and_rated in table


def test_history_keeps_each_skills_latest_ratings_only(block) -> None:
    for level in range(7):
        rate(block, *((code, level) for code in SKILLS for _ in range(4)))
    assert len(block.ratings) == 3 * MAX_RATINGS_PER_SKILL
    assert block.profile() == dict.fromkeys(SKILLS, 6.0)


def test_all_35_skills_when_no_subset_is_configured(runtime: RecordingRuntime) -> None:
    block = runtime.make_block(SelfAssessmentXBlock)
    assert len(block.view_context()["skills"]) == 35


def test_save_settings_validates_codes_and_leaves_settings_unchanged(block) -> None:
    response = call(block, "save_settings", {"skill_codes": "2.A.1.a\n9.Z.9", "target_role_code": "00-0000.00"})
    assert response.status_code == 400
    assert "9.Z.9" in response.json["error"] and "00-0000.00" in response.json["error"]
    assert (block.skill_codes, block.target_role_code) == (SKILLS, ROLE)
    assert call(block, "save_settings", {"grading_mode": "sometimes"}).status_code == 400
    assert call(block, "save_settings", {"weight": -1}).status_code == 400
    assert call(block, "save_settings", {"colour": "red"}).status_code == 400
    answer = call_json(
        block, "save_settings", {"skill_codes": "2.A.1.d, 2.A.1.e", "weight": "2.5", "display_name": " Me "}
    )
    assert answer["result"] == "success"
    assert (block.skill_codes, block.weight, block.display_name) == (["2.A.1.d", "2.A.1.e"], 2.5, "Me")


def test_studio_view_shows_every_setting_with_its_help(block) -> None:
    html = block.studio_view().content
    for name in SelfAssessmentXBlock.editable_fields:
        assert f'name="{name}"' in html
    assert "leave empty for all 35 skills" in html
