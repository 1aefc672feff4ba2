"""``career-toolkit doctor``: checks what a working installation needs, and says what to fix.

Configuration, the database (reachable, at the newest revision), Redis when configured, the signing key, and for
each platform its key set URL and token endpoint, reached the way launches and grade delivery reach them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import Flask

from lti_app import keyring
from lti_app.config import DEFAULTS, PREFIX

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


@dataclass(frozen=True)
class Check:
    """One finding: what was checked, whether it passed, what was seen, and what to do about a failure."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def run_checks(app: Flask) -> list[Check]:
    """Every check, in the order an operator fixes things (needs an app context)."""
    checks = [*_configuration(app), *_redis(app), *_database(app)]
    if not checks[-1].ok:
        # Keys and platforms live in the database: nothing more to learn without it.
        return checks
    return [*checks, *_signing_key(app), *_platforms(app)]


# --- configuration ---------------------------------------------------------------------------------------------


def _configuration(app: Flask) -> Iterator[Check]:
    base_url = str(app.config.get("BASE_URL") or "")
    parts = urlsplit(base_url)
    local = (parts.hostname or "") in LOCAL_HOSTS
    if app.config.get("SECRET_KEY_FROM_INSTANCE") and not local:
        yield Check(
            "SECRET_KEY",
            False,
            "not set: a secret was generated in the instance folder, so each server or container may get its own",
            f"set {PREFIX}SECRET_KEY to one long random value shared by every process (it encrypts the signing key)",
        )
    elif len(str(app.config.get("SECRET_KEY") or "")) < 16:
        yield Check("SECRET_KEY", False, "shorter than 16 characters", f"set {PREFIX}SECRET_KEY to a long random value")
    else:
        source = (
            "the instance folder (fine for a local server)"
            if app.config.get("SECRET_KEY_FROM_INSTANCE")
            else ("the environment")
        )
        yield Check("SECRET_KEY", True, f"set, from {source}")
    fix_base = f"set {PREFIX}BASE_URL to the https address platforms and browsers reach this tool at"
    if base_url == DEFAULTS["BASE_URL"]:
        yield Check("BASE_URL", False, f"still the default {base_url}", fix_base)
    elif parts.scheme != "https" or not parts.hostname:
        not_https = f"{base_url!r} is not an https URL (LMS launches and cookies need https)"
        yield Check("BASE_URL", False, not_https, fix_base)
    else:
        yield Check("BASE_URL", True, base_url)


# --- database and Redis ----------------------------------------------------------------------------------------


def _database(app: Flask) -> Iterator[Check]:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    from lti_app.extensions import db

    url = db.engine.url.render_as_string(hide_password=True)
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception as error:  # any driver's failure to connect is the finding itself
        yield Check(
            "database",
            False,
            f"{url} is not reachable: {_first_line(error)}",
            f"check {PREFIX}DATABASE_URL and that the database server is running",
        )
        return
    heads = set(ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config()).get_heads())
    if current != heads:
        have = ", ".join(sorted(current)) or "no tables"
        yield Check(
            "database",
            False,
            f"{url} is at revision {have}, not the newest ({', '.join(sorted(heads))})",
            "run `career-toolkit db upgrade`",
        )
        return
    yield Check("database", True, f"{url} reachable, at the newest revision {', '.join(sorted(heads))}")


def _redis(app: Flask) -> Iterator[Check]:
    url = app.config.get("REDIS_URL")
    if not url:
        if app.config.get("GRADE_DELIVERY") == "queue":
            yield Check(
                "Redis",
                False,
                "GRADE_DELIVERY is queue but no Redis is configured",
                f"set {PREFIX}REDIS_URL, or {PREFIX}GRADE_DELIVERY=inline",
            )
        else:
            yield Check("Redis", True, "not configured (state in the database, grade delivery in process)")
        return
    from redis import Redis
    from redis.exceptions import RedisError

    shown = _without_password(str(url))
    try:
        Redis.from_url(str(url), socket_timeout=3, socket_connect_timeout=3).ping()
    except (RedisError, OSError) as error:
        yield Check(
            "Redis",
            False,
            f"{shown} is not reachable: {_first_line(error)}",
            f"check {PREFIX}REDIS_URL and that Redis is running",
        )
        return
    yield Check("Redis", True, f"{shown} reachable")


# --- keys and platforms ----------------------------------------------------------------------------------------


