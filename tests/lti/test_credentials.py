"""Open Badges 3.0 credentials signed by the tool: verified from the token and the published JWKS alone."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from flask.testing import FlaskClient

from career_core.badges import SkillAchievement, SkillAlignment, achievement_credential
from career_core.errors import ValidationError
from career_core.evidence import EvidenceRecord, EvidenceSource
from lti_app import keyring
from lti_app.credentials import (
    CredentialError,
    key_set_url,
    key_url,
    sign_credential,
    tool_issuer,
    verify_credential,
)

AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
ACHIEVEMENT = SkillAchievement(
    id="http://tool.test/achievements/2.A.1.a",
    name="Reading Comprehension",
    description="Understands written sentences and paragraphs in work-related documents.",
    criteria_narrative="Level verified by the learner's manager.",
    alignment=SkillAlignment(
        "2.A.1.a", "Reading Comprehension", "https://www.onetonline.org/find/descriptor/result/2.A.1.a"
    ),
)


def credential(**changes: Any) -> dict[str, Any]:
    record = EvidenceRecord("ev-1", "opaque-42", "2.A.1.a", 5, EvidenceSource.MANAGER_VERIFICATION, AT)
    built = achievement_credential(
        ACHIEVEMENT,
        [record],
        credential_id="urn:uuid:6a3f0d9e-1c1e-4a8e-9d7e-0f1b2c3d4e5f",
        issuer=tool_issuer(),
        identity_salt="pepper",
    )
    built.update(changes)
    return built


def published_jwks(client: FlaskClient, token: str) -> dict[str, Any]:
    """What any verifier does: fetch the JWKS the token's header points at, over HTTP (here the app's client)."""
    url = urlsplit(key_set_url(token))
    assert url.netloc == "tool.test" and url.path == "/lti/jwks"
    response = client.get(url.path)
    assert response.status_code == 200
    return response.get_json()


def verify(client: FlaskClient, token: str) -> dict[str, Any]:
    return verify_credential(token, published_jwks(client, token))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_a_signed_credential_verifies_with_the_published_key(app: Flask, client: FlaskClient) -> None:
    keyring.ensure_active_key(app.config["SECRET_KEY"])
    token = sign_credential(credential())
    header = jwt.get_unverified_header(token)
    active_kid = keyring.active_key().kid  # type: ignore[union-attr]
    # The kid URL dereferences to the JWK itself, as OB 3.0 asks of a kid; the inline jwk is its bare public key.
    jwk = client.get(urlsplit(header["kid"]).path).get_json()
    assert jwk["kid"] == active_kid and jwk["kty"] == "RSA" and "d" not in jwk
    assert header == {
        "alg": "RS256",
        "typ": "JWT",
        "kid": f"http://tool.test/lti/jwks/{active_kid}",
        "jwk": {"kty": "RSA", "n": jwk["n"], "e": jwk["e"]},
    }

    verified = verify(client, token)
    assert verified["iss"] == "http://tool.test/" == verified["issuer"]["id"]
    assert verified["jti"] == verified["id"]
    assert verified["nbf"] == int(AT.timestamp())
    assert verified["credentialSubject"]["achievement"]["name"] == "Reading Comprehension"
    assert verified["validFrom"] == "2026-03-01T09:30:00Z"
    # A generic JWT library with the published key agrees.
    key = next(k for k in jwt.PyJWKSet.from_dict(client.get("/lti/jwks").get_json()).keys if k.key_id == active_kid)
    assert jwt.decode(token, key, algorithms=["RS256"])["id"] == verified["id"]


def test_one_changed_byte_anywhere_in_payload_or_signature_fails(app: Flask, client: FlaskClient) -> None:
    keyring.ensure_active_key(app.config["SECRET_KEY"])
    token = sign_credential(credential())
    jwks = published_jwks(client, token)
    header, payload, signature = token.split(".")
    verify_credential(token, jwks)
    for part in ("payload", "signature"):
        original = unb64(payload if part == "payload" else signature)
        for position in range(len(original)):
            changed = bytearray(original)
            changed[position] ^= 0x01
            tampered = (
                f"{header}.{b64(bytes(changed))}.{signature}"
                if part == "payload"
                else f"{header}.{payload}.{b64(bytes(changed))}"
            )
            with pytest.raises(CredentialError):
                verify_credential(tampered, jwks)


def test_a_retired_key_no_longer_verifies(app: Flask, client: FlaskClient) -> None:
    secret = app.config["SECRET_KEY"]
    old = keyring.ensure_active_key(secret)
    token = sign_credential(credential())
    keyring.rotate(secret)
    assert verify(client, token)["id"]  # the retiring key is still published
    keyring.retire(old.kid)
    with pytest.raises(CredentialError, match="unknown or retired"):
        verify(client, token)
    assert client.get(f"/lti/jwks/{old.kid}").status_code == 404


def _sign_with_foreign_key(claims: dict[str, Any], kid_url: str) -> str:
    foreign = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = foreign.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return jwt.encode(claims, pem, algorithm="RS256", headers={"kid": kid_url})


def test_an_unknown_kid_or_a_key_published_elsewhere_fails(app: Flask, client: FlaskClient) -> None:
    keyring.ensure_active_key(app.config["SECRET_KEY"])
    claims = json.loads(json.dumps(jwt.decode(sign_credential(credential()), options={"verify_signature": False})))
    unknown = _sign_with_foreign_key(claims, key_url("ct-not-a-key-of-ours"))
    with pytest.raises(CredentialError, match="unknown or retired"):
        verify(client, unknown)
    # A forger's key, published on the forger's site, does not speak for the tool.
    with pytest.raises(CredentialError, match="not published by the issuer"):
        key_set_url(_sign_with_foreign_key(claims, "https://forger.example/lti/jwks/k1"))
    # A forger's key under a kid we do publish still fails the signature.
    active_kid = keyring.active_key().kid  # type: ignore[union-attr]
    with pytest.raises(CredentialError, match="signature"):
        verify(client, _sign_with_foreign_key(claims, key_url(active_kid)))
    # And so does a forger's key offered inline under our kid.
    foreign = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    inline = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(foreign.public_key()))
    pem = foreign.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    token = jwt.encode(claims, pem, algorithm="RS256", headers={"kid": key_url(active_kid), "jwk": inline})
    with pytest.raises(CredentialError, match="not the key the issuer publishes"):
        verify(client, token)


def test_only_rs256_is_accepted(app: Flask, client: FlaskClient) -> None:
    keyring.ensure_active_key(app.config["SECRET_KEY"])
    claims = jwt.decode(sign_credential(credential()), options={"verify_signature": False})
    active_kid = keyring.active_key().kid  # type: ignore[union-attr]
    jwk = client.get(f"/lti/jwks/{active_kid}").get_data()
    # The classic confusion: an HMAC "signed" with the public key as the secret.
    forged = jwt.encode(claims, "x" * 32 + jwk.decode(), algorithm="HS256", headers={"kid": key_url(active_kid)})
    with pytest.raises(CredentialError, match="alg must be RS256"):
        verify_credential(forged, client.get("/lti/jwks").get_json())


REQUIRED = ("@context", "id", "type", "issuer", "validFrom", "credentialSubject")


@pytest.mark.parametrize("field", REQUIRED)
def test_the_tool_refuses_to_sign_without_a_required_field(app: Flask, field: str) -> None:
    keyring.ensure_active_key(app.config["SECRET_KEY"])
    incomplete = credential()
    del incomplete[field]
    with pytest.raises(ValidationError, match=field.replace("@", ".?")):
        sign_credential(incomplete)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"@context": ["https://www.w3.org/ns/credentials/v2"]}, "Open Badges 3.0 context"),
        ({"type": ["VerifiableCredential"]}, "OpenBadgeCredential"),
        ({"validFrom": "2026-03-01T09:30:00"}, "validFrom"),
        ({"credentialSubject": {"type": ["AchievementSubject"]}}, "achievement"),
        ({"issuer": {"id": "https://someone.else/", "type": ["Profile"], "name": "Else"}}, "signs only as itself"),
    ],
)
def test_the_tool_refuses_to_sign_an_invalid_credential(app: Flask, change: dict[str, Any], message: str) -> None:
    keyring.ensure_active_key(app.config["SECRET_KEY"])
    with pytest.raises(ValidationError, match=message):
        sign_credential(credential(**change))


@pytest.mark.parametrize("field", [*REQUIRED, "achievement"])
def test_a_validly_signed_token_that_is_not_an_ob3_credential_fails(
    app: Flask, client: FlaskClient, field: str
) -> None:
    secret = app.config["SECRET_KEY"]
    keyring.ensure_active_key(secret)
    claims = jwt.decode(sign_credential(credential()), options={"verify_signature": False})
    if field == "achievement":
        del claims["credentialSubject"]["achievement"]
    elif field == "issuer":
        claims["issuer"] = {"type": ["Profile"], "name": "No id"}
    else:
        del claims[field]
    kid, pem = keyring.signing_material(secret)
    token = jwt.encode(claims, pem, algorithm="RS256", headers={"kid": key_url(kid)})
    jwks = client.get("/lti/jwks").get_json()
    with pytest.raises(CredentialError):
        verify_credential(token, jwks)


def test_claims_must_agree_with_the_credential(app: Flask, client: FlaskClient) -> None:
    secret = app.config["SECRET_KEY"]
    keyring.ensure_active_key(secret)
    claims = jwt.decode(sign_credential(credential()), options={"verify_signature": False})
    kid, pem = keyring.signing_material(secret)
    jwks = client.get("/lti/jwks").get_json()
    for claim, value in (("jti", "urn:uuid:other"), ("nbf", int(AT.timestamp()) - 3600)):
        token = jwt.encode(claims | {claim: value}, pem, algorithm="RS256", headers={"kid": key_url(kid)})
        with pytest.raises(CredentialError, match=claim):
            verify_credential(token, jwks)


def test_garbage_is_refused_clearly(app: Flask, client: FlaskClient) -> None:
    for token in ("", "not-a-jwt", "a.b.c"):
        with pytest.raises(CredentialError):
            verify_credential(token, {"keys": []})
