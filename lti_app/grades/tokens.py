"""OAuth 2 client credentials with a signed JWT assertion (RFC 7523), tokens cached in the database.

One token per platform and scope set is shared by every process (server, sync runs, workers): the database row
is the cache, a per-process copy saves the round trip, and a token refused with 401 is dropped from both.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt
import requests
from flask import Flask
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from lti_app import keyring
from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.grades import PlatformAccessToken
from lti_app.models.platform import Platform

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_LIFETIME_SECONDS = 300


class TokenError(RuntimeError):
    """The token endpoint refused or failed; ``status_code`` is None when it was not reached."""

    def __init__(self, message: str, status_code: int | None = None, timed_out: bool = False) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.timed_out = timed_out


class SigningError(TokenError):
    """No token can be asked for: the tool cannot sign its assertion (no active key, or it cannot be decrypted)."""


@dataclass(frozen=True)
class PlatformCredentials:
    """What a token request needs, copied off the ORM row so any thread can use it."""

    platform_id: int
    client_id: str
    token_url: str
    audience: str | None

    @classmethod
    def of(cls, platform: Platform) -> PlatformCredentials:
        return cls(platform.id, platform.client_id, platform.auth_token_url, platform.auth_audience)


def scope_key(scopes: set[str] | frozenset[str] | list[str] | tuple[str, ...]) -> str:
    return " ".join(sorted(set(scopes)))


def client_assertion(credentials: PlatformCredentials, kid: str, private_pem: bytes) -> str:
    """The RFC 7523 client assertion: we (client id) assert to the token endpoint's audience, signed RS256."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": credentials.client_id,
        "sub": credentials.client_id,
        "aud": credentials.audience or credentials.token_url,
        "iat": now,
        "exp": now + ASSERTION_LIFETIME_SECONDS,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, private_pem, algorithm="RS256", headers={"kid": kid})


class TokenCache:
    """Access tokens per platform and scope set: process memory in front of the shared database row."""

    def __init__(self, app: Flask, margin_seconds: float = 60.0, timeout: float = 10.0) -> None:
        self._app = app
        self._margin = timedelta(seconds=margin_seconds)
        self._timeout = timeout
        self._memory: dict[tuple[int, str], tuple[str, Any]] = {}
        self._locks: dict[tuple[int, str], threading.Lock] = {}
        self._guard = threading.Lock()
        self._http = threading.local()
        self.requests_made = 0

    def _session(self) -> requests.Session:
        session = getattr(self._http, "session", None)
        if session is None:
            session = self._http.session = requests.Session()
        return session

    def _lock(self, key: tuple[int, str]) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def get(self, credentials: PlatformCredentials, scopes: frozenset[str]) -> str:
        """A valid token for these scopes, requested only when neither memory nor the database holds one.

        :raise TokenError: the token endpoint refused or could not be reached.
        """
        key = (credentials.platform_id, scope_key(scopes))
        fresh = self._fresh(key)
        if fresh:
            return fresh
        with self._lock(key):
            fresh = self._fresh(key)
            if fresh:
                return fresh
            with self._app.app_context():
                row = db.session.scalars(
                    select(PlatformAccessToken).where(
                        PlatformAccessToken.platform_id == key[0], PlatformAccessToken.scope_key == key[1]
                    )
                ).first()
                if row is not None and row.expires_at - self._margin > utcnow():
                    self._memory[key] = (row.access_token, row.expires_at)
                    return row.access_token
                token, expires_at = self._request(credentials, key[1])
                self._store(key, token, expires_at)
            self._memory[key] = (token, expires_at)
            return token

    def invalidate(self, credentials: PlatformCredentials, scopes: frozenset[str], token: str) -> None:
        """Forget a token the platform refused (401), here and for every other process."""
        key = (credentials.platform_id, scope_key(scopes))
        with self._lock(key):
            if self._memory.get(key, ("",))[0] == token:
                del self._memory[key]
            with self._app.app_context():
                db.session.execute(
                    delete(PlatformAccessToken).where(
                        PlatformAccessToken.platform_id == key[0],
                        PlatformAccessToken.scope_key == key[1],
                        PlatformAccessToken.access_token == token,
                    )
                )
                db.session.commit()

    def _fresh(self, key: tuple[int, str]) -> str | None:
        cached = self._memory.get(key)
        if cached and cached[1] - self._margin > utcnow():
            return cached[0]
        return None

    def _request(self, credentials: PlatformCredentials, scopes: str) -> tuple[str, Any]:
        try:
            kid, private_pem = keyring.signing_material(self._app.config["SECRET_KEY"])
        except keyring.SigningKeyError as error:
            raise SigningError(str(error)) from error
        form = {
            "grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": client_assertion(credentials, kid, private_pem),
            "scope": scopes,
        }
        self.requests_made += 1
        try:
            response = self._session().post(credentials.token_url, data=form, timeout=self._timeout)
        except requests.Timeout as error:
            raise TokenError(f"token endpoint timed out: {error}", timed_out=True) from error
        except requests.RequestException as error:
            raise TokenError(f"token endpoint unreachable: {error}") from error
        if response.status_code != 200:
            raise TokenError(
                f"token endpoint answered {response.status_code}: {response.text[:500]}", response.status_code
            )
        try:
            body = response.json()
            token = str(body["access_token"])
            lifetime = float(body.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError) as error:
            raise TokenError(f"token endpoint answered without an access token: {response.text[:500]}") from error
        return token, utcnow() + timedelta(seconds=lifetime)

    def _store(self, key: tuple[int, str], token: str, expires_at: Any) -> None:
        db.session.execute(
            delete(PlatformAccessToken).where(
                PlatformAccessToken.platform_id == key[0], PlatformAccessToken.scope_key == key[1]
            )
        )
        db.session.add(
            PlatformAccessToken(platform_id=key[0], scope_key=key[1], access_token=token, expires_at=expires_at)
        )
        try:
            db.session.commit()
        except IntegrityError:
            # Another process stored its token first; both are valid, ours stays in this process's memory.
            db.session.rollback()
