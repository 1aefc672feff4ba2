"""The people pages: a manager launching any activity lands on the learners they support; a learner invites,
shares item by item and ends; the manager records a check-in in their own name, verifies a level and recognises an
achieved goal. Real launches, real form posts with the launch token, the real database."""

from __future__ import annotations

import re
from typing import Any

from tests.api.launching import Api, launch
from tests.pages.test_pages import no_inline_code
from tests.partners.test_partner_access import MANAGER_ROLE, SKILL, learner_with_work, person

XSS = "<script>alert(1)</script>"


def page(client: Any, path: str, token: str, **fields: Any) -> tuple[int, str]:
    response = client.post(path, data={"token": token, **fields})
    return response.status_code, response.get_data(as_text=True)


def test_a_manager_launch_lands_on_the_people_they_support(client, as_user, peer_a) -> None:
    token = launch(client, peer_a, sub="boss", roles=MANAGER_ROLE, custom={"component": "self_assessment"})
    status, html = page(client, "/pages/people", token)
    assert status == 200 and "People you support" in html and "Nobody has invited you yet" in html
    assert "Your manager and mentors" not in html  # a manager has no learner records in this course
    no_inline_code(html)
    assert page(client, "/pages/people", "forged")[0] == 401


def test_invite_share_checkin_verify_recognise_through_the_pages(client, as_user, peer_a) -> None:
    mia, plan = learner_with_work(as_user, "mia", f"Mia {XSS}")
    boss_token = launch(client, peer_a, sub="boss", roles=MANAGER_ROLE, extra_claims={"name": "Bea Boss"})
    other_token = launch(client, peer_a, sub="other", roles=MANAGER_ROLE, extra_claims={"name": "Oz Other"})

    # Mia asks for an invitation link; the page shows it once.
    status, html = page(client, "/pages/people", mia.token)
    assert status == 200 and "Your manager and mentors" in html and "No manager or mentor yet" in html
    status, html = page(client, "/pages/people/invite", mia.token, kind="manager", sub="")
    url = re.search(r'<code id="invitation-url">([^<]+)</code>', html)
    assert status == 200 and url
    assert "invitation-url" not in page(client, "/pages/people", mia.token)[1]

    # Bea accepts from her own launch; the invitation does not work twice.
    status, html = page(client, "/pages/people/accept", boss_token, invitation=url.group(1))
    assert status == 200 and "Accepted" in html and XSS not in html and "Mia &lt;script&gt;" in html
    assert page(client, "/pages/people/accept", other_token, invitation=url.group(1))[0] == 400
    link_id = re.search(r'name="link_id" value="(\d+)"', html).group(1)

    # Nothing shared yet: Bea sees that, and Oz (no link) sees nothing at all.
    status, html = page(client, "/pages/people/learner", boss_token, link_id=link_id)
    assert status == 200 and 'id="nothing-shared"' in html and "private vision" not in html
    assert page(client, "/pages/people/learner", other_token, link_id=link_id)[0] == 404
    assert page(client, "/pages/people/learner", boss_token, link_id="9" * 5000)[0] == 404  # beyond any id

    # Mia shares her plan, check-ins and assessment with Bea, not her reflections.
    items = ["plan", "checkins", "assessment"]
    status, html = page(client, "/pages/people/shares", mia.token, link_id=link_id, item=items)
    assert (
        status == 200
        and re.search(r'value="plan" checked', html)
        and not re.search(r'value="reflections" checked', html)
    )
    status, html = page(client, "/pages/people/learner", boss_token, link_id=link_id)
    assert "private vision" in html and "private strengths" not in html and 'id="shared-ratings"' in html

    # A check-in with a bad date is refused and keeps what Bea typed; a good one shows in the conversation.
    fields = {
        "link_id": link_id,
        "plan_id": str(plan["id"]),
        "notes": f"Talked about {XSS}",
        "agreed_actions": "Book a shadowing day\nRead the board paper",
    }
    status, html = page(client, "/pages/people/learner/checkin", boss_token, held_on="yesterday", **fields)
    assert status == 400 and "Talked about &lt;script&gt;" in html and XSS not in html
    status, html = page(
        client,
        "/pages/people/learner/checkin",
        boss_token,
        held_on="2026-11-30",
        agenda_template="career_growth",
        next_checkin_on="2026-12-30",
        **fields,
    )
    assert status == 200 and "Check-in saved" in html
    conversation = html[html.index('id="conversation"') :]
    assert (
        "Bea Boss (manager)" in conversation
        and "Career growth" in conversation
        and "Book a shadowing day" in conversation
    )
    assert "Next check-in: 2026-12-30" in conversation
    checkins = mia.get(f"/plans/{plan['id']}/checkins").get_json()["checkins"]
    assert [(c["author_name"], c["author_role"]) for c in checkins] == [("Bea Boss", "manager")]

    # Bea verifies a level; a level off the scale is refused.
    assert (
        page(client, "/pages/people/learner/verify", boss_token, link_id=link_id, skill_code=SKILL, level="9")[0] == 400
    )
    status, html = page(
        client,
        "/pages/people/learner/verify",
        boss_token,
        link_id=link_id,
        skill_code=SKILL,
        level="4",
        note="Ran the review well",
    )
    assert status == 200 and "Level verified" in html and "level 4 · verified by Bea Boss (manager)" in html

    # Recognition needs an achieved goal; then it reaches Mia with a credential she can fetch.
    goal_id = plan["goals"][0]["id"]
    recognise = {
        "link_id": link_id,
        "plan_id": str(plan["id"]),
        "goal_id": goal_id,
        "message": "You led the review with care.",
    }
    assert page(client, "/pages/people/learner/recognise", boss_token, **recognise)[0] == 409
    goals = mia.get(f"/plans/{plan['id']}").get_json()["goals"]
    goals[0].update(achieved=True, achieved_at="2026-11-30")
    assert mia.patch(f"/plans/{plan['id']}", {"goals": goals}).status_code == 200
    status, html = page(client, "/pages/people/learner/recognise", boss_token, credential="yes", **recognise)
    assert status == 200 and "Recognition sent" in html and "Credential issued" in html
    mine = mia.get("/people/recognition").get_json()
    assert [r["message"] for r in mine["recognitions"]] == ["You led the review with care."]
    assert [(v["level"], v["verifier_role"]) for v in mine["verifications"]] == [(4, "manager")]
    credential = mia.get(f"/people/recognitions/{mine['recognitions'][0]['id']}/credential")
    assert credential.status_code == 200 and credential.get_json()["id"].startswith("data:application/vc+jwt,")
    status, html = page(client, "/pages/people", mia.token)
    assert "You led the review with care." in html and "level 4, verified by Bea Boss (manager)" in html
    exported = client.post("/pages/profile/export", data={"token": mia.token}).get_json()
    assert [r["credential"] for r in exported["recognitions"]] == [credential.get_json()]
    assert [p["person"]["name"] for p in exported["people"]["partners"]] == ["Bea Boss"]

    # Mia revokes: Bea's next request is refused at once; then Mia ends the link.
    page(client, "/pages/people/shares", mia.token, link_id=link_id)
    status, html = page(client, "/pages/people/learner", boss_token, link_id=link_id)
    assert "private vision" not in html and 'id="nothing-shared"' in html
    status, html = page(client, "/pages/people/end", mia.token, link_id=link_id)
    assert status == 200 and "No manager or mentor yet" in html
    assert page(client, "/pages/people/learner", boss_token, link_id=link_id)[0] == 404
    assert Api(client, boss_token).get("/people").get_json()["supporting"] == []


