"""The Assignment and Grade Services score client: one POST per score, classified for the outbox.

It uses requests directly (keep-alive sessions per thread, Link headers untouched, no hidden retries): the
outbox owns the retry policy, so this module only says what an answer means.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from lti_app.grades.protocol import (
    ALREADY_STORED,
    CONFLICT,
    DELIVERED,
    FAILED,
    PAUSED,
    RETRY,
    SCORE_CONTENT_TYPE,
    SCORE_SCOPES,
    TIMEOUT,
    UNSIGNED,
    SendResult,
    classify,
    retry_after_seconds,
    scores_url,
)
from lti_app.grades.tokens import PlatformCredentials, SigningError, TokenCache, TokenError

__all__ = [
    "ALREADY_STORED",
    "CONFLICT",
    "DELIVERED",
    "FAILED",
    "PAUSED",
    "RETRY",
    "SCORE_CONTENT_TYPE",
    "TIMEOUT",
    "UNSIGNED",
    "AgsClient",
    "SendResult",
    "classify",
    "retry_after_seconds",
    "scores_url",
]


class HttpSessions:
    """One keep-alive ``requests.Session`` per thread (a Session is not safe to share between threads)."""

    def __init__(self, pool_size: int) -> None:
        self._local = threading.local()
        self._pool_size = pool_size

    def get(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(pool_connections=4, pool_maxsize=self._pool_size, max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._local.session = session
        return session


class AgsClient:
    """Posts scores with a cached access token, renewing it once when the platform answers 401."""

    def __init__(self, tokens: TokenCache, timeout: float, pool_size: int = 8) -> None:
        self.tokens = tokens
        self.timeout = timeout
        self.sessions = HttpSessions(pool_size)

    def authorized(
        self, method: str, url: str, credentials: PlatformCredentials, scopes: frozenset[str], **kwargs: Any
    ) -> requests.Response:
        """An AGS request with a bearer token; a 401 renews the token once and repeats the request.

        :raise TokenError: no token could be obtained. :raise requests.RequestException: transport failure.
        """
        response: requests.Response | None = None
        for _ in range(2):
            token = self.tokens.get(credentials, scopes)
            headers = dict(kwargs.pop("headers", None) or {})
            headers["Authorization"] = f"Bearer {token}"
            response = self.sessions.get().request(method, url, headers=headers, timeout=self.timeout, **kwargs)
            kwargs["headers"] = headers
            if response.status_code != 401:
                return response
            self.tokens.invalidate(credentials, scopes, token)
        assert response is not None
        return response

    def post_score(self, credentials: PlatformCredentials, line_item_url: str, payload: dict[str, Any]) -> SendResult:
        started = time.perf_counter()

        def elapsed() -> float:
            return (time.perf_counter() - started) * 1000

        try:
            response = self.authorized(
                "POST",
                scores_url(line_item_url),
                credentials,
                SCORE_SCOPES,
                json=payload,
                headers={"Content-Type": SCORE_CONTENT_TYPE},
            )
        except SigningError as error:
            return SendResult(UNSIGNED, None, str(error), duration_ms=elapsed())
        except TokenError as error:
            return SendResult(RETRY, error.status_code, str(error), duration_ms=elapsed())
        except requests.ReadTimeout as error:
            return SendResult(TIMEOUT, None, f"timed out: {error}", duration_ms=elapsed())
        except requests.RequestException as error:
            return SendResult(RETRY, None, f"{type(error).__name__}: {error}", duration_ms=elapsed())
        if 200 <= response.status_code < 300:
            return SendResult(DELIVERED, response.status_code, None, None, elapsed())
        # Decoded by hand: `response.text` would guess the charset, slowly, on every answer.
        text = response.content.decode(response.encoding or "utf-8", "replace")
        outcome = classify(response.status_code, text)
        error_text = text[:2000] or response.reason
        if outcome == RETRY and response.status_code == 401:
            error_text = "401 after renewing the access token: " + error_text
        return SendResult(
            outcome,
            response.status_code,
            error_text,
            retry_after_seconds(response.headers.get("Retry-After")),
            elapsed(),
        )
