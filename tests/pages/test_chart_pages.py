"""The charts on the launched pages: the self-assessment's charts and its fragment endpoint, the explorer's gap
chart, their history, and that a learner's charts show only their own ratings."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask

from career_core.profile_chart import profile_charts_html, progress_points
from lti_app.career import assessments, frameworks
from lti_app.career.access import own
from lti_app.extensions import db
from lti_app.launch_tokens import session_for_token
from lti_app.models.career import SelfAssessmentRecord
from tests.lti.platform_peer import PlatformPeer
from tests.pages.conftest import launch_page

NURSES = "29-1141.00"
SKILLS = "2.A.1.a,2.A.1.b,2.B.1.a,2.B.1.b"  # two groups: Basic Skills: Content and Social Skills


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def progress_rows(html: str) -> list[tuple[str, str]]:
    """(average, rated) per row of the progress chart's table."""
    progress = html[html.index('class="ct-chart ct-progress"') :]
    return re.findall(r'<th scope="row">[^<]+</th><td>([^<]+)</td><td>([^<]+)</td>', progress)


def test_the_chart_fragment_holds_gap_bars_groups_and_progress(client: Any, peer: PlatformPeer, onet: str) -> None:
    custom = {"component": "self_assessment", "target_role": NURSES, "skills": SKILLS}
    page = launch_page(client, peer, custom=custom)
    assert client.get("/pages/self-assessment/chart").status_code == 401
    assert client.get("/pages/self-assessment/chart", headers=bearer(page.token)).status_code == 404  # nothing rated
    assert "Save your ratings to see your chart." in page.html

    assert page.api.post("/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": 2}]}).status_code == 201
    one = client.get("/pages/self-assessment/chart", headers=bearer(page.token)).get_data(as_text=True)
    assert 'class="ct-chart ct-gaps"' in one and 'class="ct-chart ct-groups"' in one
    assert "ct-progress" not in one  # one sitting is no progress yet
    ratings = [{"skill_code": code, "level": 4} for code in SKILLS.split(",")]
    assert page.api.post("/assessments", {"ratings": ratings}).status_code == 201

    response = client.get("/pages/self-assessment/chart", headers=bearer(page.token))
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "Your skills compared with Registered Nurses, biggest gaps first" in html
    assert progress_rows(html) == [("2", "1"), ("4", "4")]
    # The launched page draws the same charts the fragment answers with.
    again = launch_page(client, peer, custom=custom)
    assert html in again.html


def test_the_page_draws_what_career_core_draws_for_the_same_data(
    app: Flask, client: Any, peer: PlatformPeer, onet: str
) -> None:
    page = launch_page(client, peer, custom={"component": "self_assessment", "target_role": NURSES})
    page.api.post(
        "/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": 5}, {"skill_code": "2.B.1.a", "level": 1}]}
    )
    html = client.get(f"/pages/self-assessment/chart?role={NURSES}", headers=bearer(page.token)).get_data(as_text=True)
    from lti_app.career.careers import catalog

    onet_catalog = catalog()
    expected = profile_charts_html(
        onet_catalog.framework,
        onet_catalog.framework.codes,
        {"2.A.1.a": 5.0, "2.B.1.a": 1.0},
        onet_catalog.role(NURSES),
    )
    assert html == expected


def test_another_role_is_charted_on_request_and_an_unknown_one_is_ignored(
    client: Any, peer: PlatformPeer, onet: str
) -> None:
    page = launch_page(client, peer, custom={"component": "self_assessment", "skills": SKILLS})
    page.api.post("/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": 3}]})
    chosen = client.get("/pages/self-assessment/chart?role=15-1253.00", headers=bearer(page.token))
    assert "Software Quality Assurance Analysts and Testers" in chosen.get_data(as_text=True)
    unknown = client.get("/pages/self-assessment/chart?role=nope", headers=bearer(page.token))
    assert unknown.status_code == 200  # falls back to the closest role, as the page does


