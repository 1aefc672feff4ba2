"""Sending a block's xAPI statements to the Career Toolkit's statements endpoint, with the standard library only.

An XBlock install has no ``requests``; ``urllib`` is enough for one POST with HTTP Basic. The timeout is short:
delivery runs inside a learner's handler, and a statement not delivered now is retried on a later interaction.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from career_core.xapi import XAPI_VERSION

DEFAULT_TIMEOUT = 2.0
# Statements per request: well under the toolkit's limit, so a long-offline learner's backlog goes in a few posts.
BATCH = 50


@dataclass(frozen=True)
class LrsSettings:
    """Where and as whom to send: ``XBLOCK_SETTINGS["CareerToolkit"]`` of the Open edX deployment."""

    endpoint: str
    key: str
    secret: str
    platform_issuer: str
    timeout: float = DEFAULT_TIMEOUT

    @property
    def statements_url(self) -> str:
        return self.endpoint.rstrip("/") + "/statements"

    @property
    def toolkit_base(self) -> str:
        """The toolkit's base URL (its xAPI vocabulary's namespace): the endpoint without its ``/xapi``."""
        base = self.endpoint.rstrip("/")
        return base[: -len("/xapi")] if base.endswith("/xapi") else base


def settings_from_bucket(bucket: object) -> LrsSettings | None:
    """The LRS settings when the bucket has all of them (``lrs_endpoint``, ``lrs_key``, ``lrs_secret``,
    ``lrs_platform_issuer``), else None: the block then keeps its evidence and sends nothing."""
    if not isinstance(bucket, Mapping):
        return None
    values = [bucket.get(name) for name in ("lrs_endpoint", "lrs_key", "lrs_secret", "lrs_platform_issuer")]
    if not all(isinstance(value, str) and value for value in values):
        return None
    endpoint, key, secret, issuer = (str(value) for value in values)
    if urlsplit(endpoint).scheme not in ("http", "https"):
        return None
    timeout = bucket.get("lrs_timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= 30:
        timeout = DEFAULT_TIMEOUT
    return LrsSettings(endpoint, key, secret, issuer, float(timeout))


@dataclass(frozen=True)
class Delivery:
    """What the toolkit answered: ``accepted`` ids, or ``status`` (0 when it could not be reached) and why."""

    accepted: tuple[str, ...] = ()
    status: int = 200
    error: str = ""

    @property
    def retry(self) -> bool:
        """Worth sending again later: the tool was unreachable, busy or failing, not refusing the statements."""
        return self.status == 0 or self.status in (401, 403, 408, 429) or self.status >= 500


def post_statements(settings: LrsSettings, statements: Sequence[Mapping[str, Any]]) -> Delivery:
    """POST the statements as one array; never raises for a network or HTTP problem."""
    credentials = base64.b64encode(f"{settings.key}:{settings.secret}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310  (settings_from_bucket admits http(s) endpoints only)
        settings.statements_url,
        data=json.dumps(list(statements)).encode(),
        method="POST",
        headers={
            "Authorization": f"Basic {credentials}",
            "Content-Type": "application/json",
            "X-Experience-API-Version": XAPI_VERSION,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.timeout) as response:  # noqa: S310
            ids = json.loads(response.read() or b"[]")
    except urllib.error.HTTPError as error:
        return Delivery(status=error.code, error=_body_text(error))
    except OSError as error:
        return Delivery(status=0, error=str(getattr(error, "reason", error)))
    except ValueError:
        return Delivery(status=502, error="the toolkit answered something that is not JSON")
    if not isinstance(ids, list) or not all(isinstance(item, str) for item in ids):
        return Delivery(status=502, error="the toolkit did not answer with an array of statement ids")
    return Delivery(accepted=tuple(ids))


def _body_text(error: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(error.read() or b"{}")
    except (ValueError, OSError):
        return error.reason if isinstance(error.reason, str) else ""
    return str(body.get("message", "")) if isinstance(body, dict) else ""
