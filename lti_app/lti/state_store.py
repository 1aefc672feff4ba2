"""Expiring values shared by every worker: the database by default, Redis when configured.

OIDC state and nonces live here. ``take`` reads and deletes in one step, so a nonce is consumed once
even when two workers see the same replayed id_token at the same moment.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from sqlalchemy import delete, select

from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.state import ExpiringValue


class StateStore(Protocol):
    def put(self, key: str, value: str, ttl_seconds: int) -> None: ...

    def get(self, key: str) -> str | None: ...

    def take(self, key: str) -> str | None:
        """Return the value and delete it, atomically; ``None`` when absent, expired or already taken."""
        ...


class DatabaseStateStore:
    """Rows in ``expiring_value``; expired rows are swept as new ones are written."""

    def put(self, key: str, value: str, ttl_seconds: int) -> None:
        now = utcnow()
        db.session.execute(delete(ExpiringValue).where(ExpiringValue.expires_at < now))
        db.session.merge(ExpiringValue(key=key, value=value, expires_at=now + timedelta(seconds=ttl_seconds)))
        db.session.commit()

    def get(self, key: str) -> str | None:
        row = db.session.get(ExpiringValue, key)
        if row is None or row.expires_at < utcnow():
            return None
        return row.value

    def take(self, key: str) -> str | None:
        value = db.session.scalar(
            select(ExpiringValue.value).where(ExpiringValue.key == key, ExpiringValue.expires_at >= utcnow())
        )
        if value is None:
            return None
        # Only the worker whose DELETE removed the row may use the value: that is the "exactly once".
        deleted = db.session.execute(delete(ExpiringValue).where(ExpiringValue.key == key))
        db.session.commit()
        return value if deleted.rowcount == 1 else None  # type: ignore[attr-defined]


class RedisStateStore:
    """Redis keys with a TTL; GETDEL makes ``take`` atomic across workers."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, decode_responses=True)

    def put(self, key: str, value: str, ttl_seconds: int) -> None:
        self._redis.set("career-toolkit:" + key, value, ex=ttl_seconds)

    def get(self, key: str) -> str | None:
        value = self._redis.get("career-toolkit:" + key)
        return None if value is None else str(value)

    def take(self, key: str) -> str | None:
        value = self._redis.getdel("career-toolkit:" + key)
        return None if value is None else str(value)


def state_store_for(redis_url: str | None) -> StateStore:
    return RedisStateStore(redis_url) if redis_url else DatabaseStateStore()
