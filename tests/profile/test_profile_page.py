"""The learner's profile page, reached from every learner page by a form post carrying the launch token:
link two platforms, choose what the course's staff see, see who read what, download the data."""

from __future__ import annotations

import re
from typing import Any

from tests.api.launching import INSTRUCTOR, Api, launch
from tests.pages.conftest import launch_page
from tests.pages.test_pages import no_inline_code

XSS = "<script>alert(1)</script>"


def _page(client: Any, path: str, token: str, **fields: Any) -> Any:
    return client.post(path, data={"token": token, **fields})


def test_the_profile_page_links_platforms_shares_and_shows_reads(client, peer_a, peer_b, onet) -> None:
    moodle = launch(client, peer_a, sub="mia", custom={"component": "reflection"})
    edx = launch(client, peer_b, sub="mia-edx", context_id="mooc")

    opened = _page(client, "/pages/profile", moodle)
    html = opened.get_data(as_text=True)
    assert opened.status_code == 200 and "Your platforms" in html and "Download everything" in html
    assert opened.headers["Cache-Control"] == "no-store"
    no_inline_code(html)

    shown = _page(client, "/pages/profile/link-code", moodle).get_data(as_text=True)
    code = re.search(r'id="link-code">Your code: <strong><code>([A-Z0-9-]+)</code>', shown)
    assert code
    bad = _page(client, "/pages/profile/link", edx, code=XSS)
    assert bad.status_code == 400 and XSS not in bad.get_data(as_text=True)
    linked = _page(client, "/pages/profile/link", edx, code=code.group(1))
    assert linked.status_code == 200 and "Linked" in linked.get_data(as_text=True)
    assert linked.get_data(as_text=True).count("Unlink</button>") == 2

    # Share plans and reflections with this course; the staff's read shows up on the page.
    saved = _page(client, "/pages/profile/shares", moodle, share=["plans", "reflections"]).get_data(as_text=True)
    assert re.search(r'value="plans" checked', saved) and not re.search(r'value="evidence" checked', saved)
    teacher = launch(client, peer_a, sub="teacher", roles=INSTRUCTOR)
    staff = Api(client, teacher)
    (row,) = staff.get("/context/learners").get_json()["learners"]
    staff.get(f"/context/learners/{row['user_id']}/reflections/values")
    reads = _page(client, "/pages/profile", moodle).get_data(as_text=True)
    assert 'id="record-reads"' in reads and "reflection values" in reads

    assert _page(client, "/pages/profile", "forged").status_code == 401
    assert _page(client, "/pages/profile/unlink", edx, identity_id="999999").status_code == 404


def test_every_learner_page_offers_the_profile_and_staff_pages_do_not(client, peer_a, onet) -> None:
    page = launch_page(client, peer_a, custom={"component": "self_assessment"})
    assert 'action="/pages/profile"' in page.html
    staff = launch_page(client, peer_a, sub="teacher", roles=INSTRUCTOR)
    assert 'action="/pages/profile"' not in staff.html
