"""Fixtures for page tests: the O*NET framework, a platform peer and real launches (resource link and deep linking)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from tests.api.launching import INSTRUCTOR, LEARNER, Api
from tests.lti.conftest import login
from tests.lti.platform_peer import LTI, PlatformPeer

DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"


@pytest.fixture()
def onet(app: Flask) -> str:
    from lti_app.career.frameworks import load_onet_framework

    return load_onet_framework().identifier


@pytest.fixture()
def peer(app: Flask) -> Iterator[PlatformPeer]:
    platform = PlatformPeer(issuer="https://lms.example.edu")
    platform.register()
    yield platform
    platform.close()


class Launched:
    """A launched page: its HTML, response and token, and the API as that page calls it."""

    def __init__(self, client: Any, response: Any) -> None:
        self.response = response
        self.html = response.get_data(as_text=True)
        match = re.search(r'<meta name="api-token" content="([^"]+)">', self.html)
        assert match, "no api-token on the launched page"
        self.token = match.group(1)
        self.api = Api(client, self.token)


def launch_page(
    client: Any,
    peer: PlatformPeer,
    *,
    sub: str = "learner-1",
    roles: list[str] | None = None,
    custom: dict[str, str] | None = None,
    resource_link_id: str = "link-1",
    message_type: str = "LtiResourceLinkRequest",
    settings: dict[str, Any] | None = None,
    name: str | None = None,
) -> Launched:
    params = login(client, peer)
    claims = peer.claims(
        params["nonce"],
        sub=sub,
        roles=roles or LEARNER,
        custom=custom,
        resource_link_id=resource_link_id,
        message_type=message_type,
    )
    if settings is not None:
        claims[DL_SETTINGS] = settings
    if name is not None:
        claims["name"] = name
    response = client.post("/lti/launch", data={"id_token": peer.sign(claims), "state": params["state"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    return Launched(client, response)


__all__ = ["DL_SETTINGS", "INSTRUCTOR", "LEARNER", "LTI", "Launched", "launch_page"]
