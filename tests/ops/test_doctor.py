"""`career-toolkit doctor`: every fault it names, found against real peers, a real database and a real Redis."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import Result
from flask import Flask

from lti_app import keyring
from lti_app.extensions import db
from lti_app.models.platform import Deployment, Platform
from tests.grades.ags_peer import AgsPeer
from tests.lti.platform_peer import PlatformPeer
from tests.services import redis_url, require_service


def _closed_port_url(path: str = "/") -> str:
    """An address where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


@pytest.fixture()
def lms() -> Iterator[tuple[PlatformPeer, AgsPeer]]:
    """One LMS: its key set (launches) and its token endpoint (grade delivery)."""
    keys, grades = PlatformPeer(), AgsPeer()
    yield keys, grades
    keys.close()
    grades.close()


@pytest.fixture()
def ready(fresh_app: Flask, lms: tuple[PlatformPeer, AgsPeer]) -> Flask:
    """Migrated, a signing key, one platform registered with the LMS peers (which trust the tool's key)."""
    keys, grades = lms
    assert fresh_app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
    with fresh_app.app_context():
        keyring.ensure_active_key(fresh_app.config["SECRET_KEY"])
        grades.jwks = keyring.published_jwks()
        platform = Platform(
            name="Peer LMS",
            issuer=keys.issuer,
            client_id=grades.client_id,
            auth_login_url=keys.issuer + "/auth",
            auth_token_url=grades.token_url,
            key_set_url=keys.key_set_url,
        )
        platform.deployments.append(Deployment(deployment_id="deployment-1"))
        db.session.add(platform)
        db.session.commit()
        db.session.remove()
    return fresh_app


def doctor(app: Flask) -> Result:
    return app.test_cli_runner().invoke(args=["doctor"])


def _platform(app: Flask, **values: Any) -> None:
    with app.app_context():
        db.session.query(Platform).update(values)
        db.session.commit()
        db.session.remove()


def test_a_healthy_installation_passes_every_check(ready: Flask, lms: tuple[PlatformPeer, AgsPeer]) -> None:
    result = doctor(ready)

    assert result.exit_code == 0, result.output
    assert "FAIL" not in result.output and result.output.strip().endswith("All checks passed.")
    for name in ("SECRET_KEY", "BASE_URL", "Redis", "database", "signing key"):
        assert f"OK    {name}: " in result.output
    assert f"OK    platform 1 'Peer LMS': key set: {lms[0].key_set_url} serves 1 key(s)" in result.output
    assert f"OK    platform 1 'Peer LMS': token endpoint: {lms[1].token_url} issued a token" in result.output
    assert lms[1].state.token_requests == 1


def test_configuration_faults(ready: Flask) -> None:
    ready.config["BASE_URL"] = "http://localhost:5000"
    result = doctor(ready)
    assert result.exit_code == 1
    assert "FAIL  BASE_URL: still the default http://localhost:5000" in result.output
    assert "fix: set CAREER_TOOLKIT_BASE_URL to the https address" in result.output

    ready.config["BASE_URL"] = "http://tool.example.edu"
    assert "FAIL  BASE_URL: 'http://tool.example.edu' is not an https URL" in doctor(ready).output

    ready.config.update(BASE_URL="https://tool.example.edu", SECRET_KEY_FROM_INSTANCE=True)
    result = doctor(ready)
    assert result.exit_code == 1
    assert "FAIL  SECRET_KEY: not set: a secret was generated in the instance folder" in result.output
    assert "fix: set CAREER_TOOLKIT_SECRET_KEY" in result.output


