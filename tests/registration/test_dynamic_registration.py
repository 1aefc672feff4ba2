"""``GET /lti/register``: LTI Dynamic Registration 1.0 against a platform peer over HTTP."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from lti_app.extensions import db
from lti_app.models import Deployment, ExpiringValue, LtiUser, Platform
from tests.lti.conftest import login
from tests.registration.registering_platform import TOOL_CONFIGURATION, RegisteringPlatform

SCOPES = {
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
}


def start(
    client: FlaskClient, lms: RegisteringPlatform, token: str | None = "registration-token-1", **extra: str
) -> Any:
    params = {"openid_configuration": lms.configuration_url, **extra}
    if token is not None:
        params["registration_token"] = token
    return client.get("/lti/register", query_string=params)


def nothing_written() -> bool:
    return (
        db.session.scalar(select(func.count()).select_from(Platform)) == 0
        and db.session.scalar(select(func.count()).select_from(Deployment)) == 0
        and db.session.scalar(select(func.count()).select_from(ExpiringValue)) == 0
    )


def test_registers_the_platform_and_tells_it_who_the_tool_is(client: FlaskClient, lms: RegisteringPlatform) -> None:
    response = start(client, lms)

    assert response.status_code == 200, response.get_data(as_text=True)
    platform = db.session.scalars(select(Platform)).one()
    assert (platform.issuer, platform.client_id) == (lms.issuer, "dyn-client-1")
    assert platform.auth_login_url == lms.issuer + "/mod/lti/auth.php"
    assert platform.auth_token_url == lms.issuer + "/mod/lti/token.php"
    assert platform.key_set_url == lms.peer.key_set_url
    assert platform.auth_audience == lms.issuer + "/mod/lti/token.php#aud"
    assert platform.deployment_ids == ["17"]
    assert platform.name == f"moodle ({lms.issuer.removeprefix('http://')})"

    headers, body = lms.registrations[0]
    assert headers["Authorization"] == "Bearer registration-token-1"
    assert headers["Content-Type"] == "application/json"
    assert body["application_type"] == "web"
    assert body["response_types"] == ["id_token"]
    assert body["grant_types"] == ["implicit", "client_credentials"]
    assert body["initiate_login_uri"] == "http://tool.test/lti/login"
    assert body["redirect_uris"] == ["http://tool.test/lti/launch"]
    assert body["jwks_uri"] == "http://tool.test/lti/jwks"
    assert body["client_name"] == "Career Toolkit"
    assert body["token_endpoint_auth_method"] == "private_key_jwt"
    assert set(body["scope"].split(" ")) == SCOPES
    tool = body[TOOL_CONFIGURATION]
    assert tool["domain"] == "tool.test"
    assert tool["target_link_uri"] == "http://tool.test/lti/launch"
    assert tool["claims"] == ["iss", "sub", "name", "given_name", "family_name", "email"]
    assert tool["description"]
    assert [(m["type"], m["target_link_uri"], bool(m["label"])) for m in tool["messages"]] == [
        ("LtiResourceLinkRequest", "http://tool.test/lti/launch", True),
        ("LtiDeepLinkingRequest", "http://tool.test/lti/launch", True),
    ]


def test_the_page_closes_the_platforms_dialog_with_a_script_file(client: FlaskClient, lms: RegisteringPlatform) -> None:
    response = start(client, lms)
    html = response.get_data(as_text=True)

    assert "dyn-client-1" in html and "17" in html and lms.issuer in html
    assert re.search(r'<script src="/static/registration_close\.js"></script>', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline script: the CSP forbids it"
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert lms.issuer in csp.split("frame-ancestors", 1)[1], "the platform that opened the page may frame it"
    with client.get("/static/registration_close.js") as script:
        assert script.status_code == 200
        assert "window.parent.postMessage({subject: 'org.imsglobal.lti.close'}, '*')" in script.get_data(as_text=True)


def test_the_registered_platform_can_launch_at_once(client: FlaskClient, lms: RegisteringPlatform) -> None:
    assert start(client, lms).status_code == 200
    peer = lms.peer
    peer.client_id, peer.deployment_id = "dyn-client-1", "17"

    params = login(client, peer)
    response = client.post(
        "/lti/launch", data={"id_token": peer.sign(peer.claims(params["nonce"])), "state": params["state"]}
    )

    assert response.status_code == 200, response.get_data(as_text=True)
    assert db.session.scalars(select(LtiUser)).one().issuer == lms.issuer


def test_a_registration_token_works_once(client: FlaskClient, lms: RegisteringPlatform) -> None:
    assert start(client, lms).status_code == 200

    again = start(client, lms)

    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)
    assert len(lms.registrations) == 1
    assert db.session.scalar(select(func.count()).select_from(Platform)) == 1
    stored = db.session.scalars(select(ExpiringValue)).one()
    assert "registration-token-1" not in stored.key, "only the token's hash is kept"


def test_a_new_deployment_of_a_known_registration_is_added(client: FlaskClient, lms: RegisteringPlatform) -> None:
    assert start(client, lms).status_code == 200
    lms.deployment_id = "18"

    response = start(client, lms, token="registration-token-2")

    assert response.status_code == 200, response.get_data(as_text=True)
    assert "already registered" in response.get_data(as_text=True)
    platform = db.session.scalars(select(Platform)).one()
    assert platform.deployment_ids == ["17", "18"]


def test_registration_without_a_token_sends_no_authorization(client: FlaskClient, lms: RegisteringPlatform) -> None:
    assert start(client, lms, token=None).status_code == 200
    assert "Authorization" not in lms.registrations[0][0]
    assert db.session.scalar(select(func.count()).select_from(ExpiringValue)) == 0


def _drop(name: str) -> Any:
    return lambda document: document.pop(name)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_drop("authorization_endpoint"), "lacks authorization_endpoint"),
        (_drop("token_endpoint"), "lacks token_endpoint"),
        (_drop("jwks_uri"), "lacks jwks_uri"),
        (_drop("registration_endpoint"), "lacks registration_endpoint"),
        (_drop("https://purl.imsglobal.org/spec/lti-platform-configuration"), "not an LTI platform"),
        (_drop("issuer"), "has no issuer"),
        (lambda d: d.update(issuer="https://lms.example.edu"), "is not on the issuer&#39;s host"),
        (lambda d: d.update(issuer=d["issuer"].replace("127.0.0.1", "localhost")), "is not on the issuer"),
        (lambda d: d.update(issuer="http://lms.example.edu"), "must be an https URL"),
        (lambda d: d.update(issuer=d["issuer"] + "?tenant=1"), "query or fragment"),
        (lambda d: d.update(token_endpoint="http://lms.example.edu/token"), "token_endpoint"),
        (lambda d: d.update(registration_endpoint="ftp://lms.example.edu/register"), "registration_endpoint"),
    ],
)
def test_bad_configurations_are_refused_and_nothing_is_written(
    client: FlaskClient, lms: RegisteringPlatform, edit: Any, message: str
) -> None:
    lms.edit_configuration = edit

    response = start(client, lms)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert lms.registrations == [], "nothing is posted to a platform whose configuration is wrong"
    assert nothing_written()


@pytest.mark.parametrize(
    ("configuration_url", "message"),
    [
        ("", "openid_configuration parameter is missing"),
        ("http://lms.example.edu/mod/lti/openid-configuration.php", "must be an https URL"),
        ("javascript:alert(1)", "must be an https URL"),
        ("http://127.0.0.1:9/mod/lti/openid-configuration.php", "could not be reached"),
    ],
)
def test_bad_configuration_urls_are_refused(client: FlaskClient, configuration_url: str, message: str) -> None:
    response = client.get("/lti/register", query_string={"openid_configuration": configuration_url})

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert nothing_written()


def test_a_configuration_that_is_not_found_is_refused(client: FlaskClient, lms: RegisteringPlatform) -> None:
    response = client.get("/lti/register", query_string={"openid_configuration": lms.issuer + "/nope"})

    assert response.status_code == 400
    assert "answered 404" in response.get_data(as_text=True)
    assert nothing_written()


def test_a_refused_registration_writes_nothing_and_leaves_the_token_usable(
    client: FlaskClient, lms: RegisteringPlatform
) -> None:
    lms.registration_status = 401

    refused = start(client, lms)

    assert refused.status_code == 400
    assert "refused the registration (401: invalid_request)" in refused.get_data(as_text=True)
    assert nothing_written()
    lms.registration_status = 200
    assert start(client, lms).status_code == 200


def test_a_registration_without_a_deployment_id_is_refused(client: FlaskClient, lms: RegisteringPlatform) -> None:
    lms.include_deployment_id = False

    response = start(client, lms)

    assert response.status_code == 400
    assert "no deployment id" in response.get_data(as_text=True)
    assert nothing_written()


def test_two_registrations_racing_for_one_token_claim_it_once(app: Any) -> None:
    from lti_app.lti.dynamic_registration import claim_token, release_token, token_was_used

    assert claim_token("racing-token") is True
    assert claim_token("racing-token") is False
    assert token_was_used("racing-token")
    release_token("racing-token")
    assert not token_was_used("racing-token")
