"""Line items: the gradebook column a placement's scores go to, found, created or updated over AGS.

The launch's ``lineitem`` (or the deep-linked one stored on the resource link) is used as is. When the platform
only gives the ``lineitems`` container, the tool owns its line items: it finds one by resourceId and tag, or
creates it, and keeps its ``scoreMaximum`` in step with the author's setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from flask import current_app

from lti_app.grades.ags import AgsClient
from lti_app.grades.outbox import ags_endpoint, line_item_for
from lti_app.grades.protocol import SCOPE_LINEITEM
from lti_app.grades.tokens import PlatformCredentials, TokenError
from lti_app.models.people import LaunchSession

LINE_ITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
LINE_ITEM_CONTAINER_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
LINE_ITEM_SCOPES = frozenset({SCOPE_LINEITEM})
DEFAULT_TAG = "career-toolkit"
MAX_PAGES = 50


class LineItemError(RuntimeError):
    """The platform refused or failed a line item request; ``status_code`` is None when it was not reached."""

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


@dataclass(frozen=True)
class LineItem:
    id: str
    label: str
    score_maximum: float
    resource_id: str | None = None
    tag: str | None = None
    resource_link_id: str | None = None
    raw: dict[str, Any] | None = None

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> LineItem:
        return cls(
            id=str(body["id"]),
            label=str(body.get("label", "")),
            score_maximum=float(body.get("scoreMaximum", 0)),
            resource_id=body.get("resourceId"),
            tag=body.get("tag"),
            resource_link_id=body.get("resourceLinkId"),
            raw=body,
        )


def _client() -> AgsClient:
    from lti_app.grades.dispatch import get_dispatcher

    return get_dispatcher(current_app._get_current_object()).client  # type: ignore[attr-defined]


def _request(
    client: AgsClient, method: str, url: str, credentials: PlatformCredentials, **kwargs: Any
) -> requests.Response:
    try:
        response = client.authorized(method, url, credentials, LINE_ITEM_SCOPES, **kwargs)
    except (TokenError, requests.RequestException) as error:
        raise LineItemError(f"{method} {url}: {error}") from error
    if not 200 <= response.status_code < 300:
        raise LineItemError(f"{method} {url}: HTTP {response.status_code}: {response.text[:500]}", response.status_code)
    return response


def find_line_item(
    credentials: PlatformCredentials,
    lineitems_url: str,
    *,
    resource_id: str | None = None,
    tag: str | None = None,
    resource_link_id: str | None = None,
    client: AgsClient | None = None,
) -> LineItem | None:
    """The container's line item with this resourceId and tag (following ``Link: rel="next"`` pages).

    The filters go to the platform as query parameters and are checked again here: not every platform applies them.
    :raise LineItemError: the platform refused or failed.
    """
    client = client or _client()
    params = {
        name: value
        for name, value in (("resource_id", resource_id), ("tag", tag), ("resource_link_id", resource_link_id))
        if value
    }
    url: str | None = lineitems_url
    for _ in range(MAX_PAGES):
        if url is None:
            break
        response = _request(
            client, "GET", url, credentials, params=params, headers={"Accept": LINE_ITEM_CONTAINER_TYPE}
        )
        for body in response.json():
            item = LineItem.from_json(body)
            if (
                (resource_id is None or item.resource_id == resource_id)
                and (tag is None or item.tag == tag)
                and (resource_link_id is None or item.resource_link_id == resource_link_id)
            ):
                return item
        # requests keeps the Link header's URL as sent (case matters in paths and signatures).
        url = response.links.get("next", {}).get("url")
        params = {}
    return None


def create_line_item(
    credentials: PlatformCredentials,
    lineitems_url: str,
    *,
    label: str,
    score_maximum: float,
    resource_id: str | None = None,
    tag: str | None = DEFAULT_TAG,
    resource_link_id: str | None = None,
    client: AgsClient | None = None,
) -> LineItem:
    """POST a new line item to the container. :raise LineItemError: the platform refused or failed."""
    body: dict[str, Any] = {"label": label, "scoreMaximum": score_maximum}
    if resource_id:
        body["resourceId"] = resource_id
    if tag:
        body["tag"] = tag
    if resource_link_id:
        body["resourceLinkId"] = resource_link_id
    response = _request(
        client or _client(),
        "POST",
        lineitems_url,
        credentials,
        json=body,
        headers={"Content-Type": LINE_ITEM_TYPE, "Accept": LINE_ITEM_TYPE},
    )
    return LineItem.from_json(response.json())


def update_score_maximum(
    credentials: PlatformCredentials, line_item_url: str, score_maximum: float, *, client: AgsClient | None = None
) -> LineItem:
    """Set a line item's scoreMaximum (GET, then PUT the whole item); no PUT when it already matches.

    :raise LineItemError: the platform refused or failed.
    """
    client = client or _client()
    current = LineItem.from_json(
        _request(client, "GET", line_item_url, credentials, headers={"Accept": LINE_ITEM_TYPE}).json()
    )
    if current.score_maximum == float(score_maximum):
        return current
    body = dict(current.raw or {}, scoreMaximum=score_maximum)
    response = _request(
        client,
        "PUT",
        line_item_url,
        credentials,
        json=body,
        headers={"Content-Type": LINE_ITEM_TYPE, "Accept": LINE_ITEM_TYPE},
    )
    return LineItem.from_json(response.json())


def ensure_line_item(
    session: LaunchSession,
    *,
    label: str,
    score_maximum: float,
    resource_id: str | None = None,
    tag: str = DEFAULT_TAG,
    client: AgsClient | None = None,
) -> str | None:
    """The line item URL for a launch's placement: the launch's or deep-linked one, else found or created.

    A found or created line item is stored on the resource link (flushed, not committed). Returns None when the
    platform offers no line item and does not let the tool manage them.
    :raise LineItemError: the platform refused or failed.
    """
    known = line_item_for(session)
    if known:
        return known
    endpoint = ags_endpoint(session)
    container = endpoint.get("lineitems")
    if not container or SCOPE_LINEITEM not in (endpoint.get("scope") or []) or session.resource_link is None:
        return None
    credentials = PlatformCredentials.of(session.platform)
    resource_id = resource_id or f"career-toolkit:{session.resource_link.lti_resource_link_id}"
    item = find_line_item(credentials, str(container), resource_id=resource_id, tag=tag, client=client)
    if item is None:
        item = create_line_item(
            credentials,
            str(container),
            label=label,
            score_maximum=score_maximum,
            resource_id=resource_id,
            tag=tag,
            resource_link_id=session.resource_link.lti_resource_link_id,
            client=client,
        )
    session.resource_link.line_item_url = item.id
    from lti_app.extensions import db

    db.session.flush()
    return item.id


def sync_score_maximum(session: LaunchSession, score_maximum: float, *, client: AgsClient | None = None) -> bool:
    """After an author changes the maximum score: PUT it to the line item when the tool may manage line items.

    Returns whether the platform now has that maximum. :raise LineItemError: the platform refused or failed.
    """
    url = line_item_for(session)
    endpoint = ags_endpoint(session)
    if not url or SCOPE_LINEITEM not in (endpoint.get("scope") or []):
        return False
    item = update_score_maximum(PlatformCredentials.of(session.platform), url, score_maximum, client=client)
    return item.score_maximum == float(score_maximum)
