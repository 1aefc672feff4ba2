"""A launch is bound to the browser that ran its login, in Chromium with third-party cookies blocked: through the
demo LMS's client-side storage, and not at all for a cross-site page posting an id_token it obtained elsewhere."""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests
from flask import Flask
from sqlalchemy import func, select

from tests.browser.test_journeys import assert_no_tool_cookies, new_page, tool_frame
from tests.lti.test_demo import signed_launch

pytestmark = pytest.mark.browser

# Every frame of the page records the LTI messages it receives (Playwright injects this past the CSP).
RECORD_MESSAGES = """
window.__ltiMessages = [];
window.addEventListener("message", function (event) {
  var data = event.data || {};
  window.__ltiMessages.push({origin: event.origin, subject: data.subject, key: data.key, error: data.error || null});
});
"""


def launch_sessions(demo: Flask, sub: str) -> int:
    from lti_app.extensions import db
    from lti_app.models import LaunchSession, LtiUser

    with demo.app_context():
        return int(db.session.scalar(select(func.count(LaunchSession.id)).join(LtiUser).where(LtiUser.sub == sub)) or 0)


def tool_requests(page: Any, path: str) -> list[Any]:
    seen: list[Any] = []
    page.on("request", lambda request: seen.append(request) if urlsplit(request.url).path == path else None)
    return seen


def test_a_framed_launch_without_cookies_goes_through_the_platforms_storage(
    browser: Any, demo: Flask, lms: str
) -> None:
    context, page, dialogs = new_page(browser)
    context.add_init_script(RECORD_MESSAGES)
    launches = tool_requests(page, "/lti/launch")
    confirmations = tool_requests(page, "/lti/launch/verified")
    page.goto(lms + "/")
    page.click("#launch-learner")
    frame = tool_frame(page)
    frame.locator("#assessment-form").wait_for()

    # The platform's page was asked to store, then to give back, this login's state and nonce.
    tool_origin = demo.config["BASE_URL"]
    received = [m for m in page.evaluate("window.__ltiMessages") if m["origin"] == tool_origin]
    assert [m["subject"] for m in received] == ["lti.put_data"] * 2 + ["lti.get_data"] * 2, received
    assert {m["key"].split("_")[0] for m in received} == {"state", "nonce"}
    # The launch waited (202) for the page's own confirmation, which carried the custom header.
    assert [request.response().status for request in launches] == [202]
    assert len(confirmations) == 1 and confirmations[0].method == "POST"
    assert confirmations[0].headers.get("x-career-toolkit-launch") == "verified"
    assert confirmations[0].response().status == 200
    # The launched page replaced the verifying page in place: its URL is still the launch endpoint.
    assert frame.locator('meta[name="api-token"]').count() == 1
    assert urlsplit(page.frames[1].url).path == "/lti/launch"
    assert launch_sessions(demo, "demo-user-ada") == 1
    assert_no_tool_cookies(context, demo)
    assert dialogs == []
    context.close()


def test_when_the_platforms_frame_does_not_answer_the_page_offers_a_new_window(
    browser: Any, demo: Flask, lms: str
) -> None:
    context, page, _dialogs = new_page(browser)

    def name_a_missing_frame(route: Any) -> None:
        route.continue_(url=route.request.url.replace("lti_storage_target=_parent", "lti_storage_target=missing"))

    # The demo's launch, naming a storage frame the platform's page does not have.
    page.route(lambda url: urlsplit(url).path == "/lti/login", name_a_missing_frame)
    page.goto(lms + "/launch?user=ada&activity=activity-self-assessment")
    frame = tool_frame(page)
    frame.locator("#lti-verify-failed").wait_for()
    assert "could not confirm" in frame.locator("#lti-verify-failed").inner_text()
    offer = frame.locator("#lti-open-new-window")
    assert offer.is_visible() and offer.get_attribute("target") == "_blank"
    assert urlsplit(offer.get_attribute("href") or "").path == "/lti/login"
    assert frame.locator('meta[name="api-token"]').count() == 0
    assert launch_sessions(demo, "demo-user-ada") == 0
    context.close()


