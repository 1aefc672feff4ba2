"""Each page rendered after a real launch: the right page per component and role, framed only by the
launching platform, and every piece of user text escaped."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.lti.platform_peer import PlatformPeer
from tests.pages.conftest import INSTRUCTOR, launch_page

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def no_inline_code(html: str) -> None:
    """The CSP allows only our own files: no inline scripts, styles or handlers."""
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "<style" not in html and " style=" not in html, "inline style"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"


@pytest.mark.parametrize(
    ("kind", "markers"),
    [
        ("self_assessment", ['id="assessment-form"', "Reading Comprehension", "What the levels mean", "Expert"]),
        ("career_path", ['id="role-search"', "Gap to your target", "Path from your current role"]),
        ("development_plan", ['id="goal-form"', 'id="checkin-form"', "Progress review", "Submit for review"]),
        ("reflection", ["Values and career drivers", "Strategic networking plan", "To complete this exercise"]),
    ],
)
def test_learner_page_for_each_component(
    client: Any, peer: PlatformPeer, onet: str, kind: str, markers: list[str]
) -> None:
    page = launch_page(client, peer, custom={"component": kind})
    for marker in markers:
        assert marker in page.html, marker
    assert f"pages/{kind}.js" in page.html
    csp = page.response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://lms.example.edu" in csp
    no_inline_code(page.html)


def test_self_assessment_shows_the_placement_subset_and_onet_attribution(
    client: Any, peer: PlatformPeer, onet: str
) -> None:
    skills = "2.A.1.a,2.A.1.b,2.A.1.c"
    page = launch_page(client, peer, custom={"component": "self_assessment", "skills": skills})
    assert page.html.count('class="skill"') == 3
    assert "O*NET 29.3 Database" in page.html and "CC BY 4.0" in page.html


def test_self_assessment_writes_each_level_meaning_once_and_checks_each_learners_own_level(
    client: Any, peer: PlatformPeer, onet: str
) -> None:
    first = launch_page(client, peer, custom={"component": "self_assessment"})
    codes = re.findall(r'data-skill="([^"]+)"', first.html)
    assert first.api.post("/assessments", {"ratings": [{"skill_code": codes[0], "level": 2}]}).status_code == 201
    other = launch_page(client, peer, sub="learner-2", custom={"component": "self_assessment"})
    assert other.api.post("/assessments", {"ratings": [{"skill_code": codes[0], "level": 5}]}).status_code == 201

    mine = launch_page(client, peer, custom={"component": "self_assessment"}).html
    theirs = launch_page(client, peer, sub="learner-2", custom={"component": "self_assessment"}).html

    # Before any rating, each level's meaning is in the key and nowhere else (not once per skill).
    meanings = re.findall(r"<dd>(.+?)</dd>", first.html)
    assert len(meanings) == 8 and all(first.html.count(meaning) == 1 for meaning in meanings)
    assert re.findall(r'id="(skill-1-lv-\d)" name="skill-1" value="\d" checked', mine) == ["skill-1-lv-2"]
    assert re.findall(r'id="(skill-1-lv-\d)" name="skill-1" value="\d" checked', theirs) == ["skill-1-lv-5"]


def test_self_assessment_chart_after_rating(client: Any, peer: PlatformPeer, onet: str) -> None:
    page = launch_page(client, peer, custom={"component": "self_assessment", "target_role": "29-1141.00"})
    assert client.get("/pages/self-assessment/chart").status_code == 401
    codes = re.findall(r'data-skill="([^"]+)"', page.html)
    ratings = [{"skill_code": code, "level": 3} for code in codes]
    assert page.api.post("/assessments", {"ratings": ratings}).status_code == 201
    chart = client.get("/pages/self-assessment/chart", headers={"Authorization": f"Bearer {page.token}"})
    assert chart.status_code == 200 and chart.mimetype == "text/html"
    html = chart.get_data(as_text=True)
    assert 'class="ct-chart ct-gaps"' in html and "Registered Nurses" in html
    again = launch_page(client, peer, custom={"component": "self_assessment", "target_role": "29-1141.00"})
    assert 'class="ct-chart ct-gaps"' in again.html and again.html.count(" checked>") == len(codes)


def test_self_assessment_compares_with_the_closest_role_when_none_is_chosen(
    client: Any, peer: PlatformPeer, onet: str
) -> None:
    page = launch_page(client, peer, custom={"component": "self_assessment"})
    page.api.post("/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": 5}]})
    again = launch_page(client, peer, custom={"component": "self_assessment"})
    assert 'id="compare-role"' in again.html and "% fit)" in again.html
    assert 'class="ct-target"' in again.html  # the role's marks on the gap bars


def test_plan_goal_titles_and_names_are_escaped_for_the_instructor(client: Any, peer: PlatformPeer, onet: str) -> None:
    learner = launch_page(client, peer, sub="learner-x", name=XSS, custom={"component": "development_plan"})
    created = learner.api.post("/plans", {"vision": XSS, "goals": [{"title": XSS}]})
    assert created.status_code == 201, created.get_json()
    plan_id = created.get_json()["id"]
    assert learner.api.post(f"/plans/{plan_id}/transitions", {"action": "request_review"}).status_code == 200

    staff = launch_page(client, peer, sub="teacher-1", roles=INSTRUCTOR, custom={"component": "development_plan"})
    assert "Cohort overview" in staff.html
    assert XSS not in staff.html
    assert staff.html.count(ESCAPED) >= 3  # the learner's name (cohort, review), vision and goal title
    assert f'data-plan="{plan_id}"' in staff.html
    no_inline_code(staff.html)


def test_instructor_sees_cohort_progress_and_a_heatmap(client: Any, peer: PlatformPeer, onet: str) -> None:
    learner = launch_page(client, peer, sub="learner-h", custom={"component": "career_path"})
    learner.api.post("/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": 7}]})
    learner.api.put("/career/target", {"role_code": "29-1141.00"})
    staff = launch_page(client, peer, sub="teacher-1", roles=INSTRUCTOR, custom={"component": "career_path"})
    assert "Ada Learner" in staff.html and "Registered Nurses" in staff.html
    assert 'id="heatmap"' in staff.html
    assert re.search(r'<td class="heat-met">7<span class="sr-only"> \(meets the role\)</span></td>', staff.html)
    assert "heat-unrated" in staff.html and '<span class="sr-only">not rated</span>' in staff.html

    other = client.post("/pages/instructor", data={"token": staff.token, "role": "29-1171.00"})
    assert other.status_code == 200 and "Nurse Practitioners" in other.get_data(as_text=True)
    assert "frame-ancestors 'self' https://lms.example.edu" in other.headers["Content-Security-Policy"]
    assert client.post("/pages/instructor", data={"token": learner.token}).status_code == 403
    assert client.post("/pages/instructor", data={"token": "forged"}).status_code == 401
    bad = client.post("/pages/instructor", data={"token": staff.token, "role": "not a role"})
    assert bad.status_code == 400 and "not an O*NET occupation" in bad.get_data(as_text=True)


def test_home_launch_without_a_component(client: Any, peer: PlatformPeer, onet: str) -> None:
    learner = launch_page(client, peer, sub="learner-home")
    assert "Your progress" in learner.html or "Skills self-assessment" in learner.html
    staff = launch_page(client, peer, sub="teacher-home", roles=INSTRUCTOR)
    assert "Cohort overview" in staff.html


def test_reflection_for_the_placement_exercise_with_saved_answers_escaped(
    client: Any, peer: PlatformPeer, onet: str
) -> None:
    page = launch_page(client, peer, custom={"component": "reflection", "exercise": "strengths"})
    assert "Values and career drivers" not in page.html
    assert "Strengths: at least 3 complete" in page.html
    saved = page.api.put("/reflections/strengths", {"answers": {"use_more": XSS}})
    assert saved.status_code == 200
    again = launch_page(client, peer, custom={"component": "reflection", "exercise": "strengths"})
    assert XSS not in again.html and ESCAPED in again.html
