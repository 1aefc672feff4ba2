"""Expiring values shared by every worker: the database by default, Redis when configured.

OIDC state and nonces live here. ``take`` reads and deletes in one step, so a nonce is consumed once
even when two workers see the same replayed id_token at the same moment.
"""

from __future__ import annotations

import functools
import random
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.state import ExpiringValue


class StateStore(Protocol):
    def put(self, key: str, value: str, ttl_seconds: int) -> None: ...

    def put_many(self, values: dict[str, str], ttl_seconds: int) -> None: ...

    def get(self, key: str) -> str | None: ...

    def take(self, key: str) -> str | None:
        """Return the value and delete it, atomically; ``None`` when absent, expired or already taken."""
        ...

    def take_many(self, keys: list[str]) -> list[str | None]:
        """``take`` for several keys at once (one round trip where the store allows it)."""
        ...


SWEEP_ONE_IN = 50


class DatabaseStateStore:
    """Rows in ``expiring_value``; expired rows are swept now and then as new ones are written.

    ``take`` does not commit: it joins the caller's transaction, so consuming a nonce and recording the
    launch it allowed land together. Two transactions deleting the same row serialise on the row (PostgreSQL)
    or the database (SQLite), and only one sees it deleted.
    """

    def put(self, key: str, value: str, ttl_seconds: int) -> None:
        """Set a key, replacing any value it had (caches, whose keys repeat and whose writers race)."""
        upsert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
        expires_at = utcnow() + timedelta(seconds=ttl_seconds)
        db.session.execute(
            upsert(ExpiringValue)
            .values(key=key, value=value, expires_at=expires_at)
            .on_conflict_do_update(index_elements=["key"], set_={"value": value, "expires_at": expires_at})
        )
        db.session.commit()

    def put_many(self, values: dict[str, str], ttl_seconds: int) -> None:
        now = utcnow()
        if random.randrange(SWEEP_ONE_IN) == 0:  # noqa: S311 (load spreading, not security)
            db.session.execute(delete(_TABLE).where(_TABLE.c.expires_at < now))
        expires_at = now + timedelta(seconds=ttl_seconds)
        # Keys are fresh random tokens, so a plain INSERT (no read-before-write merge) is enough; Core
        # statements, because the ORM's unit of work cost more than the write on every login.
        db.session.execute(
            insert(_TABLE), [{"key": key, "value": value, "expires_at": expires_at} for key, value in values.items()]
        )
        db.session.commit()

    def get(self, key: str) -> str | None:
        value = db.session.execute(_GET, {"key": key, "now": utcnow()}).scalar()
        return None if value is None else str(value)

    def take(self, key: str) -> str | None:
        return self.take_many([key])[0]

    def take_many(self, keys: list[str]) -> list[str | None]:
        # Only the transaction whose DELETE removed a row gets its value: that is the "exactly once". One
        # statement for all the keys: a launch consumes its nonce and its state together.
        taken = dict(db.session.execute(_TAKE, {"keys": keys, "now": utcnow()}).all())
        return [None if taken.get(key) is None else str(taken[key]) for key in keys]


_TABLE = ExpiringValue.__table__
_GET = select(_TABLE.c.value).where(_TABLE.c.key == bindparam("key"), _TABLE.c.expires_at >= bindparam("now"))
_TAKE = (
    delete(_TABLE)
    .where(_TABLE.c.key.in_(bindparam("keys", expanding=True)), _TABLE.c.expires_at >= bindparam("now"))
    .returning(_TABLE.c.key, _TABLE.c.value)
)


class RedisStateStore:
    """Redis keys with a TTL; GETDEL makes ``take`` atomic across workers."""

    def __init__(self, url: str) -> None:
        self._redis = _redis_client(url)

    def put(self, key: str, value: str, ttl_seconds: int) -> None:
        self._redis.set("career-toolkit:" + key, value, ex=ttl_seconds)

    def put_many(self, values: dict[str, str], ttl_seconds: int) -> None:
        pipeline = self._redis.pipeline()
        for key, value in values.items():
            pipeline.set("career-toolkit:" + key, value, ex=ttl_seconds)
        pipeline.execute()

    def get(self, key: str) -> str | None:
        value = self._redis.get("career-toolkit:" + key)
        return None if value is None else str(value)

    def take(self, key: str) -> str | None:
        value = self._redis.getdel("career-toolkit:" + key)
        return None if value is None else str(value)

    def take_many(self, keys: list[str]) -> list[str | None]:
        # Each GETDEL is atomic on its own; the pipeline only saves round trips.
        pipeline = self._redis.pipeline(transaction=False)
        for key in keys:
            pipeline.getdel("career-toolkit:" + key)
        return [None if value is None else str(value) for value in pipeline.execute()]


@functools.lru_cache(maxsize=8)
def _redis_client(url: str) -> Any:
    """One client (and connection pool) per URL and process: connecting per request cost more than the launch."""
    import redis

    return redis.Redis.from_url(url, decode_responses=True)


def state_store_for(redis_url: str | None) -> StateStore:
    return RedisStateStore(redis_url) if redis_url else DatabaseStateStore()
