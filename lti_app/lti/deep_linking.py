"""LTI Deep Linking 2.0: read the platform's request settings and build the signed response's claims.

Pure functions (no Flask, no database) so every rule the platform relies on is tested directly.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jwt

from lti_app.lti.claims import DEEP_LINKING_RESPONSE, DEEP_LINKING_SETTINGS, DEPLOYMENT_ID, MESSAGE_TYPE, VERSION

DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
CONTENT_ITEMS = DL + "content_items"
DATA = DL + "data"
MSG = DL + "msg"
RESOURCE_LINK_TYPE = "ltiResourceLink"
LINE_ITEM_TAG = "career-toolkit"
RESPONSE_LIFETIME_SECONDS = 300
MAX_TITLE_LENGTH = 255


class DeepLinkingRefused(Exception):
    """The request cannot be answered as asked; ``message`` says why, in words for the course author."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class DeepLinkingSettings:
    """The platform's ``deep_linking_settings`` claim, the parts this tool uses."""

    return_url: str
    accept_types: tuple[str, ...]
    accept_multiple: bool
    data: str | None = None
    title: str | None = None

    @property
    def accepts_resource_links(self) -> bool:
        return RESOURCE_LINK_TYPE in self.accept_types

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> DeepLinkingSettings:
        """:raise DeepLinkingRefused: no settings claim or no return URL (not a deep-linking launch)."""
        raw = claims.get(DEEP_LINKING_SETTINGS)
        if not isinstance(raw, Mapping) or not isinstance(raw.get("deep_link_return_url"), str):
            raise DeepLinkingRefused("This launch is not a deep-linking request; add the activity from your course.")
        accept_types = raw.get("accept_types") or []
        data = raw.get("data")
        return cls(
            return_url=raw["deep_link_return_url"],
            accept_types=tuple(str(t) for t in accept_types if isinstance(t, str)),
            # The spec says a platform that omits accept_multiple accepts several items.
            accept_multiple=raw.get("accept_multiple", True) is not False,
            data=data if isinstance(data, str) else None,
            title=raw.get("title") if isinstance(raw.get("title"), str) else None,
        )


@dataclass(frozen=True)
class Grading:
    mode: str  # career_core GradingMode value: on_completion | on_progress
    max_score: float


@dataclass(frozen=True)
class ActivitySelection:
    """One activity a course author picked: the component, its title, its settings and how it is graded."""

    component: str
    title: str
    settings: Mapping[str, str] = field(default_factory=dict)
    grading: Grading | None = None
    resource_id: str = field(default_factory=lambda: uuid.uuid4().hex)


def check_selection(settings: DeepLinkingSettings, selections: Sequence[ActivitySelection]) -> None:
    """:raise DeepLinkingRefused: nothing picked, links not accepted, or several where one is allowed."""
    if not settings.accepts_resource_links:
        raise DeepLinkingRefused(
            "This course only accepts content of type "
            + (", ".join(settings.accept_types) or "none")
            + "; the Career Toolkit adds activities (LTI resource links), so it cannot add anything here."
        )
    if not selections:
        raise DeepLinkingRefused("Choose at least one activity to add.")
    if len(selections) > 1 and not settings.accept_multiple:
        raise DeepLinkingRefused("This course accepts one activity at a time: choose just one.")


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def content_item(selection: ActivitySelection, launch_url: str) -> dict[str, Any]:
    """An ``ltiResourceLink`` item; custom values are strings, as LTI custom parameters must be."""
    custom = {"component": selection.component, **{k: str(v) for k, v in selection.settings.items()}}
    item: dict[str, Any] = {
        "type": RESOURCE_LINK_TYPE,
        "title": selection.title[:MAX_TITLE_LENGTH],
        "url": launch_url,
        "custom": custom,
    }
    if selection.grading is not None:
        custom["grading"] = selection.grading.mode
        custom["max_score"] = str(_number(selection.grading.max_score))
        item["lineItem"] = {
            "scoreMaximum": _number(selection.grading.max_score),
            "label": selection.title[:MAX_TITLE_LENGTH],
            "resourceId": selection.resource_id,
            "tag": LINE_ITEM_TAG,
        }
    return item


def response_claims(
    *,
    client_id: str,
    issuer: str,
    deployment_id: str,
    settings: DeepLinkingSettings,
    selections: Sequence[ActivitySelection],
    launch_url: str,
    now: int | None = None,
    message: str | None = None,
) -> dict[str, Any]:
    """The LtiDeepLinkingResponse body: from the tool (``iss`` = our client id) to the platform (``aud``).

    :raise DeepLinkingRefused: see :func:`check_selection`.
    """
    check_selection(settings, selections)
    issued = int(time.time()) if now is None else now
    claims: dict[str, Any] = {
        "iss": client_id,
        "aud": issuer,
        "iat": issued,
        "exp": issued + RESPONSE_LIFETIME_SECONDS,
        "nonce": secrets.token_urlsafe(16),
        MESSAGE_TYPE: DEEP_LINKING_RESPONSE,
        VERSION: "1.3.0",
        DEPLOYMENT_ID: deployment_id,
        CONTENT_ITEMS: [content_item(selection, launch_url) for selection in selections],
    }
    if settings.data is not None:
        claims[DATA] = settings.data
    if message:
        claims[MSG] = message
    return claims


def sign_response(claims: Mapping[str, Any], kid: str, private_key_pem: bytes) -> str:
    """RS256 with the tool's active key; the ``kid`` lets the platform pick it from our JWKS."""
    return jwt.encode(dict(claims), private_key_pem, algorithm="RS256", headers={"kid": kid})
