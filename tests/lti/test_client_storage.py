"""Binding a launch to the browser where the state cookie is blocked: LTI client-side storage, else a new window.

The platform's frame itself is played by the demo LMS in the browser tests; here the test plays the verifying
page's script, posting what the platform's frame would give back.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from sqlalchemy import func, select

from lti_app.extensions import db
from lti_app.lti.client_storage import PENDING_LAUNCH_TTL_SECONDS, pending_key
from lti_app.lti.launch import LoginState, nonce_key, state_key
from lti_app.lti.views import state_store
from lti_app.models import LaunchSession, LtiUser
from lti_app.models.platform import Platform
from tests.lti.conftest import login
from tests.lti.platform_peer import LTI, PlatformPeer, redirect_params
from tests.lti.test_launch_flow import api_token
from tests.lti.test_launch_security import CLAIM_CASES, Mutation, assert_nothing_written, assert_refused

VERIFIED = {"X-Career-Toolkit-Launch": "verified"}
# A signed JWT: three base64url parts, the header's always starting "eyJ". A bare "eyJ" is no sign of one:
# a random state can contain it.
JWT = re.compile(r"eyJ[\w-]*\.[\w-]+\.[\w-]+")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def data_attributes(page: str, element_id: str) -> dict[str, str]:
    """The ``data-*`` attributes of the element with this id."""
    tag = re.search(rf'<[a-z]+[^>]*\bid="{element_id}"[^>]*>', page, re.DOTALL)
    assert tag, f"no #{element_id} on the page"
    return {name: html.unescape(value) for name, value in re.findall(r'data-([a-z-]+)="([^"]*)"', tag.group(0))}


def stored_items(page: str) -> dict[str, tuple[str, str]]:
    """What the page puts into or reads from the platform's frame: name -> (key, value)."""
    return {
        name: (html.unescape(key), html.unescape(value))
        for name, key, value in re.findall(r'<li data-name="(\w+)" data-key="([^"]+)" data-value="([^"]+)">', page)
    }


def frame_ancestors(response: Any) -> list[str]:
    policy = response.headers["Content-Security-Policy"]
    return policy.split("frame-ancestors", 1)[1].split(";")[0].split()


def storage_login(client: Any, peer: PlatformPeer, target: str = "_parent") -> tuple[Any, dict[str, str]]:
    """A login initiation offering client-side storage: the page, and the auth request's parameters."""
    response = client.get("/lti/login", query_string=peer.login_params(lti_storage_target=target))
    assert response.status_code == 200, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    return response, redirect_params(data_attributes(page, "lti-storage-login")["auth-url"])


def launch_without_cookie(client: Any, peer: PlatformPeer, params: dict[str, str], **claims: Any) -> Any:
    """The platform's form post from a browser that blocked the tool's cookie."""
    client.delete_cookie("lti1p3-" + params["state"])
    token = peer.sign(peer.claims(params["nonce"], **claims))
    return client.post("/lti/launch", data={"id_token": token, "state": params["state"]})


def confirmation(page: str) -> dict[str, str]:
    """What the verifying page's script posts once the platform's frame has answered with what it kept."""
    items = stored_items(page)
    return {
        "state": data_attributes(page, "lti-verify-launch")["state"],
        "stored_state": items["state"][1],
        "stored_nonce": items["nonce"][1],
    }


def launch_count() -> int:
    return int(db.session.scalar(select(func.count(LaunchSession.id))) or 0)


# --- The login -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["_parent", "post_message_forwarding"])
def test_login_with_a_storage_target_answers_with_the_storing_page(client, peer: PlatformPeer, target: str) -> None:
    response, params = storage_login(client, peer, target)
    page = response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    attributes = data_attributes(page, "lti-storage-login")
    assert attributes["target"] == target
    assert attributes["platform-origin"] == "https://lms.example.edu"  # the origin of the OIDC auth URL
    assert attributes["auth-url"].startswith(peer.issuer + "/auth?")
    assert params["redirect_uri"] == "http://tool.test/lti/launch" and params["login_hint"] == "user-hint-42"
    state, nonce = params["state"], params["nonce"]
    assert stored_items(page) == {"state": ("state_" + state, state), "nonce": ("nonce_" + nonce, nonce)}
    # The cookie is still set: where the browser keeps it, the launch needs nothing else.
    assert client.get_cookie("lti1p3-" + state).value == state
    # Only that platform may frame the page, and no script runs but our static files.
    assert frame_ancestors(response) == ["'self'", "https://lms.example.edu"]
    assert not INLINE_SCRIPT.search(page)
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts == ["/static/lti/client_storage.js", "/static/lti/storage_login.js"]
    for script in scripts:
        with client.get(script) as served:
            assert served.status_code == 200


