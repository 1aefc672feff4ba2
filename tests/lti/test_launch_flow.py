"""Complete OIDC login + launch flows, as a platform and a browser drive them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import requests
from flask import Flask
from sqlalchemy import func, select

from lti_app.extensions import db
from lti_app.models import Context, LaunchSession, LtiUser, Membership, ResourceLink
from tests.lti.conftest import login
from tests.lti.platform_peer import LTI, PlatformPeer, redirect_params


def api_token(html: str) -> str:
    match = re.search(r'<meta name="api-token" content="([^"]+)">', html)
    assert match, "the launched page carries no api-token meta tag"
    return match.group(1)


def test_login_redirects_to_the_platform_with_every_required_parameter(client, peer: PlatformPeer) -> None:
    response = client.get("/lti/login", query_string=peer.login_params())
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(peer.issuer + "/auth?")
    params = redirect_params(location)
    assert params["scope"] == "openid"
    assert params["response_type"] == "id_token"
    assert params["response_mode"] == "form_post"
    assert params["prompt"] == "none"
    assert params["client_id"] == peer.client_id
    assert params["redirect_uri"] == "http://tool.test/lti/launch"
    assert params["login_hint"] == "user-hint-42"
    assert params["lti_message_hint"] == "message-hint-7"
    assert params["state"] and params["nonce"]


def test_login_by_post_works_too(client, peer: PlatformPeer) -> None:
    assert login(client, peer)["client_id"] == peer.client_id


def test_launch_records_who_launched_and_hands_the_page_a_token(client, peer: PlatformPeer) -> None:
    params = login(client, peer)
    token = peer.sign(peer.claims(params["nonce"]))
    response = client.post("/lti/launch", data={"id_token": token, "state": params["state"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    html = response.get_data(as_text=True)
    assert api_token(html)
    user = db.session.scalars(select(LtiUser)).one()
    assert (user.issuer, user.sub, user.name) == (peer.issuer, "learner-1", "Ada Learner")
    context = db.session.scalars(select(Context)).one()
    assert context.lti_context_id == "course-1" and context.title == "Career Design 101"
    assert db.session.scalars(select(ResourceLink)).one().lti_resource_link_id == "link-1"
    assert db.session.scalars(select(Membership)).one().role == "learner"
    session = db.session.scalars(select(LaunchSession)).one()
    assert session.user_id == user.id and session.role == "learner"


def test_a_launch_without_name_or_email_works(client, peer: PlatformPeer) -> None:
    """Open edX shares neither by default."""
    params = login(client, peer)
    claims = peer.claims(params["nonce"])
    del claims["name"], claims["email"]
    response = client.post("/lti/launch", data={"id_token": peer.sign(claims), "state": params["state"]})
    assert response.status_code == 200
    assert db.session.scalars(select(LtiUser)).one().name is None


def test_instructor_roles_map_to_the_instructor_view(client, peer: PlatformPeer) -> None:
    params = login(client, peer)
    claims = peer.claims(
        params["nonce"], roles=["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"], sub="teacher"
    )
    client.post("/lti/launch", data={"id_token": peer.sign(claims), "state": params["state"]})
    assert db.session.scalars(select(Membership)).one().role == "instructor"


def test_relaunch_updates_the_same_user_and_context(client, peer: PlatformPeer) -> None:
    for name in ("Ada Learner", "Ada Lovelace"):
        params = login(client, peer)
        claims = peer.claims(params["nonce"])
        claims["name"] = name
        assert (
            client.post("/lti/launch", data={"id_token": peer.sign(claims), "state": params["state"]}).status_code
            == 200
        )
    assert db.session.scalar(select(func.count(LtiUser.id))) == 1
    assert db.session.scalars(select(LtiUser)).one().name == "Ada Lovelace"
    assert db.session.scalar(select(func.count(Context.id))) == 1
    # The second launch allows exactly what the first did: it reuses that session and writes no new one.
    assert db.session.scalar(select(func.count(LaunchSession.id))) == 1


def test_a_launch_allowing_something_else_gets_its_own_session(client, peer: PlatformPeer) -> None:
    variants = [
        {},
        {"roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]},
        {"custom": {"component": "career_path"}},
        {"resource_link_id": "link-2"},
    ]
    tokens = []
    for variant in variants:
        params = login(client, peer)
        page = client.post(
            "/lti/launch",
            data={"id_token": peer.sign(peer.claims(params["nonce"], **variant)), "state": params["state"]},
        )
        tokens.append(api_token(page.get_data(as_text=True)))
    assert db.session.scalar(select(func.count(LaunchSession.id))) == len(variants)
    roles = [client.get("/api/v1/me", headers={"Authorization": "Bearer " + t}).get_json()["role"] for t in tokens]
    assert roles == ["learner", "instructor", "learner", "learner"]


def test_a_platform_added_with_the_cli_launches_at_once(app: Flask, runner, client) -> None:
    peer = PlatformPeer(issuer="https://moodle.example.org", client_id="moodle-client")
    try:
        result = runner.invoke(
            args=[
                "platforms",
                "add",
                "--name",
                "Moodle",
                "--issuer",
                peer.issuer,
                "--client-id",
                peer.client_id,
                "--auth-login-url",
                peer.issuer + "/auth",
                "--auth-token-url",
                peer.issuer + "/token",
                "--key-set-url",
                peer.key_set_url,
                "--deployment-id",
                peer.deployment_id,
            ]
        )
        assert result.exit_code == 0, result.output
        params = login(client, peer)
        response = client.post(
            "/lti/launch",
            data={"id_token": peer.sign(peer.claims(params["nonce"])), "state": params["state"]},
        )
        assert response.status_code == 200
    finally:
        peer.close()


def test_full_flow_over_real_http(live_tool: str, peer: PlatformPeer) -> None:
    """Login and launch through a real WSGI server, as a browser would, with the state cookie."""
    browser = requests.Session()
    login_response = browser.post(
        live_tool + "/lti/login",
        data=peer.login_params(target_link_uri=live_tool + "/lti/launch"),
        allow_redirects=False,
    )
    assert login_response.status_code == 302
    params = redirect_params(login_response.headers["Location"])
    assert params["redirect_uri"] == live_tool + "/lti/launch"
    assert any(cookie.name.startswith("lti1p3-state-") for cookie in browser.cookies)
    claims = peer.claims(params["nonce"])
    claims[LTI + "target_link_uri"] = live_tool + "/lti/launch"
    launch = browser.post(params["redirect_uri"], data={"id_token": peer.sign(claims), "state": params["state"]})
    assert launch.status_code == 200
    token = api_token(launch.text)
    me = requests.get(live_tool + "/api/v1/me", headers={"Authorization": "Bearer " + token}, timeout=5)
    assert me.status_code == 200
    assert me.json()["sub"] == "learner-1"
    assert urlsplit(params["redirect_uri"]).path == "/lti/launch"
