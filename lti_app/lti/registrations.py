"""Platform registrations as every login and launch reads them: one Core query, then a short per-process cache.

Looking a registration up through the ORM (a ``Platform`` with its deployments joined) was the largest
part of a login and a fifth of a launch. The launch path needs only a few columns, so it reads them into a
frozen ``RegisteredPlatform`` and keeps that for ``REGISTRATION_CACHE_SECONDS`` (10 s by default; 0 turns
the cache off). What the cache may not do:

- hide a newly added platform or deployment: misses are never cached, and a deployment missing from a
  cached registration is looked up again before a launch is refused;
- outlive a change made in this process: committing a change to a platform or deployment clears it;
- let a launch from a platform removed in another process be recorded: recording a launch reads its
  deployment row in the same query, and a missing row refuses the launch.

So what another process changes (a key set URL, a login URL) reaches this one within the cache lifetime.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from lti_app.extensions import db
from lti_app.models.platform import Deployment, Platform

_EXTENSION = "career_toolkit_registrations"


@dataclass(frozen=True)
class RegisteredPlatform:
    """What a login and a launch need of one registration (issuer + client id) and its deployments."""

    id: int
    name: str
    issuer: str
    client_id: str
    auth_login_url: str
    auth_token_url: str
    auth_audience: str | None
    key_set_url: str | None
    key_set: str | None
    # LTI deployment id -> the deployment row's primary key.
    deployments: Mapping[str, int]

    @property
    def deployment_ids(self) -> list[str]:
        return list(self.deployments)


def read_registration(issuer: str, client_id: str) -> RegisteredPlatform | None:
    """The registration straight from the database, deployments included, in one query."""
    rows = db.session.execute(
        select(
            Platform.id,
            Platform.name,
            Platform.issuer,
            Platform.client_id,
            Platform.auth_login_url,
            Platform.auth_token_url,
            Platform.auth_audience,
            Platform.key_set_url,
            Platform.key_set,
            Deployment.deployment_id,
            Deployment.id,
        )
        .outerjoin(Deployment, Deployment.platform_id == Platform.id)
        .where(Platform.issuer == issuer, Platform.client_id == client_id)
        .order_by(Deployment.id)
    ).all()
    if not rows:
        return None
    first = rows[0]
    return RegisteredPlatform(
        *first[:9],
        deployments={row[9]: row[10] for row in rows if row[9] is not None},
    )


class RegistrationCache:
    """Registrations found recently in this process, each kept for ``ttl_seconds``."""

    def __init__(self, ttl_seconds: float) -> None:
        self._ttl = ttl_seconds
        self._entries: dict[tuple[str, str], tuple[float, RegisteredPlatform]] = {}
        self._lock = threading.Lock()

    def find(self, issuer: str, client_id: str) -> RegisteredPlatform | None:
        entry = self._entries.get((issuer, client_id))
        if entry is not None and entry[0] > time.monotonic():
            return entry[1]
        return self.refresh(issuer, client_id)

    def refresh(self, issuer: str, client_id: str) -> RegisteredPlatform | None:
        """Read the registration again, whatever the cache holds."""
        found = read_registration(issuer, client_id)
        with self._lock:
            if found is None or self._ttl <= 0:
                self._entries.pop((issuer, client_id), None)
            else:
                self._entries[(issuer, client_id)] = (time.monotonic() + self._ttl, found)
        return found

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def registrations() -> RegistrationCache:
    """The current app's cache."""
    cache: RegistrationCache = current_app.extensions[_EXTENSION]
    return cache


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = RegistrationCache(app.config["REGISTRATION_CACHE_SECONDS"])


def _touches_registrations(session: Session) -> bool:
    return any(
        isinstance(record, (Platform, Deployment)) for record in (*session.new, *session.dirty, *session.deleted)
    )


@event.listens_for(Session, "after_flush")
def _note_registration_changes(session: Session, flush_context: Any) -> None:
    if _touches_registrations(session):
        session.info["registrations_changed"] = True


@event.listens_for(Session, "after_commit")
def _forget_changed_registrations(session: Session) -> None:
    if session.info.pop("registrations_changed", False) and has_app_context():
        cache = current_app.extensions.get(_EXTENSION)
        if cache is not None:
            cache.clear()


@event.listens_for(Session, "after_rollback")
def _drop_change_note(session: Session) -> None:
    session.info.pop("registrations_changed", None)
