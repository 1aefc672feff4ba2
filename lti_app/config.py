"""Configuration read from ``CAREER_TOOLKIT_*`` environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

PREFIX = "CAREER_TOOLKIT_"

# Settings an operator may set, with their defaults. ``None`` means "derived at start-up".
DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # default: SQLite in the instance folder
    "SECRET_KEY": None,  # required outside the demo and tests
    "BASE_URL": "http://localhost:5000",
    "REDIS_URL": None,
    "JWT_LEEWAY_SECONDS": 60,
    "OIDC_STATE_TTL_SECONDS": 600,
    "LAUNCH_TOKEN_TTL_SECONDS": 8 * 3600,
    "PLATFORM_KEYS_TTL_SECONDS": 3600,
    # How long a worker reuses a platform registration it read (0: read it on every login and launch).
    "REGISTRATION_CACHE_SECONDS": 10,
    "GRADE_DELIVERY": "inline",  # inline | queue | manual
    "HTTP_TIMEOUT_SECONDS": 10,
    "INSTANCE_PATH": None,  # default: Flask's instance folder
    "ROSTER_TTL_SECONDS": 3600,
    "LOGO_URL": None,  # shown to platforms during Dynamic Registration
    "LOG_FORMAT": None,  # "json": one JSON object per log line; default plain text
    # Largest request body in bytes (413 past it): bodies are forms and JSON, a CASE package the largest.
    "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
    # Issuers (space-separated) that may use Dynamic Registration; empty: any https issuer.
    "REGISTRATION_ALLOWED_ISSUERS": "",
}

_INT_SETTINGS = {
    "JWT_LEEWAY_SECONDS",
    "OIDC_STATE_TTL_SECONDS",
    "LAUNCH_TOKEN_TTL_SECONDS",
    "PLATFORM_KEYS_TTL_SECONDS",
    "REGISTRATION_CACHE_SECONDS",
    "HTTP_TIMEOUT_SECONDS",
    "ROSTER_TTL_SECONDS",
    "MAX_CONTENT_LENGTH",
}


class ConfigurationError(RuntimeError):
    """A setting is missing or malformed; the message names the variable."""


def settings_from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Read every known setting from the environment, converting numbers, keeping defaults."""
    environ = os.environ if environ is None else environ
    settings = dict(DEFAULTS)
    for name in DEFAULTS:
        raw = environ.get(PREFIX + name)
        if raw is None or raw == "":
            continue
        if name in _INT_SETTINGS:
            try:
                settings[name] = int(raw)
            except ValueError as error:
                raise ConfigurationError(f"{PREFIX}{name} must be a whole number, not {raw!r}") from error
        else:
            settings[name] = raw
    return settings


def sqlalchemy_url(database_url: str) -> str:
    """Accept the common ``postgres://`` and ``postgresql://`` spellings and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if database_url.startswith(prefix):
            return "postgresql+psycopg://" + database_url[len(prefix) :]
    return database_url