def test_login_remembers_the_storage_target_and_its_own_parameters(client, peer: PlatformPeer) -> None:
    _, params = storage_login(client, peer)
    login_state = LoginState.loads(state_store().get(state_key(params["state"])) or "")
    assert login_state.storage_target == "_parent"
    assert login_state.initiation == peer.login_params()
    plain = login(client, peer)
    assert LoginState.loads(state_store().get(state_key(plain["state"])) or "").storage_target is None


def test_a_login_state_written_before_these_fields_still_reads() -> None:
    old = LoginState.loads('{"nonce": "n", "iss": "https://lms.example.edu", "client_id": "c"}')
    assert (old.nonce, old.storage_target, old.initiation) == ("n", None, {})
    full = LoginState("n", "i", "c", "_parent", {"iss": "i"})
    assert LoginState.loads(full.dumps()) == full


# --- With the cookie: as before --------------------------------------------------------------------------


def test_the_cookie_is_enough_even_when_the_platform_offers_storage(client, peer: PlatformPeer) -> None:
    _, params = storage_login(client, peer)
    token = peer.sign(peer.claims(params["nonce"]))
    response = client.post("/lti/launch", data={"id_token": token, "state": params["state"]})
    assert response.status_code == 200 and api_token(response.get_data(as_text=True))
    assert launch_count() == 1
    assert state_store().get(pending_key(params["state"])) is None


def test_a_cookie_of_another_login_is_refused_even_with_storage(client, peer: PlatformPeer) -> None:
    _, params = storage_login(client, peer)
    client.set_cookie("lti1p3-" + params["state"], "state-someone-else")
    token = peer.sign(peer.claims(params["nonce"]))
    assert_refused(client.post("/lti/launch", data={"id_token": token, "state": params["state"]}), 400, "state")
    assert_nothing_written()


# --- No cookie, client-side storage offered: the verifying page, then the confirmation ----------------------


def test_without_the_cookie_the_launch_waits_for_the_platforms_frame(client, peer: PlatformPeer) -> None:
    _, params = storage_login(client, peer)
    response = launch_without_cookie(client, peer, params)
    page = response.get_data(as_text=True)
    assert response.status_code == 202, page
    attributes = data_attributes(page, "lti-verify-launch")
    assert attributes["target"] == "_parent"
    assert attributes["platform-origin"] == "https://lms.example.edu"
    assert attributes["state"] == params["state"]
    assert attributes["verified-url"] == "/lti/launch/verified"
    assert (attributes["header-name"], attributes["header-value"]) == ("X-Career-Toolkit-Launch", "verified")
    state, nonce = params["state"], params["nonce"]
    assert stored_items(page) == {"state": ("state_" + state, state), "nonce": ("nonce_" + nonce, nonce)}
    # Nothing consumed or recorded; the launch waits, and neither the id_token nor a launch URL is on the page.
    assert_nothing_written()
    assert state_store().get(state_key(state)) and state_store().get(nonce_key(nonce))
    assert state_store().get(pending_key(state))
    assert "id_token" not in page and not JWT.search(page) and 'name="api-token"' not in page
    assert frame_ancestors(response) == ["'self'", "https://lms.example.edu"]
    assert not INLINE_SCRIPT.search(page)
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert "/static/lti/verify_launch.js" in scripts and "/static/lti/client_storage.js" in scripts


def test_the_confirmation_records_the_launch_and_answers_with_its_page(client, peer: PlatformPeer) -> None:
    _, params = storage_login(client, peer)
    page = launch_without_cookie(client, peer, params, sub="learner-7").get_data(as_text=True)
    response = client.post("/lti/launch/verified", json=confirmation(page), headers=VERIFIED)
    launched = response.get_data(as_text=True)
    assert response.status_code == 200, launched
    token = api_token(launched)
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer " + token}).get_json()["sub"] == "learner-7"
    assert db.session.scalars(select(LtiUser)).one().sub == "learner-7"
    assert launch_count() == 1
    assert frame_ancestors(response) == ["'self'", "https://lms.example.edu"]
    # State, nonce and the waiting launch are all used up.
    store = state_store()
    assert store.get(state_key(params["state"])) is None and store.get(nonce_key(params["nonce"])) is None
    assert store.get(pending_key(params["state"])) is None


def test_a_second_confirmation_is_refused(client, peer: PlatformPeer) -> None:
    _, params = storage_login(client, peer)
    body = confirmation(launch_without_cookie(client, peer, params).get_data(as_text=True))
    assert client.post("/lti/launch/verified", json=body, headers=VERIFIED).status_code == 200
    assert_refused(client.post("/lti/launch/verified", json=body, headers=VERIFIED), 400, "already used")
    assert launch_count() == 1


