"""Every way a launch must be refused: each answers 4xx with a clear message and writes nothing."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from sqlalchemy import func, select

from lti_app.extensions import db
from lti_app.models import Context, LaunchSession, LtiUser, Membership, ResourceLink
from tests.lti.conftest import login
from tests.lti.platform_peer import LTI, PlatformKey, PlatformPeer

Mutation = Callable[[dict[str, Any]], None]


def _set(name: str, value: Any) -> Mutation:
    def mutate(claims: dict[str, Any]) -> None:
        claims[name] = value

    return mutate


def _drop(name: str) -> Mutation:
    def mutate(claims: dict[str, Any]) -> None:
        claims.pop(name, None)

    return mutate


def _nested_drop(name: str, key: str) -> Mutation:
    def mutate(claims: dict[str, Any]) -> None:
        claims[name].pop(key, None)

    return mutate


CLAIM_CASES: list[tuple[str, Mutation, int, str]] = [
    ("wrong iss", _set("iss", "https://evil.example"), 400, "issuer"),
    ("wrong aud", _set("aud", "someone-else"), 400, "audience"),
    ("several aud, no azp", _set("aud", ["career-toolkit-client", "other"]), 400, "azp"),
    ("wrong azp", _set("azp", "other"), 400, "authorized party"),
    ("expired beyond leeway", _set("exp", int(time.time()) - 120), 401, "expired"),
    ("iat in the future beyond leeway", _set("iat", int(time.time()) + 600), 401, "future"),
    ("unknown deployment", _set(LTI + "deployment_id", "not-registered"), 400, "deployment"),
    ("wrong message type", _set(LTI + "message_type", "LtiSubmissionReviewRequest"), 400, "message type"),
    ("missing message type", _drop(LTI + "message_type"), 400, "message type"),
    ("missing version", _drop(LTI + "version"), 400, "version"),
    ("missing roles", _drop(LTI + "roles"), 400, "roles"),
    ("missing sub", _drop("sub"), 400, "sub"),
    ("missing resource link id", _nested_drop(LTI + "resource_link", "id"), 400, "resource link"),
    ("missing exp", _drop("exp"), 401, "exp"),
    (
        "target_link_uri elsewhere",
        _set(LTI + "target_link_uri", "https://evil.example/launch"),
        400,
        "target_link_uri",
    ),
    ("nonce of another login", _set("nonce", "forged-nonce"), 401, "nonce"),
]


def assert_nothing_written() -> None:
    for model in (LtiUser, Context, ResourceLink, Membership, LaunchSession):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model.__name__


def assert_refused(response: Any, status: int, words: str) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code == status, body
    assert words.lower() in body.lower(), body


@pytest.mark.parametrize(("case", "mutate", "status", "words"), CLAIM_CASES, ids=[c[0] for c in CLAIM_CASES])
def test_claim_checks(client, peer: PlatformPeer, case: str, mutate: Mutation, status: int, words: str) -> None:
    params = login(client, peer)
    claims = peer.claims(params["nonce"])
    mutate(claims)
    response = client.post("/lti/launch", data={"id_token": peer.sign(claims), "state": params["state"]})
    assert_refused(response, status, words)
    assert_nothing_written()


def test_bad_signature(client, peer: PlatformPeer) -> None:
    params = login(client, peer)
    impostor = PlatformKey(kid=peer.keys[0].kid)  # same kid, different private key
    token = peer.sign(peer.claims(params["nonce"]), key=impostor)
    assert_refused(client.post("/lti/launch", data={"id_token": token, "state": params["state"]}), 401, "signature")
    assert_nothing_written()


def test_unsigned_or_symmetric_tokens_are_refused(client, peer: PlatformPeer) -> None:
    params = login(client, peer)
    claims = peer.claims(params["nonce"])
    for token in (
        jwt.encode(claims, "s" * 64, algorithm="HS256", headers={"kid": peer.keys[0].kid}),
        jwt.encode(claims, None, algorithm="none", headers={"kid": peer.keys[0].kid}),
    ):
        response = client.post("/lti/launch", data={"id_token": token, "state": params["state"]})
        assert_refused(response, 400, "RS256")
    assert_nothing_written()


def test_unknown_kid_refreshes_the_key_set_once_then_refuses(client, peer: PlatformPeer) -> None:
    params = login(client, peer)
    stranger = PlatformKey()
    token = peer.sign(peer.claims(params["nonce"]), key=stranger)
    fetches_before = peer.jwks_fetches
    assert_refused(client.post("/lti/launch", data={"id_token": token, "state": params["state"]}), 401, "kid")
    assert peer.jwks_fetches == fetches_before + 1
    assert_nothing_written()


def test_a_platform_key_rotation_is_picked_up_without_waiting_for_the_cache(client, peer: PlatformPeer) -> None:
    params = login(client, peer)
    client.post("/lti/launch", data={"id_token": peer.sign(peer.claims(params["nonce"])), "state": params["state"]})
    fetches = peer.jwks_fetches
    rotated = PlatformKey()
    peer.keys.insert(0, rotated)
    params = login(client, peer)
    response = client.post(
        "/lti/launch",
        data={"id_token": peer.sign(peer.claims(params["nonce"]), key=rotated), "state": params["state"]},
    )
    assert response.status_code == 200
    assert peer.jwks_fetches == fetches + 1


def test_platform_keys_are_cached(client, peer: PlatformPeer) -> None:
    for _ in range(3):
        params = login(client, peer)
        token = peer.sign(peer.claims(params["nonce"]))
        assert client.post("/lti/launch", data={"id_token": token, "state": params["state"]}).status_code == 200
    assert peer.jwks_fetches == 1


def test_expired_within_the_leeway_is_accepted(client, peer: PlatformPeer) -> None:
    """Moodle's id_tokens expire 60 s after issue; a slow browser or clock skew must not lock learners out."""
    params = login(client, peer)
    claims = peer.claims(params["nonce"])
    claims["exp"] = int(time.time()) - 30
    claims["iat"] = int(time.time()) - 90
    assert client.post("/lti/launch", data={"id_token": peer.sign(claims), "state": params["state"]}).status_code == 200


