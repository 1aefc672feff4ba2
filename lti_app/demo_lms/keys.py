"""The demo LMS's signing key: made on first use and kept in the instance folder (never in the repository)."""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from jwt.algorithms import RSAAlgorithm


@lru_cache(maxsize=4)
def demo_private_key(instance_path: str) -> RSAPrivateKey:
    path = Path(instance_path) / "demo-lms-key.pem"
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert isinstance(key, RSAPrivateKey)
        return key
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.touch(mode=0o600)
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return key


def demo_public_jwk(instance_path: str) -> dict[str, Any]:
    jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(demo_private_key(instance_path).public_key()))
    kid = base64.urlsafe_b64encode(hashlib.sha256(jwk["n"].encode()).digest()[:12]).decode().rstrip("=")
    jwk.update({"kid": "demo-" + kid, "alg": "RS256", "use": "sig"})
    return jwk