def test_roster_invitation_is_answered_on_the_page_and_every_learner_page_offers_people(
    client, as_user, peer_a
) -> None:
    boss_token = launch(client, peer_a, sub="boss", roles=MANAGER_ROLE, extra_claims={"name": "Bea Boss"})
    mia = person(as_user, "mia", "Mia")
    status, html = page(client, "/pages/people", mia.token)
    assert 'action="/pages/people/invite"' in html and '<option value="boss">Bea Boss</option>' in html
    status, html = page(client, "/pages/people/invite", mia.token, kind="mentor", sub="boss")
    assert status == 200 and "Invited as your mentor" in html and "Invited, not accepted yet" in html
    assert page(client, "/pages/people/invite", mia.token, kind="mentor", sub="boss")[0] == 409
    assert page(client, "/pages/people/invite", mia.token, kind="boss", sub="")[0] == 400

    status, html = page(client, "/pages/people", boss_token)
    link_id = re.search(r'name="link_id" value="(\d+)"', html).group(1)
    status, html = page(client, "/pages/people/respond", boss_token, link_id=link_id, accept="yes")
    assert status == 200 and "you are their mentor" in html and "Shares nothing with you yet" in html

    # Mia's next launch, of another activity, offers the people page, where Bea is now her mentor.
    token = launch(client, peer_a, sub="mia", custom={"component": "development_plan"})
    status, html = page(client, "/pages/people", token)
    assert 'Bea Boss</strong> · Mentor · <span class="badge">Active' in html


def test_an_invitation_link_opened_outside_the_lms_says_how_to_accept_it(client) -> None:
    response = client.get("/partners/invitation/some-code")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Accept an invitation" in html and "some-code" not in html