def test_a_replayed_id_token_after_the_confirmation_is_refused(client, peer: PlatformPeer) -> None:
    _, params = storage_login(client, peer)
    token = peer.sign(peer.claims(params["nonce"]))
    data = {"id_token": token, "state": params["state"]}
    client.delete_cookie("lti1p3-" + params["state"])
    body = confirmation(client.post("/lti/launch", data=data).get_data(as_text=True))
    assert client.post("/lti/launch/verified", json=body, headers=VERIFIED).status_code == 200
    assert_refused(client.post("/lti/launch", data=data), 400, "already used")
    assert launch_count() == 1


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"stored_state": "state-of-another-login"}, "did not confirm"),
        ({"stored_nonce": "nonce-of-another-login"}, "did not confirm"),
        ({"stored_nonce": None}, "did not confirm"),
        ({"state": "state-unknown"}, "unknown, expired or already used"),
        ({"state": None}, "no state"),
    ],
    ids=["wrong state value", "wrong nonce value", "no nonce value", "unknown state", "no state"],
)
def test_a_confirmation_with_the_wrong_values_is_refused(
    client, peer: PlatformPeer, change: dict[str, Any], words: str
) -> None:
    _, params = storage_login(client, peer)
    body = confirmation(launch_without_cookie(client, peer, params).get_data(as_text=True))
    assert_refused(client.post("/lti/launch/verified", json={**body, **change}, headers=VERIFIED), 400, words)
    assert_nothing_written()
    assert state_store().get(nonce_key(params["nonce"])), "the nonce is not consumed by a refusal"


def test_a_wrong_answer_spends_the_waiting_launch(client, peer: PlatformPeer) -> None:
    _, params = storage_login(client, peer)
    body = confirmation(launch_without_cookie(client, peer, params).get_data(as_text=True))
    wrong = {**body, "stored_nonce": "guess"}
    assert client.post("/lti/launch/verified", json=wrong, headers=VERIFIED).status_code == 400
    assert_refused(client.post("/lti/launch/verified", json=body, headers=VERIFIED), 400, "already used")
    assert_nothing_written()


@pytest.mark.parametrize(
    "send",
    [
        pytest.param(lambda client, body: client.post("/lti/launch/verified", json=body), id="json, no header"),
        pytest.param(lambda client, body: client.post("/lti/launch/verified", data=body), id="cross-site form"),
        pytest.param(
            lambda client, body: client.post(
                "/lti/launch/verified", json=body, headers={"X-Career-Toolkit-Launch": "yes"}
            ),
            id="another header value",
        ),
    ],
)
def test_a_confirmation_without_the_pages_header_is_refused(client, peer: PlatformPeer, send: Any) -> None:
    _, params = storage_login(client, peer)
    body = confirmation(launch_without_cookie(client, peer, params).get_data(as_text=True))
    assert_refused(send(client, body), 403, "own page")
    assert_nothing_written()
    # The waiting launch is untouched: the page's own request still completes it.
    assert client.post("/lti/launch/verified", json=body, headers=VERIFIED).status_code == 200


def test_an_expired_waiting_launch_is_refused(client, peer: PlatformPeer) -> None:
    _, params = storage_login(client, peer)
    body = confirmation(launch_without_cookie(client, peer, params).get_data(as_text=True))
    store = state_store()
    waiting = store.get(pending_key(params["state"]))
    assert waiting is not None
    store.put(pending_key(params["state"]), waiting, -1)  # as if PENDING_LAUNCH_TTL_SECONDS had passed
    assert_refused(client.post("/lti/launch/verified", json=body, headers=VERIFIED), 400, "expired")
    assert_nothing_written()
    assert PENDING_LAUNCH_TTL_SECONDS <= 300, "a waiting launch must not linger"


def test_a_platform_removed_while_the_launch_waited_is_refused(client, peer: PlatformPeer) -> None:
    _, params = storage_login(client, peer)
    body = confirmation(launch_without_cookie(client, peer, params).get_data(as_text=True))
    db.session.delete(db.session.scalars(select(Platform)).one())
    db.session.commit()
    assert_refused(client.post("/lti/launch/verified", json=body, headers=VERIFIED), 400, "no longer registered")
    assert_nothing_written()


def test_launching_the_same_login_again_before_confirming_still_works(client, peer: PlatformPeer) -> None:
    """A learner who reloads the verifying page posts the same id_token again: the later page wins."""
    _, params = storage_login(client, peer)
    token = peer.sign(peer.claims(params["nonce"]))
    client.delete_cookie("lti1p3-" + params["state"])
    for _ in range(2):
        page = client.post("/lti/launch", data={"id_token": token, "state": params["state"]})
        assert page.status_code == 202
    response = client.post("/lti/launch/verified", json=confirmation(page.get_data(as_text=True)), headers=VERIFIED)
    assert response.status_code == 200
    assert launch_count() == 1


