"""Fixtures for LTI tests: a platform peer registered in the tool, and the tool served over real HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.lti.platform_peer import PlatformPeer, redirect_params


@pytest.fixture()
def peer(app: Flask) -> Iterator[PlatformPeer]:
    platform = PlatformPeer()
    platform.register()
    yield platform
    platform.close()


@pytest.fixture()
def live_tool(app: Flask) -> Iterator[str]:
    """The tool on a real WSGI server on localhost; BASE_URL points at it."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base_url
    server.shutdown()


def login(client: Any, peer: PlatformPeer, **overrides: str) -> dict[str, str]:
    """Run the OIDC login initiation; return the redirect's parameters (state, nonce, ...)."""
    response = client.post("/lti/login", data=peer.login_params(**overrides))
    assert response.status_code == 302, response.get_data(as_text=True)
    return redirect_params(response.headers["Location"])