def _signing_key(app: Flask) -> Iterator[Check]:
    key = keyring.active_key()
    if key is None:
        yield Check(
            "signing key",
            False,
            "no active signing key",
            "run `career-toolkit keys rotate` (platforms then fetch it from BASE_URL/lti/jwks)",
        )
        return
    problem = keyring.signing_key_problem(app.config["SECRET_KEY"])
    if problem:
        yield Check(
            "signing key",
            False,
            problem,
            f"restore the {PREFIX}SECRET_KEY the key was made with, or run `career-toolkit keys rotate`",
        )
        return
    yield Check("signing key", True, f"{key.kid} active and decryptable")


def _platforms(app: Flask) -> Iterator[Check]:
    from sqlalchemy import select

    from lti_app.extensions import db
    from lti_app.models.platform import Platform

    platforms = list(db.session.scalars(select(Platform).order_by(Platform.id)))
    if not platforms:
        yield Check("platforms", True, "none registered yet (`career-toolkit platforms add`, or Dynamic Registration)")
        return
    timeout = min(float(app.config.get("HTTP_TIMEOUT_SECONDS") or 10), 10.0)
    can_sign = keyring.signing_key_problem(app.config["SECRET_KEY"]) is None
    for platform in platforms:
        label = f"platform {platform.id} {platform.name!r}"
        yield _key_set(label, platform, timeout)
        yield _token_endpoint(label, platform, timeout, app.config["SECRET_KEY"] if can_sign else None)


def _key_set(label: str, platform: Any, timeout: float) -> Check:
    name = f"{label}: key set"
    if not platform.key_set_url:
        keys = (json.loads(platform.key_set) if platform.key_set else {}).get("keys") or []
        if keys:
            return Check(name, True, f"inline key set with {len(keys)} key(s)")
        return Check(name, False, "no key set URL and no inline keys", "`platforms add --key-set-url` again")
    url = platform.key_set_url
    fix = f"check the key set URL the platform publishes (now {url}), then `platforms remove` and `platforms add`"
    try:
        response = requests.get(url, timeout=timeout, headers={"Accept": "application/json"})
    except requests.RequestException as error:
        return Check(name, False, f"{url} is not reachable: {_first_line(error)}", fix)
    if response.status_code != 200:
        return Check(name, False, f"{url} answered HTTP {response.status_code}", fix)
    try:
        body = response.json()
    except ValueError:
        return Check(name, False, f"{url} did not answer JSON", fix)
    keys = body.get("keys") if isinstance(body, dict) else None
    if not isinstance(keys, list) or not keys:
        return Check(name, False, f"{url} answered JSON without keys", fix)
    return Check(name, True, f"{url} serves {len(keys)} key(s)")


def _token_endpoint(label: str, platform: Any, timeout: float, secret_key: str | None) -> Check:
    """A real client-credentials request, signed like grade delivery signs it: reachable, and accepts us?"""
    from lti_app.grades.tokens import ASSERTION_TYPE, PlatformCredentials, client_assertion

    name = f"{label}: token endpoint"
    url = platform.auth_token_url
    if secret_key is None:
        return Check(name, False, f"{url} not tried: the tool cannot sign (see the signing key)", "fix the signing key")
    kid, pem = keyring.signing_material(secret_key)
    form = {
        "grant_type": "client_credentials",
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": client_assertion(PlatformCredentials.of(platform), kid, pem),
        "scope": SCORE_SCOPE,
    }
    try:
        response = requests.post(url, data=form, timeout=timeout)
    except requests.RequestException as error:
        return Check(
            name,
            False,
            f"{url} is not reachable: {_first_line(error)}",
            "check the platform's token URL (`platforms list`) and that this server can reach it",
        )
    if response.status_code == 200 and "access_token" in _json_or_empty(response):
        return Check(name, True, f"{url} issued a token for client id {platform.client_id!r}")
    said = _first_line(response.text[:300]) or response.reason
    return Check(
        name,
        False,
        f"{url} refused the tool's signed request: HTTP {response.status_code} {said}",
        f"in the platform, check client id {platform.client_id!r}, that the tool's key set URL is "
        "BASE_URL/lti/jwks, and that grade (AGS) services are enabled for the tool",
    )


def _json_or_empty(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _first_line(error: object) -> str:
    lines = str(error).strip().splitlines()
    return lines[0][:300] if lines else type(error).__name__


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def report(checks: list[Check], echo: Callable[[str], None]) -> bool:
    """Print each check as OK or FAIL with what to fix; whether every check passed."""
    for check in checks:
        echo(f"{'OK  ' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
        if not check.ok and check.fix:
            echo(f"      fix: {check.fix}")
    failed = sum(1 for check in checks if not check.ok)
    echo("All checks passed." if not failed else f"{failed} check(s) failed.")
    return not failed