@pytest.mark.parametrize(("case", "mutate", "status", "words"), CLAIM_CASES, ids=[c[0] for c in CLAIM_CASES])
def test_every_id_token_check_comes_before_the_launch_waits(
    client, peer: PlatformPeer, case: str, mutate: Mutation, status: int, words: str
) -> None:
    _, params = storage_login(client, peer)
    client.delete_cookie("lti1p3-" + params["state"])
    claims = peer.claims(params["nonce"])
    mutate(claims)
    response = client.post("/lti/launch", data={"id_token": peer.sign(claims), "state": params["state"]})
    assert_refused(response, status, words)
    assert_nothing_written()
    assert state_store().get(pending_key(params["state"])) is None


# --- No cookie, no client-side storage: the new-window page ------------------------------------------------


def test_without_cookie_or_storage_the_launch_offers_a_new_window(client, peer: PlatformPeer) -> None:
    params = login(client, peer)
    response = launch_without_cookie(client, peer, params)
    page = response.get_data(as_text=True)
    assert response.status_code == 403, page
    assert "did not send back the cookie" in page
    link = re.search(r'<a [^>]*id="lti-open-new-window"[^>]*>', page)
    assert link, page
    assert 'target="_blank"' in link.group(0)
    href = html.unescape(re.search(r'href="([^"]+)"', link.group(0)).group(1))
    assert urlsplit(href).path == "/lti/login"
    assert dict(parse_qsl(urlsplit(href).query)) == peer.login_params()
    # A refusal of the framed launch: nothing consumed, recorded or waiting.
    assert_nothing_written()
    assert state_store().get(state_key(params["state"])) and state_store().get(nonce_key(params["nonce"]))
    assert state_store().get(pending_key(params["state"])) is None
    assert 'name="api-token"' not in page and not JWT.search(page)
    assert frame_ancestors(response) == ["'self'", "https://lms.example.edu"]
    assert not INLINE_SCRIPT.search(page)


def test_a_login_state_from_before_the_new_window_offer_says_to_start_again(client, peer: PlatformPeer) -> None:
    params = login(client, peer)
    state_store().put(state_key(params["state"]), LoginState(params["nonce"], peer.issuer, peer.client_id).dumps(), 60)
    response = launch_without_cookie(client, peer, params)
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "lti-open-new-window" not in page and "open the activity again" in page
    assert_nothing_written()


def test_the_new_window_completes_the_launch_with_its_cookie(live_tool: str, peer: PlatformPeer) -> None:
    """Over real HTTP: the framed launch lost its cookie; the new window's login keeps it."""
    target = live_tool + "/lti/launch"
    framed = requests.Session()
    first = framed.get(
        live_tool + "/lti/login", params=peer.login_params(target_link_uri=target), allow_redirects=False, timeout=10
    )
    params = redirect_params(first.headers["Location"])
    framed.cookies.clear()  # third-party cookies blocked inside the course page
    claims = peer.claims(params["nonce"])
    claims[LTI + "target_link_uri"] = target
    refused = framed.post(target, data={"id_token": peer.sign(claims), "state": params["state"]}, timeout=10)
    assert refused.status_code == 403
    href = html.unescape(re.search(r'id="lti-open-new-window" href="([^"]+)"', refused.text).group(1))

    window = requests.Session()  # the new window: a top-level page, where the tool's cookie is first-party
    login_again = window.get(live_tool + href, allow_redirects=False, timeout=10)
    assert login_again.status_code == 302
    again = redirect_params(login_again.headers["Location"])
    assert again["state"] != params["state"] and again["lti_message_hint"] == "message-hint-7"
    claims = peer.claims(again["nonce"])
    claims[LTI + "target_link_uri"] = target
    launched = window.post(target, data={"id_token": peer.sign(claims), "state": again["state"]}, timeout=10)
    assert launched.status_code == 200, launched.text
    token = api_token(launched.text)
    me = requests.get(live_tool + "/api/v1/me", headers={"Authorization": "Bearer " + token}, timeout=5)
    assert me.json()["sub"] == "learner-1"


def test_the_storing_page_over_real_http_sets_the_cookie(live_tool: str, peer: PlatformPeer) -> None:
    browser = requests.Session()
    response = browser.get(
        live_tool + "/lti/login",
        params=peer.login_params(target_link_uri=live_tool + "/lti/launch", lti_storage_target="_parent"),
        timeout=10,
    )
    assert response.status_code == 200 and "lti-storage-login" in response.text
    assert any(cookie.name.startswith("lti1p3-state-") for cookie in browser.cookies)
