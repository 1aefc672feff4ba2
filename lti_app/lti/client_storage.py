"""LTI client-side storage (1EdTech "OIDC Login with LTI Client Side postMessages"), the tool's side.

Where the browser blocks our state cookie, the login stores its state and nonce in the platform's page
(``lti.put_data``) and the launch reads them back (``lti.get_data``) before it counts: only the browser that
ran the login can answer. Until then the validated launch waits here, briefly, as a ``PendingLaunch``.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lti_app.lti.state_store import StateStore

# Long enough for the verifying page to ask the platform's frame and answer; short enough not to linger.
PENDING_LAUNCH_TTL_SECONDS = 120
# Sent by the verifying page's fetch: a cross-site form cannot set a header, so the second step is ours.
VERIFIED_HEADER = "X-Career-Toolkit-Launch"
VERIFIED_HEADER_VALUE = "verified"


@dataclass(frozen=True)
class StoredValue:
    """One value the login stores in the platform's frame: ``name`` is what the launch calls it."""

    name: str
    key: str
    value: str


def stored_values(state: str, nonce: str) -> list[StoredValue]:
    """What the login stores in the platform's frame and the launch reads back, keyed as the spec suggests."""
    return [StoredValue("state", "state_" + state, state), StoredValue("nonce", "nonce_" + nonce, nonce)]


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL: the ``targetOrigin`` of messages to the platform's frame."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def pending_key(state: str) -> str:
    return "pending-launch:" + state


@dataclass(frozen=True)
class PendingLaunch:
    """A launch whose id_token passed every check, waiting for the browser to prove it ran the login."""

    claims: dict[str, Any]
    issuer: str
    client_id: str
    state: str
    nonce: str

    def dumps(self) -> str:
        return json.dumps(
            {
                "claims": self.claims,
                "iss": self.issuer,
                "client_id": self.client_id,
                "state": self.state,
                "nonce": self.nonce,
            }
        )

    @classmethod
    def loads(cls, raw: str) -> PendingLaunch:
        data = json.loads(raw)
        return cls(
            claims=data["claims"],
            issuer=data["iss"],
            client_id=data["client_id"],
            state=data["state"],
            nonce=data["nonce"],
        )

    def answered_by(self, stored_state: object, stored_nonce: object) -> bool:
        """Whether the values read back from the platform's frame are this login's state and nonce."""
        if not isinstance(stored_state, str) or not isinstance(stored_nonce, str):
            return False
        # Both compared every time, in constant time: a mismatch says nothing about which value was wrong.
        state_ok = hmac.compare_digest(stored_state.encode(), self.state.encode())
        nonce_ok = hmac.compare_digest(stored_nonce.encode(), self.nonce.encode())
        return state_ok and nonce_ok


def hold_launch(store: StateStore, launch: PendingLaunch) -> None:
    """Keep a checked launch until the browser answers (a second launch of the same login replaces it)."""
    store.put(pending_key(launch.state), launch.dumps(), PENDING_LAUNCH_TTL_SECONDS)


def take_pending_launch(store: StateStore, state: str) -> PendingLaunch | None:
    """The launch waiting under ``state``, removed so it is used once; ``None`` when unknown, expired or used."""
    raw = store.take(pending_key(state))
    return None if raw is None else PendingLaunch.loads(raw)