def test_database_behind_and_unreachable(fresh_app: Flask, tmp_path: Any) -> None:
    assert fresh_app.test_cli_runner().invoke(args=["db", "upgrade", "0002_career"]).exit_code == 0
    result = doctor(fresh_app)
    assert result.exit_code == 1
    assert "FAIL  database: " in result.output and "at revision 0002_career, not the newest" in result.output
    assert "fix: run `career-toolkit db upgrade`" in result.output

    from lti_app import create_app

    unreachable = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": "postgresql://postgres@" + _closed_port_url().removeprefix("http://").rstrip("/") + "/x",
            "SECRET_KEY": "s" * 32,
            "BASE_URL": "https://tool.example.edu",
            "INSTANCE_PATH": str(tmp_path / "other"),
        }
    )
    result = doctor(unreachable)
    assert result.exit_code == 1
    assert "FAIL  database: postgresql+psycopg://postgres@127.0.0.1:" in result.output
    assert "is not reachable" in result.output and "fix: check CAREER_TOOLKIT_DATABASE_URL" in result.output
    assert "signing key" not in result.output  # nothing more to learn without the database


def test_redis_configured_but_down_and_queue_without_redis(ready: Flask) -> None:
    ready.config["REDIS_URL"] = "redis://:hunter2@" + _closed_port_url().removeprefix("http://").rstrip("/") + "/0"
    result = doctor(ready)
    assert result.exit_code == 1
    assert "FAIL  Redis: redis://:***@127.0.0.1:" in result.output and "is not reachable" in result.output
    assert "hunter2" not in result.output

    ready.config.update(REDIS_URL=None, GRADE_DELIVERY="queue")
    assert "FAIL  Redis: GRADE_DELIVERY is queue but no Redis is configured" in doctor(ready).output

    require_service("redis")
    ready.config["REDIS_URL"] = redis_url()
    assert f"OK    Redis: {redis_url()} reachable" in doctor(ready).output


def test_signing_key_missing_or_undecryptable(ready: Flask) -> None:
    with ready.app_context():
        keyring.rotate("the-secret-key-before-the-redeploy")
        db.session.remove()
    result = doctor(ready)
    assert result.exit_code == 1
    assert "FAIL  signing key: signing key ct-" in result.output
    assert "cannot be decrypted: SECRET_KEY changed?" in result.output
    assert "token endpoint: " in result.output and "not tried: the tool cannot sign" in result.output

    with ready.app_context():
        from lti_app.models.keys import SigningKey

        db.session.query(SigningKey).delete()
        db.session.commit()
        db.session.remove()
    result = doctor(ready)
    assert "FAIL  signing key: no active signing key" in result.output
    assert "fix: run `career-toolkit keys rotate`" in result.output


def test_key_set_url_faults(ready: Flask, lms: tuple[PlatformPeer, AgsPeer]) -> None:
    keys, _ = lms
    keys.keys = []
    result = doctor(ready)
    assert result.exit_code == 1
    assert f"FAIL  platform 1 'Peer LMS': key set: {keys.key_set_url} answered JSON without keys" in result.output

    _platform(ready, key_set_url=keys.base_url + "/not-the-jwks")
    assert "answered HTTP 404" in doctor(ready).output

    down = _closed_port_url("/jwks")
    _platform(ready, key_set_url=down)
    result = doctor(ready)
    assert f"key set: {down} is not reachable" in result.output
    assert "fix: check the key set URL the platform publishes" in result.output


def test_token_endpoint_faults(ready: Flask, lms: tuple[PlatformPeer, AgsPeer]) -> None:
    _, grades = lms
    grades.client_id = "the-client-id-the-platform-really-gave"
    result = doctor(ready)
    assert result.exit_code == 1
    assert f"FAIL  platform 1 'Peer LMS': token endpoint: {grades.token_url} refused the tool's signed request: " in (
        result.output
    )
    assert "HTTP 401" in result.output and "invalid_client" in result.output
    assert "fix: in the platform, check client id 'career-toolkit-client'" in result.output

    down = _closed_port_url("/token")
    _platform(ready, auth_token_url=down)
    result = doctor(ready)
    assert f"token endpoint: {down} is not reachable" in result.output
