"""``career-toolkit demo``: the embedded default, from a fresh clone to the toolkit inside an LMS."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select

from lti_app import create_app, keyring
from lti_app.extensions import db
from lti_app.models.platform import Deployment, Platform

LOCAL_HOSTS = ("127.0.0.1", "localhost")


def demo_urls(host: str, port: int, base_url: str | None) -> tuple[str, str]:
    """The tool's and the demo LMS's base URLs.

    On this machine the LMS is served as ``localhost`` and the tool as ``127.0.0.1``: two sites, so the
    tool runs in a genuinely cross-site iframe, as it does inside a real LMS.
    """
    if base_url:
        return base_url.rstrip("/"), base_url.rstrip("/")
    if host in LOCAL_HOSTS or host == "0.0.0.0":  # noqa: S104 (a user's explicit choice)
        return f"http://127.0.0.1:{port}", f"http://localhost:{port}"
    return f"http://{host}:{port}", f"http://{host}:{port}"


def build_demo_app(host: str, port: int, overrides: dict[str, Any] | None = None) -> Flask:
    tool_url, lms_url = demo_urls(host, port, os.environ.get("CAREER_TOOLKIT_BASE_URL"))
    config: dict[str, Any] = {
        "BASE_URL": tool_url,
        "DEMO_LMS": True,
        "DEMO_LMS_BASE_URL": lms_url,
        "GRADE_DELIVERY": "inline",
    }
    config.update(overrides or {})
    app = create_app(config)
    with app.app_context():
        prepare_demo(app)
    return app


def prepare_demo(app: Flask, echo: Any = print) -> Platform:
    """Migrate, load the sample data, create the tool's key and register the demo LMS (idempotent)."""
    upgrade(revision="heads")
    _load_fixtures(echo)
    keyring.ensure_active_key(app.config["SECRET_KEY"])
    return register_demo_platform(app)


def _load_fixtures(echo: Any) -> None:
    """The O*NET skills framework and catalogue (idempotent): the demo's sample data."""
    from lti_app.fixtures_cli import load_fixture

    echo(load_fixture("onet"))


def register_demo_platform(app: Flask) -> Platform:
    from lti_app.demo_lms.views import CLIENT_ID, DEPLOYMENT_ID

    lms = str(app.config.get("DEMO_LMS_BASE_URL") or app.config["BASE_URL"]).rstrip("/")
    issuer = lms + "/demo-lms"
    platform = db.session.scalars(select(Platform).where(Platform.client_id == CLIENT_ID)).first()
    if platform is None:
        platform = Platform(name="Demo LMS", client_id=CLIENT_ID, issuer=issuer, auth_login_url="", auth_token_url="")
        platform.deployments = [Deployment(deployment_id=DEPLOYMENT_ID)]
        db.session.add(platform)
    # The demo may be started on another host or port: keep its URLs current.
    platform.issuer = issuer
    platform.auth_login_url = issuer + "/auth"
    platform.auth_token_url = issuer + "/token"
    platform.key_set_url = issuer + "/jwks"
    db.session.commit()
    return platform