def attackers_id_token(lms: str, *, storage: bool) -> tuple[requests.Session, str, dict[str, str]]:
    """The attacker runs a launch of their own (as Chen) and keeps the platform's id_token and state."""
    attacker = requests.Session()
    launch_url = lms + "/launch?user=chen&activity=activity-self-assessment"
    if storage:
        action, fields = signed_launch(attacker, launch_url)
        return attacker, action, fields
    frame = attacker.get(launch_url, timeout=10)
    login_url = html.unescape(re.search(r'class="tool" title="Career Toolkit" src="([^"]+)"', frame.text).group(1))
    query = [(k, v) for k, v in parse_qsl(urlsplit(login_url).query) if k != "lti_storage_target"]
    login = attacker.get(login_url.split("?")[0] + "?" + urlencode(query), allow_redirects=False, timeout=10)
    auth = attacker.get(login.headers["Location"], timeout=10)
    action = html.unescape(re.search(r'action="([^"]+)"', auth.text).group(1))
    fields = {html.unescape(k): html.unescape(v) for k, v in re.findall(r'name="([^"]+)" value="([^"]*)"', auth.text)}
    return attacker, action, fields


@contextmanager
def attacker_site(body: str) -> Iterator[str]:
    """A page on another site (127.0.0.2 is a site of its own), served from this machine: Chromium lets a
    public page frame nothing on a local address at all, so only a local attacker reaches the tool's defences."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            encoded = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.2:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def attacker_page(action: str, fields: dict[str, str], framed: bool) -> str:
    target = "victim" if framed else "_self"
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in fields.items()
    )
    frame = '<iframe name="victim" width="800" height="600"></iframe>' if framed else ""
    return (
        f'<!doctype html><html><body><h1>Free career quiz</h1>{frame}<form id="f" method="post" '
        f'action="{html.escape(action)}" target="{target}">{inputs}</form>'
        f"<script>document.getElementById('f').submit();</script></body></html>"
    )


@pytest.mark.parametrize("framed", [False, True], ids=["top-level", "in-attackers-iframe"])
@pytest.mark.parametrize("storage", [True, False], ids=["login-offered-storage", "login-without-storage"])
def test_a_cross_site_page_posting_an_id_token_it_obtained_gets_no_launched_page(
    browser: Any, demo: Flask, lms: str, storage: bool, framed: bool
) -> None:
    attacker, action, fields = attackers_id_token(lms, storage=storage)
    context, page, _dialogs = new_page(browser)
    confirmations = tool_requests(page, "/lti/launch/verified")
    with (
        attacker_site(attacker_page(action, fields, framed)) as site,
        page.expect_response(lambda response: urlsplit(response.url).path == "/lti/launch") as posted,
    ):
        page.goto(site + "/quiz")
    status = posted.value.status
    assert status == (202 if storage else 403)

    if framed:
        # Only the platform may frame the tool's pages: the browser does not even show this one.
        page.wait_for_timeout(1000)
        victim = page.frame(name="victim")
        assert victim is not None
        assert victim.locator('meta[name="api-token"]').count() == 0
        assert victim.locator("#lti-verify-launch, #lti-new-window").count() == 0
    elif storage:
        # No platform frame holds this login's state in the victim's browser: nothing to confirm with.
        page.locator("#lti-verify-failed").wait_for()
        assert page.locator('meta[name="api-token"]').count() == 0
        # A page already in a window of its own does not offer another one.
        assert page.locator("#lti-own-window").is_visible()
    else:
        page.locator("#lti-new-window").wait_for()
        assert page.locator('meta[name="api-token"]').count() == 0
    page.wait_for_timeout(500)
    assert confirmations == []
    assert launch_sessions(demo, "demo-user-chen") == 0
    context.close()

    # The id_token was valid and is still unused: the attacker's own browser, cookie kept, launches with it.
    own = attacker.post(action, data=fields, timeout=10)
    assert own.status_code == 200 and 'name="api-token"' in own.text
    assert launch_sessions(demo, "demo-user-chen") == 1
