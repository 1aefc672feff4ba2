"""Role search in every box that takes a role, and the page per role, after real launches.

Without script: forms post and re-render with what was typed and a "did you mean" list; nothing is lost.
"""

from __future__ import annotations

import re
from typing import Any

from career_core.attribution import ONET_ATTRIBUTION
from tests.lti.platform_peer import PlatformPeer
from tests.pages.conftest import INSTRUCTOR, launch_page
from tests.pages.test_deep_linking_view import picker
from tests.pages.test_pages import no_inline_code

NURSES = "29-1141.00"
DEVELOPERS = "15-1252.00"  # described by O*NET, but without skill ratings


def text_of(response: Any) -> str:
    return str(response.get_data(as_text=True))


def test_role_page_of_a_rated_occupation(client: Any, peer: PlatformPeer, onet: str) -> None:
    page = launch_page(client, peer, custom={"component": "career_path"})
    response = client.post("/pages/roles", data={"token": page.token, "code": NURSES})
    html = text_of(response)
    assert response.status_code == 200
    assert (
        response.headers["Cache-Control"] == "no-store"
        and "frame-ancestors" in response.headers["Content-Security-Policy"]
    )
    assert '<h1 id="role-heading">Registered Nurses</h1>' in html
    assert "What the work is" in html and html.count("<li>", html.index("task-list")) >= 3
    assert "Job Zone 4: Considerable Preparation Needed" in html
    assert "Bachelor&#39;s Degree" in html and "% of people in the job said so" in html
    assert "Hot technologies" in html
    # skills with levels, each also in the skill's own words (Level Scale Anchors)
    assert "Skills it needs" in html and 'class="skill-need-meaning"' in html
    assert re.search(r"Level \d(\.\d)? · ", html)
    assert "Where people go from here" in html and "Where people come from" in html
    assert 'name="target" value="29-1141.00"' in html
    assert "What it values and who enjoys it" in html and "Interests (RIASEC: " in html and "Work Values" in html
    assert "Investigative" in html and "Relationships" in html
    assert ONET_ATTRIBUTION.replace("&", "&amp;")[:60] in html
    no_inline_code(html)


def test_role_page_of_an_unrated_occupation_is_honest(client: Any, peer: PlatformPeer, onet: str) -> None:
    page = launch_page(client, peer, custom={"component": "career_path"})
    html = text_of(client.post("/pages/roles", data={"token": page.token, "code": DEVELOPERS}))
    assert "Software Developers" in html and "No skill ratings in O*NET" in html
    assert "Skills it needs" not in html and 'name="target" value="15-1252.00"' not in html
    assert "Computer Systems Engineers/Architects" in html and "O*NET lists it as related" in html
    assert "Not surveyed by O*NET" in html and "<li>Git</li>" in html
    no_inline_code(html)


def test_role_page_refuses_unknown_codes_and_missing_tokens(client: Any, peer: PlatformPeer, onet: str) -> None:
    page = launch_page(client, peer, custom={"component": "career_path"})
    missing = client.post("/pages/roles", data={"token": page.token, "code": "<script>alert(1)</script>"})
    assert missing.status_code == 404
    assert "<script>alert(1)" not in text_of(missing) and "&lt;script&gt;" in text_of(missing)
    assert client.post("/pages/roles", data={"code": NURSES}).status_code == 401


def test_explorer_search_without_script_keeps_the_query(client: Any, peer: PlatformPeer, onet: str) -> None:
    page = launch_page(client, peer, custom={"component": "career_path"})
    found = text_of(client.post("/pages/career-path", data={"token": page.token, "q": "sofware developer"}))
    assert 'value="sofware developer"' in found
    no_inline_code(found)
    results = found[found.index('id="search-results"') :]
    assert results.index("Software Developers") < results.index("</ul>")
    assert "Target Computer Systems Engineers/Architects instead" in results  # unrated: offer the stand-in
    missed = text_of(client.post("/pages/career-path", data={"token": page.token, "q": "qqxzv <b>"}))
    assert 'value="qqxzv &lt;b&gt;"' in missed and "No occupation matches “qqxzv &lt;b&gt;”" in missed


def test_explorer_target_without_script(client: Any, peer: PlatformPeer, onet: str) -> None:
    page = launch_page(client, peer, custom={"component": "career_path"})
    page.api.post("/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": 4}]})
    ranked = text_of(client.post("/pages/career-path", data={"token": page.token}))
    ranked = ranked[ranked.index('id="ranked"') : ranked.index("</ol>", ranked.index('id="ranked"'))]
    assert ranked.count(">About this role</button>") == ranked.count('class="role-item"') > 0
    current = text_of(client.post("/pages/career-path/target", data={"token": page.token, "current": NURSES}))
    assert "Now choose a target role" in current and 'name="pending_current" value="29-1141.00"' in current
    saved = client.post(
        "/pages/career-path/target", data={"token": page.token, "target": "29-1171.00", "pending_current": NURSES}
    )
    assert saved.status_code == 200 and "Saved." in text_of(saved)
    target = page.api.get("/career/target").get_json()
    assert target["target"]["code"] == "29-1171.00" and target["current"]["code"] == NURSES
    refused = client.post("/pages/career-path/target", data={"token": page.token, "target": DEVELOPERS, "q": "dev"})
    assert refused.status_code == 400 and "has no skill ratings in O*NET" in text_of(refused)
    assert 'value="dev"' in text_of(refused)