def test_replayed_id_token_in_the_same_browser(client, peer: PlatformPeer) -> None:
    params = login(client, peer)
    data = {"id_token": peer.sign(peer.claims(params["nonce"])), "state": params["state"]}
    assert client.post("/lti/launch", data=data).status_code == 200
    users_before = db.session.scalar(select(func.count(LaunchSession.id)))
    assert_refused(client.post("/lti/launch", data=data), 400, "already used")
    assert db.session.scalar(select(func.count(LaunchSession.id))) == users_before


def test_replayed_id_token_from_another_browser_with_a_fresh_login(app, client, peer: PlatformPeer) -> None:
    params = login(client, peer)
    token = peer.sign(peer.claims(params["nonce"]))
    assert client.post("/lti/launch", data={"id_token": token, "state": params["state"]}).status_code == 200
    attacker = app.test_client()
    fresh = login(attacker, peer)
    response = attacker.post("/lti/launch", data={"id_token": token, "state": fresh["state"]})
    assert_refused(response, 401, "nonce")
    assert db.session.scalar(select(func.count(LaunchSession.id))) == 1


def test_nonce_replayed_with_its_own_state_after_the_state_was_restored(client, peer: PlatformPeer) -> None:
    """Even if the state were still there, the nonce is consumed once."""
    from lti_app.lti.launch import LoginState, state_key
    from lti_app.lti.views import state_store

    params = login(client, peer)
    token = peer.sign(peer.claims(params["nonce"]))
    assert client.post("/lti/launch", data={"id_token": token, "state": params["state"]}).status_code == 200
    state_store().put(state_key(params["state"]), LoginState(params["nonce"], peer.issuer, peer.client_id).dumps(), 60)
    assert_refused(client.post("/lti/launch", data={"id_token": token, "state": params["state"]}), 401, "replayed")


def test_state_mismatch(client, peer: PlatformPeer) -> None:
    params = login(client, peer)
    token = peer.sign(peer.claims(params["nonce"]))
    assert_refused(client.post("/lti/launch", data={"id_token": token, "state": "state-forged"}), 400, "state")
    assert_nothing_written()


def test_state_cookie_of_another_login_is_a_mismatch(client, peer: PlatformPeer) -> None:
    params = login(client, peer)
    client.set_cookie("lti1p3-" + params["state"], "state-someone-else")
    token = peer.sign(peer.claims(params["nonce"]))
    assert_refused(client.post("/lti/launch", data={"id_token": token, "state": params["state"]}), 400, "state")
    assert_nothing_written()


def test_missing_id_token(client, peer: PlatformPeer) -> None:
    params = login(client, peer)
    assert_refused(client.post("/lti/launch", data={"state": params["state"]}), 400, "id_token")
    assert_nothing_written()


def test_moodle_style_error_post_shows_the_platform_description(client) -> None:
    response = client.post(
        "/lti/launch",
        data={"error": "invalid_request", "error_description": "The tool is not visible to you"},
    )
    assert_refused(response, 400, "The tool is not visible to you")
    assert "Missing id_token" not in response.get_data(as_text=True)


def test_error_description_is_escaped(client) -> None:
    response = client.post("/lti/launch", data={"error": "x", "error_description": "<script>alert(1)</script>"})
    body = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"iss": "https://unknown.example"}, "registration"),
        ({"login_hint": ""}, "login hint"),
        ({"target_link_uri": "https://evil.example/x"}, "target_link_uri"),
    ],
)
def test_login_refusals(client, peer: PlatformPeer, overrides: dict[str, str], words: str) -> None:
    response = client.post("/lti/login", data=peer.login_params(**overrides))
    assert_refused(response, 400, words)
