"""Fixtures for API tests: the O*NET framework loaded, two platforms, and real launches into them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from tests.api.launching import Api, launch
from tests.lti.platform_peer import PlatformPeer


@pytest.fixture()
def onet(app: Flask) -> str:
    from lti_app.career.frameworks import load_onet_framework

    return load_onet_framework().identifier


@pytest.fixture()
def peer_a(app: Flask) -> Iterator[PlatformPeer]:
    platform = PlatformPeer(issuer="https://lms-a.example.edu")
    platform.register()
    yield platform
    platform.close()


@pytest.fixture()
def peer_b(app: Flask) -> Iterator[PlatformPeer]:
    """A second platform whose users and courses reuse platform A's ``sub`` and context ids."""
    platform = PlatformPeer(issuer="https://lms-b.example.org")
    platform.register()
    yield platform
    platform.close()


@pytest.fixture()
def as_user(client: Any, peer_a: PlatformPeer, onet: str) -> Callable[..., Api]:
    """``as_user(sub=..., roles=..., peer=..., ...)``: an Api for a fresh real launch."""

    def make(peer: PlatformPeer | None = None, **kwargs: Any) -> Api:
        return Api(client, launch(client, peer or peer_a, **kwargs))

    return make
