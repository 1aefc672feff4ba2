"""Reaching the machine's PostgreSQL and Redis: skip with a reason locally, fail in CI."""

from __future__ import annotations

import os
import socket

import pytest

SERVICES = {"postgres": ("127.0.0.1", 5432), "redis": ("127.0.0.1", 6379)}


def postgres_admin_url(database: str = "postgres") -> str:
    base = os.environ.get("CAREER_TOOLKIT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
    return f"{base.rstrip('/')}/{database}"


def redis_url() -> str:
    return os.environ.get("CAREER_TOOLKIT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def service_available(name: str) -> bool:
    host, port = SERVICES[name]
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_service(name: str) -> None:
    """Skip when the service is down, except in CI, where a missing service is a failure."""
    if service_available(name):
        return
    message = f"{name} is not reachable at {SERVICES[name][0]}:{SERVICES[name][1]}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI must run every test)")
    pytest.skip(message)
