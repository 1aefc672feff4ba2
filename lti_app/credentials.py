"""Open Badges 3.0 credentials signed by the tool as VC-JWTs (RS256, with the key it publishes at /lti/jwks).

A credential is a compact JWS (OB 3.0, section 8.2): the payload is the credential itself plus the JWT claims
``iss`` (issuer id), ``jti`` (credential id), ``nbf`` (validFrom), ``sub`` and ``exp`` when the credential has a
subject id or a validUntil. The protected header's ``kid`` is a URL that dereferences to the signing key's JWK
(``/lti/jwks/<kid>``, under the tool's published JWKS), and ``jwk`` carries the bare public key as OB 3.0's
examples do; a verifier needs nothing but the token and the issuer's published keys. See decision 0017.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import jwt
from flask import current_app

from career_core.badges import IssuerProfile, credential_problems, issuer_id
from career_core.errors import ValidationError
from lti_app import keyring

ALGORITHM = "RS256"
KEY_PATH = "/lti/jwks/"
# Clock skew tolerated between issuer and verifier for nbf/exp.
LEEWAY_SECONDS = 60


class CredentialError(Exception):
    """A credential failed verification: bad signature, unknown or retired key, or not a valid OB 3.0 credential."""


def _base_url() -> str:
    return str(current_app.config["BASE_URL"]).rstrip("/")


def tool_issuer(name: str = "Career Toolkit") -> IssuerProfile:
    """The tool as an OB 3.0 issuer: its id is the tool's base URL, the origin its keys are published under."""
    return IssuerProfile(id=_base_url() + "/", name=name, url=_base_url() + "/")


def key_url(kid: str) -> str:
    """Where the JWK with this kid is published (the ``kid`` of a credential's header)."""
    return _base_url() + KEY_PATH + kid


def sign_credential(credential: Mapping[str, Any]) -> str:
    """The credential as a VC-JWT signed with the tool's active key.

    :raise ValidationError: when the credential lacks a field OB 3.0 requires, or its issuer is not this tool.
    :raise keyring.NoSigningKeyError: when the tool has no active key.
    """
    problems = credential_problems(credential)
    if issuer_id(credential) != tool_issuer().id:
        problems.append(f"issuer.id: the tool signs only as itself ({tool_issuer().id})")
    if problems:
        raise ValidationError(problems)
    kid, pem = keyring.signing_material(current_app.config["SECRET_KEY"])
    published = next(key for key in keyring.published_jwks()["keys"] if key["kid"] == kid)
    # The inline jwk (the bare RSA public key, as in OB 3.0's examples) serves verifiers that read it; ours only
    # accepts it when it is the key the issuer publishes under the kid URL.
    headers = {"kid": key_url(kid), "typ": "JWT", "jwk": _bare(published)}
    claims = dict(credential) | _jwt_claims(credential)
    return jwt.encode(claims, pem, algorithm=ALGORITHM, headers=headers)


def _bare(jwk: Mapping[str, Any]) -> dict[str, Any]:
    return {name: jwk.get(name) for name in ("kty", "n", "e")}


def _jwt_claims(credential: Mapping[str, Any]) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iss": issuer_id(credential),
        "jti": credential["id"],
        "nbf": _epoch(credential["validFrom"]),
    }
    subject_id = credential["credentialSubject"].get("id")
    if isinstance(subject_id, str):
        claims["sub"] = subject_id
    if "validUntil" in credential:
        claims["exp"] = _epoch(credential["validUntil"])
    return claims


def _epoch(moment: str) -> int:
    return int(datetime.fromisoformat(moment.replace("Z", "+00:00")).timestamp())


def key_set_url(token: str) -> str:
    """The JWKS to verify ``token`` with: the issuer's ``/lti/jwks``, read from the header's ``kid``.

    :raise CredentialError: when the kid is not a key URL on the issuer's own origin (a key anyone could host).
    """
    return _key_location(token)[0]


def _key_location(token: str) -> tuple[str, str]:
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as error:
        raise CredentialError(f"not a compact JWS: {error}") from error
    if header.get("alg") != ALGORITHM:
        raise CredentialError(f"alg must be {ALGORITHM}, not {header.get('alg')!r}")
    location = header.get("kid")
    issuer = issuer_id(unverified)
    if not isinstance(location, str) or issuer is None:
        raise CredentialError("the header has no kid URL or the credential no issuer")
    where, issued_by = urlsplit(location), urlsplit(issuer)
    if (where.scheme, where.netloc) != (issued_by.scheme, issued_by.netloc) or KEY_PATH not in where.path:
        raise CredentialError("the signing key is not published by the issuer")
    jwks_path, _, kid = where.path.rpartition("/")
    return f"{where.scheme}://{where.netloc}{jwks_path}", kid


def verify_credential(token: str, jwks: Mapping[str, Any]) -> dict[str, Any]:
    """The verified credential, checked against the issuer's published JWKS (fetched from ``key_set_url``).

    The signature must verify with the published key the header names; ``iss``, ``jti`` and ``nbf`` must agree
    with the credential's issuer, id and validFrom; and the credential must carry every field OB 3.0 requires.

    :raise CredentialError: on any failure.
    """
    _, kid = _key_location(token)
    published = next((k for k in jwks.get("keys", ()) if isinstance(k, dict) and k.get("kid") == kid), None)
    if published is None:
        raise CredentialError(f"key {kid!r} is not published by the issuer (unknown or retired)")
    inline = jwt.get_unverified_header(token).get("jwk")
    if inline is not None and inline != _bare(published):
        raise CredentialError("the header's jwk is not the key the issuer publishes under its kid")
    try:
        key = jwt.PyJWK.from_dict(published)
    except jwt.PyJWTError as error:
        raise CredentialError(f"unusable published key: {error}") from error
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            options={"require": ["iss", "jti", "nbf"], "verify_aud": False},
            leeway=LEEWAY_SECONDS,
        )
    except jwt.PyJWTError as error:
        raise CredentialError(f"signature or claims rejected: {error}") from error
    problems = credential_problems(claims)
    if claims["iss"] != issuer_id(claims):
        problems.append("iss: differs from the credential's issuer")
    if claims["jti"] != claims.get("id"):
        problems.append("jti: differs from the credential's id")
    if isinstance(claims.get("validFrom"), str) and not problems and claims["nbf"] != _epoch(claims["validFrom"]):
        problems.append("nbf: differs from the credential's validFrom")
    if problems:
        raise CredentialError("; ".join(problems))
    return claims