def test_heatmap_role_typo_keeps_the_text_and_suggests(client: Any, peer: PlatformPeer, onet: str) -> None:
    staff = launch_page(client, peer, sub="teacher-1", roles=INSTRUCTOR, custom={"component": "career_path"})
    miss = client.post("/pages/instructor", data={"token": staff.token, "role": "electrcian"})
    html = text_of(miss)
    assert miss.status_code == 400 and 'value="electrcian"' in html and 'aria-invalid="true"' in html
    no_inline_code(html)
    assert 'name="role_choice" value="47-2111.00"' in html and "Did you mean" in html
    chosen = client.post(
        "/pages/instructor", data={"token": staff.token, "role": "electrcian", "role_choice": "47-2111.00"}
    )
    assert chosen.status_code == 200 and "Skills heatmap against Electricians" in text_of(chosen)
    by_title = client.post("/pages/instructor", data={"token": staff.token, "role": "electricians"})
    assert "Skills heatmap against Electricians" in text_of(by_title)


def test_deep_linking_typo_re_renders_the_form_filled_in(client: Any, peer: PlatformPeer, onet: str) -> None:
    page = picker(client, peer)
    form = {
        "token": page.token,
        "pick": ["career_path", "self_assessment"],
        "career_path-title": "Where next?",
        "career_path-target_role": "regstered nurse",
        "career_path-grading": "on_progress",
        "self_assessment-skills": ["2.A.1.a", "2.A.1.b", "2.A.1.c"],
    }
    refused = client.post("/lti/deep-linking/response", data=form)
    html = text_of(refused)
    assert refused.status_code == 400
    assert 'value="Where next?"' in html and 'value="regstered nurse"' in html
    assert re.search(r'id="pick-career_path" class="pick-input"[^>]* checked', html)
    assert re.search(r'value="on_progress" selected', html)
    assert html.count('name="self_assessment-skills"') == 35
    assert all(f'name="self_assessment-skills" value="{code}" checked>' in html for code in ("2.A.1.a", "2.A.1.c"))
    assert 'name="self_assessment-skills" value="2.A.1.d" checked' not in html
    assert 'name="career_path-target_role_choice" value="29-1141.00"' in html
    accepted = client.post("/lti/deep-linking/response", data={**form, "career_path-target_role_choice": NURSES})
    assert accepted.status_code == 200 and "deep-link-return" in text_of(accepted)


def test_self_assessment_groups_skills_and_shows_their_own_anchors(client: Any, peer: PlatformPeer, onet: str) -> None:
    page = launch_page(client, peer, custom={"component": "self_assessment"})
    groups = re.findall(r'<h3 class="group-head" id="group-\d+">([^<]+?) <span', page.html)
    assert groups == [
        "Content",
        "Process",
        "Social Skills",
        "Complex Problem Solving Skills",
        "Technical Skills",
        "Systems Skills",
        "Resource Management Skills",
    ]
    assert 'data-draft-key="ct-draft-' in page.html and 'id="draft-note"' in page.html
    # a course-chosen subset: only those skills, still grouped, counted against the subset
    page.api.post("/assessments", {"ratings": [{"skill_code": "2.B.1.a", "level": 3}]})
    subset = launch_page(client, peer, custom={"component": "self_assessment", "skills": "2.A.1.a,2.A.1.b,2.B.1.a"})
    assert subset.html.count('<fieldset class="skill') == 3
    assert re.findall(r'<h3 class="group-head" id="group-\d+">([^<]+?) <span', subset.html) == [
        "Content",
        "Social Skills",
    ]
    assert '<span id="rated-count">1</span> of 3' in subset.html
    assert 'data-meaning="Working: More than: ' in subset.html


def test_self_assessment_comes_back_with_the_draft(client: Any, peer: PlatformPeer, onet: str) -> None:
    page = launch_page(client, peer, custom={"component": "self_assessment"})
    page.api.post("/assessments", {"ratings": [{"skill_code": "2.A.1.b", "level": 3}]})
    ratings = [{"skill_code": "2.A.1.a", "level": 4}, {"skill_code": "2.A.1.b", "level": 3}]
    page.api.put("/assessments/draft", {"ratings": ratings})
    again = launch_page(client, peer, custom={"component": "self_assessment"}).html
    assert "Restored 1 unsaved rating from your last visit" in again  # 2.A.1.b was already saved at 3
    assert re.search(r'id="skill-1-lv-4" name="skill-1" value="4"[^>]* checked', again)
    assert '<span id="rated-count">2</span> of 35' in again
    other = launch_page(client, peer, sub="learner-2", custom={"component": "self_assessment"}).html
    assert "Restored" not in other and not re.search(r'name="skill-1" value="\d"[^>]* checked', other)