def test_a_learner_sees_only_their_own_levels_and_history(client: Any, peer: PlatformPeer, onet: str) -> None:
    custom = {"component": "self_assessment", "target_role": NURSES, "skills": SKILLS}
    mine = launch_page(client, peer, custom=custom)
    theirs = launch_page(client, peer, sub="learner-2", custom=custom)
    for level in (1, 2, 3):
        mine.api.post("/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": level}]})
    theirs.api.post("/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": 7}]})
    theirs.api.post("/assessments", {"ratings": [{"skill_code": "2.A.1.b", "level": 6}]})
    my_html = client.get("/pages/self-assessment/chart", headers=bearer(mine.token)).get_data(as_text=True)
    their_html = client.get("/pages/self-assessment/chart", headers=bearer(theirs.token)).get_data(as_text=True)
    assert progress_rows(my_html) == [("1", "1"), ("2", "1"), ("3", "1")]
    assert progress_rows(their_html) == [("7", "1"), ("6.5", "2")]
    assert "Reading Comprehension: You 3," in my_html and "Reading Comprehension: You 7," in their_html


def test_progress_reads_only_the_latest_sittings(app: Flask, client: Any, peer: PlatformPeer, onet: str) -> None:
    page = launch_page(client, peer, custom={"component": "self_assessment", "skills": SKILLS})
    page.api.post("/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": 1}]})
    session = session_for_token(page.token)
    subject = own(session)
    framework = frameworks.framework_for_link(session)
    start = datetime(2020, 1, 1)  # stored naive, as UTC: older than the sitting just posted
    for i in range(60):
        db.session.add(
            SelfAssessmentRecord(
                user_id=subject.user_id,
                context_pk=subject.context_pk,
                resource_link_pk=session.resource_link_pk,
                framework_pk=framework.id,
                taken_at=start + timedelta(hours=i),
                ratings=[{"skill_code": "2.A.1.b", "level": i % 8, "confidence": "medium", "note": ""}],
            )
        )
    db.session.commit()
    recent = assessments.recent_sittings(subject, framework.id, limit=50)
    assert len(recent) == 50
    assert [taken_at for taken_at, _ in recent] == sorted(taken_at for taken_at, _ in recent)
    assert all(taken_at.tzinfo is not None for taken_at, _ in recent)
    assert recent[0] == (datetime(2020, 1, 1, 11, tzinfo=UTC), {"2.A.1.b": 3.0})  # the 11 oldest are not read
    assert recent[-1][1] == {"2.A.1.a": 1.0}  # the posted sitting, the latest
    html = client.get("/pages/self-assessment/chart", headers=bearer(page.token)).get_data(as_text=True)
    assert len(progress_rows(html)) == len(progress_points(recent, SKILLS.split(","))) == 50


def test_the_explorer_charts_the_gap_to_a_role(client: Any, peer: PlatformPeer, onet: str) -> None:
    page = launch_page(client, peer, custom={"component": "career_path"})
    assert 'id="gap-chart"' in page.html and "pages/charts.js" in page.html
    assert client.get(f"/pages/career-path/chart?role={NURSES}").status_code == 401
    assert client.get("/pages/career-path/chart", headers=bearer(page.token)).status_code == 400
    assert client.get("/pages/career-path/chart?role=" + "9" * 500, headers=bearer(page.token)).status_code == 400
    assert client.get("/pages/career-path/chart?role=00-0000.00", headers=bearer(page.token)).status_code == 404
    page.api.post("/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": 6}]})
    response = client.get(f"/pages/career-path/chart?role={NURSES}", headers=bearer(page.token))
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "Your skills compared with Registered Nurses, biggest gaps first" in html
    assert 'class="ct-chart ct-groups"' in html and "Show all 35 skills" in html
    assert "Reading Comprehension</th><td>6</td>" in html  # the caller's own level, in the table
