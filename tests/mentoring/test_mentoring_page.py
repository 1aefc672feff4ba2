"""The mentoring page: ask for help, see mentors ranked and explained, request one; the mentor accepts, logs a
session, and either ends it with feedback. Real launches and form posts with the launch token."""

from __future__ import annotations

import re
from typing import Any

from tests.mentoring.helpers import A, B, C, rated
from tests.pages.test_pages import no_inline_code

XSS = "<script>alert(1)</script>"


def page(client: Any, path: str, token: str, **fields: Any) -> tuple[int, str]:
    response = client.post(path, data={"token": token, **fields})
    return response.status_code, response.get_data(as_text=True)


def test_ask_match_request_accept_session_end_through_the_page(client, as_user) -> None:
    mia = rated(as_user, "mia", "Mia", {A: 2, B: 2, C: 3})
    ray = rated(as_user, "ray", f"Ray {XSS}", {A: 5, B: 5})
    sam = rated(as_user, "sam", "Sam", {C: 6})

    # Ray and Sam volunteer; a capacity off the scale is refused and nothing is saved.
    assert page(client, "/pages/mentoring/volunteer", ray.token, offer_skill=[A, B], capacity="9")[0] == 400
    status, html = page(client, "/pages/mentoring/volunteer", ray.token, offer_skill=[A, B], capacity="2")
    assert status == 200 and 'id="offer-summary"' in html and "up to 2 people" in html
    page(client, "/pages/mentoring/volunteer", sam.token, offer_skill=[C], capacity="1")

    # Mia asks for help; an unknown skill is refused and her rows come back as typed.
    status, html = page(
        client, "/pages/mentoring/ask", mia.token, ask_skill=[A, "9.Z.9", ""], ask_level=["4", "4", "4"]
    )
    assert status == 400 and "9.Z.9" in html
    status, html = page(client, "/pages/mentoring/ask", mia.token, ask_skill=[A, B, ""], ask_level=["5", "4", "4"])
    assert status == 200 and 'id="proposals"' in html
    proposals = html[html.index('id="proposals"') :]
    assert proposals.index("Ray &lt;script&gt;") < len(proposals) and XSS not in html
    assert "Sam" not in proposals  # Sam offers nothing Mia asked for
    assert "you 2, aiming for 5" in proposals and "(self-rated)" in proposals
    no_inline_code(html)

    # Mia asks Ray; the ask form gives way to her request.
    ray_id = re.search(r'name="mentor_user_id" value="(\d+)"', html).group(1)
    status, html = page(
        client, "/pages/mentoring/request", mia.token, mentor_user_id=ray_id, message="Help me read faster"
    )
    assert status == 200 and "Waiting for an answer" in html and 'id="ask-form"' not in html
    assert page(client, "/pages/mentoring/request", mia.token, mentor_user_id=ray_id)[0] == 409

    # Ray sees what Mia sent, accepts, logs a session; Sam cannot act on Mia's request.
    status, html = page(client, "/pages/mentoring", ray.token)
    request_id = re.search(r'name="request_id" value="(\d+)"', html).group(1)
    assert "Help me read faster" in html and "aiming for 5" in html
    assert page(client, "/pages/mentoring/respond", sam.token, request_id=request_id, accept="yes")[0] == 404
    status, html = page(client, "/pages/mentoring/respond", ray.token, request_id=request_id, accept="yes")
    assert status == 200 and 'id="session-form"' in html
    status, html = page(
        client, "/pages/mentoring/session", ray.token, request_id=request_id, held_on="someday", notes="kept"
    )
    assert status == 400 and ">kept</textarea>" in html
    fields = {
        "request_id": request_id,
        "held_on": "2026-11-30",
        "agenda_template": "strengths",
        "notes": "Skimming drills",
    }
    status, html = page(client, "/pages/mentoring/session", ray.token, **fields)
    assert status == 200 and "Session logged" in html and "Skimming drills" in html

    # Mia sees the session, and ends the mentoring with feedback only the two of them see.
    status, html = page(client, "/pages/mentoring", mia.token)
    sessions = html[html.index('id="sessions"') :]
    assert "Strengths" in sessions and "Skimming drills" in sessions
    status, html = page(client, "/pages/mentoring/end", mia.token, request_id=request_id, rating="5", feedback="Great")
    assert status == 200 and "Ended" in html
    mine = mia.get("/mentoring/requests").get_json()["as_mentee"][0]
    assert mine["state"] == "ended" and mine["my_feedback"] == {"rating": 5, "text": "Great"}
    assert ray.get("/mentoring/requests").get_json()["as_mentor"][0]["my_feedback"] is None


def test_every_learner_page_offers_mentoring_and_forged_tokens_are_refused(client, as_user) -> None:
    mia = rated(as_user, "mia", "Mia", {A: 2})
    _status, html = page(client, "/pages/people", mia.token)
    assert 'action="/pages/mentoring"' in html
    assert page(client, "/pages/mentoring", "forged")[0] == 401
    assert page(client, "/pages/mentoring/end", mia.token, request_id="99999999")[0] == 404


def test_the_cohort_page_opens_programme_insight_for_its_course(client, as_user, peer_a) -> None:
    from tests.api.launching import INSTRUCTOR, launch

    rated(as_user, "mia", "Mia", {A: 2})
    token = launch(client, peer_a, sub="teacher", roles=INSTRUCTOR)
    cohort = client.post("/pages/instructor", data={"token": token}).get_data(as_text=True)
    assert 'action="/admin/insight"' in cohort
    opened = client.post("/admin/insight", data={"api_token": token})
    assert opened.status_code == 200 and "Programme insight" in opened.get_data(as_text=True)
    learner = rated(as_user, "leo", "Leo", {A: 3})
    assert client.post("/admin/insight", data={"api_token": learner.token}).status_code == 403
