"""Platform public keys: fetched from the key set URL, cached with an expiry, refreshed once on an unknown kid.

Platforms rotate their keys too; a launch signed with a kid we have not seen triggers exactly one fresh
fetch before it is refused, so a rotation never locks learners out for a cache lifetime.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import requests
from jwt import PyJWK
from jwt.exceptions import PyJWKError

from lti_app.lti.state_store import StateStore


class PlatformKeyError(Exception):
    """The platform's key for this token could not be found or read."""


# Parsed keys per process, in front of the shared store: parsing an RSA JWK costs more than the launch's
# signature check. Entries expire with the same lifetime as the shared cache.
_parsed: dict[tuple[str, str, str], tuple[float, PyJWK]] = {}
_parsed_lock = threading.Lock()


class PlatformKeyCache:
    def __init__(self, store: StateStore, ttl_seconds: int, timeout_seconds: int) -> None:
        self._store = store
        self._ttl = ttl_seconds
        self._timeout = timeout_seconds

    def signing_key(self, key_set_url: str | None, inline_key_set: str | None, kid: str, alg: str) -> PyJWK:
        """The platform key named by ``kid``. :raise PlatformKeyError: unknown kid after one refresh."""
        if inline_key_set:
            found = _find(json.loads(inline_key_set), kid, alg)
            if found is None:
                raise PlatformKeyError(f"no key with kid {kid!r} in the platform's registered key set")
            return found
        if not key_set_url:
            raise PlatformKeyError("the platform has neither a key set URL nor a key set")
        memo_key = (key_set_url, kid, alg)
        memo = _parsed.get(memo_key)
        if memo is not None and memo[0] > time.monotonic():
            return memo[1]
        found = self._from_shared_cache_or_platform(key_set_url, kid, alg)
        with _parsed_lock:
            _parsed[memo_key] = (time.monotonic() + self._ttl, found)
        return found

    def _from_shared_cache_or_platform(self, key_set_url: str, kid: str, alg: str) -> PyJWK:
        cache_key = "jwks:" + key_set_url
        cached = self._store.get(cache_key)
        if cached is not None:
            found = _find(json.loads(cached), kid, alg)
            if found is not None:
                return found
        key_set = self._fetch(key_set_url)
        self._store.put(cache_key, json.dumps(key_set), self._ttl)
        found = _find(key_set, kid, alg)
        if found is None:
            raise PlatformKeyError(f"the platform's key set has no key with kid {kid!r}")
        return found

    def _fetch(self, url: str) -> dict[str, Any]:
        try:
            response = requests.get(url, timeout=self._timeout)
            response.raise_for_status()
            key_set = response.json()
        except (requests.RequestException, ValueError) as error:
            raise PlatformKeyError(f"could not read the platform's key set at {url}: {error}") from error
        if not isinstance(key_set, dict) or not isinstance(key_set.get("keys"), list):
            raise PlatformKeyError(f"the platform's key set at {url} is not a JWKS")
        return key_set


def _find(key_set: dict[str, Any], kid: str, alg: str) -> PyJWK | None:
    for key in key_set.get("keys", []):
        if key.get("kid") == kid and key.get("alg", alg) == alg:
            try:
                return PyJWK(key, algorithm=alg)
            except PyJWKError as error:
                raise PlatformKeyError(f"the platform key {kid!r} cannot be read: {error}") from error
    return None
