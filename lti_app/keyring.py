"""The tool's signing keys: creation, rotation, encryption at rest and the published JWKS."""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from jwt.algorithms import RSAAlgorithm
from sqlalchemy import select

from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.keys import ACTIVE, RETIRED, RETIRING, SigningKey


class SigningKeyError(RuntimeError):
    """The tool cannot sign: it has no active key, or the key cannot be decrypted."""


class NoSigningKeyError(SigningKeyError):
    """The tool has no active key yet; ``ensure_active_key`` creates one."""


class UndecryptableKeyError(SigningKeyError):
    """A key's private part cannot be decrypted with this secret key (``SECRET_KEY`` changed since it was made)."""


def _fernet(secret_key: str) -> Fernet:
    # A dedicated key derived from the secret key: the secret itself never touches the ciphertext.
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"career-toolkit/signing-keys", info=b"fernet").derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def _thumbprint(public_jwk: dict[str, Any]) -> str:
    """RFC 7638 thumbprint: a kid that is stable for the key and reveals nothing else."""
    canonical = json.dumps({k: public_jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


def create_key(secret_key: str) -> SigningKey:
    """Make a new RSA key, encrypt its private part and add it (not yet committed) as the active key."""
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(private_key.public_key()))
    # Prefixed: a bare base64url thumbprint may start with "-", which a command line takes for an option.
    kid = "ct-" + _thumbprint(public_jwk)
    public_jwk.update({"kid": kid, "alg": "RS256", "use": "sig"})
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key = SigningKey(
        kid=kid,
        algorithm="RS256",
        public_jwk=json.dumps(public_jwk),
        private_key_encrypted=_fernet(secret_key).encrypt(pem),
        status=ACTIVE,
    )
    db.session.add(key)
    return key


def ensure_active_key(secret_key: str) -> SigningKey:
    """Return the active key, creating the first one on a fresh database."""
    key = active_key()
    if key is None:
        key = create_key(secret_key)
        db.session.commit()
    return key


def active_key() -> SigningKey | None:
    return db.session.scalars(
        select(SigningKey).where(SigningKey.status == ACTIVE).order_by(SigningKey.id.desc())
    ).first()


def rotate(secret_key: str) -> SigningKey:
    """Make a new active key; the previous active key keeps verifying (retiring) until retired."""
    for key in db.session.scalars(select(SigningKey).where(SigningKey.status == ACTIVE)):
        key.status = RETIRING
    new_key = create_key(secret_key)
    db.session.commit()
    return new_key


def retire(kid: str) -> SigningKey:
    """Stop publishing a retiring key. :raise LookupError: no such retiring key."""
    key = db.session.scalars(select(SigningKey).where(SigningKey.kid == kid)).first()
    if key is None or key.status != RETIRING:
        raise LookupError(f"no retiring key with kid {kid!r}")
    key.status = RETIRED
    key.retired_at = utcnow()
    db.session.commit()
    return key


def published_jwks() -> dict[str, list[dict[str, Any]]]:
    """The JWKS platforms verify our signatures with: the active key and every key still retiring."""
    keys = db.session.scalars(
        select(SigningKey).where(SigningKey.status.in_((ACTIVE, RETIRING))).order_by(SigningKey.id.desc())
    )
    return {"keys": [json.loads(key.public_jwk) for key in keys]}


def private_key_pem(key: SigningKey, secret_key: str) -> bytes:
    """Decrypt a key's private part (cached: decryption and PEM parsing cost more than signing).

    :raise UndecryptableKeyError: the secret key is not the one the key was encrypted with.
    """
    try:
        return _decrypt_cached(key.kid, key.private_key_encrypted, secret_key)
    except InvalidToken as error:
        raise UndecryptableKeyError(
            f"signing key {key.kid} cannot be decrypted: SECRET_KEY changed? Restore the "
            "CAREER_TOOLKIT_SECRET_KEY it was made with, or run `career-toolkit keys rotate` and give the "
            "platforms the new key set"
        ) from error


@lru_cache(maxsize=32)
def _decrypt_cached(kid: str, ciphertext: bytes, secret_key: str) -> bytes:
    return _fernet(secret_key).decrypt(ciphertext)


def signing_material(secret_key: str) -> tuple[str, bytes]:
    """The active key's kid and private PEM.

    :raise NoSigningKeyError: no active key. :raise UndecryptableKeyError: ``SECRET_KEY`` changed.
    """
    key = active_key()
    if key is None:
        raise NoSigningKeyError("no active signing key; run `career-toolkit keys rotate`")
    return key.kid, private_key_pem(key, secret_key)


def signing_key_problem(secret_key: str) -> str | None:
    """What stops the tool from signing (no active key, or it cannot be decrypted), or None when it can sign."""
    try:
        signing_material(secret_key)
    except SigningKeyError as error:
        return str(error)
    return None
