"""The tool's signing keys: created on first start, encrypted at rest, rotated with a retiring overlap."""

from __future__ import annotations

import jwt
from flask import Flask
from sqlalchemy import select

from lti_app import keyring
from lti_app.extensions import db
from lti_app.models.keys import SigningKey


def _verify_with_published_jwks(client, token: str) -> dict:
    key_set = jwt.PyJWKSet.from_dict(client.get("/lti/jwks").get_json())
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in key_set.keys if k.key_id == kid)
    return jwt.decode(token, key, algorithms=["RS256"], audience="platform")


def _sign_with(key: SigningKey, secret: str) -> str:
    return jwt.encode(
        {"aud": "platform", "iss": "tool"},
        keyring.private_key_pem(key, secret),
        algorithm="RS256",
        headers={"kid": key.kid},
    )


def test_first_start_creates_a_key_and_publishes_it(client) -> None:
    assert db.session.scalars(select(SigningKey)).first() is None
    jwks = client.get("/lti/jwks").get_json()
    assert len(jwks["keys"]) == 1
    published = jwks["keys"][0]
    assert published["kid"] and published["alg"] == "RS256" and published["use"] == "sig"
    assert "d" not in published and "p" not in published, "the JWKS must never carry private parts"
    assert client.get("/.well-known/jwks.json").get_json() == jwks


def test_private_keys_are_encrypted_at_rest(app: Flask) -> None:
    key = keyring.ensure_active_key(app.config["SECRET_KEY"])
    assert b"PRIVATE KEY" not in key.private_key_encrypted
    assert b"PRIVATE KEY" in keyring.private_key_pem(key, app.config["SECRET_KEY"])


def test_rotation_publishes_new_and_retiring_keys_and_both_verify(app: Flask, client) -> None:
    secret = app.config["SECRET_KEY"]
    old = keyring.ensure_active_key(secret)
    old_token = _sign_with(old, secret)
    new = keyring.rotate(secret)
    new_token = _sign_with(new, secret)
    kids = [key["kid"] for key in client.get("/lti/jwks").get_json()["keys"]]
    assert kids == [new.kid, old.kid]
    assert keyring.signing_material(secret)[0] == new.kid
    assert _verify_with_published_jwks(client, old_token)["iss"] == "tool"
    assert _verify_with_published_jwks(client, new_token)["iss"] == "tool"
    keyring.retire(old.kid)
    assert [key["kid"] for key in client.get("/lti/jwks").get_json()["keys"]] == [new.kid]


def test_keys_cli_lists_rotates_and_retires_without_printing_secrets(app: Flask, runner) -> None:
    listed = runner.invoke(args=["keys", "list"])
    assert listed.exit_code == 0 and "active" in listed.output
    assert "PRIVATE" not in listed.output
    first_kid = listed.output.split()[0]
    rotated = runner.invoke(args=["keys", "rotate"])
    assert rotated.exit_code == 0 and "retiring" in rotated.output
    listed = runner.invoke(args=["keys", "list"])
    assert f"{first_kid}\tretiring" in listed.output
    assert runner.invoke(args=["keys", "retire", first_kid]).exit_code == 0
    assert runner.invoke(args=["keys", "retire", "no-such-kid"]).exit_code != 0


def test_a_wrong_secret_cannot_read_the_keys(app: Flask) -> None:
    import pytest
    from cryptography.fernet import InvalidToken

    key = keyring.ensure_active_key(app.config["SECRET_KEY"])
    # Said plainly (Fernet's own InvalidToken has no message), with the cause kept.
    with pytest.raises(keyring.UndecryptableKeyError, match="cannot be decrypted: SECRET_KEY changed") as raised:
        keyring.private_key_pem(key, "another-secret")
    assert isinstance(raised.value.__cause__, InvalidToken)
