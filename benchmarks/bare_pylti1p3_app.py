"""The baseline for bench_launch.py: a bare pylti1p3 Flask tool doing the same login and launch validation.

Registrations come from a dict and platform keys from an in-process cache (fetched from the platform's JWKS
over HTTP once), as in the library's own Flask example. What it must not skip, so the comparison is honest:

- the id_token's signature is verified against the platform's JWKS, and the claims ours checks are checked
  (iss, aud/azp, exp/iat, nonce, deployment, message type, target_link_uri);
- state and nonce go where every worker sees them, in the same kind of store as ours in that shape: a
  database table (``BARE_LTI_SQLITE_PATH``) or Redis (``BARE_LTI_REDIS_URL``), as JSON, never pickle;
- the nonce is consumed once (DELETE ... RETURNING, or GETDEL), with the state, in one round trip.

It answers with one line: the baseline is the library's launch, the landing page is our own cost.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from typing import Any

from flask import Flask
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskOIDCLogin, FlaskRequest
from pylti1p3.exception import LtiException
from pylti1p3.launch_data_storage.cache import CacheDataStorage
from pylti1p3.tool_config import ToolConfDict

LTI = "https://purl.imsglobal.org/spec/lti/claim/"


class DictCache:
    """The platform's public keys, per process (as pylti1p3's Flask example keeps them)."""

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        return self._values.get(key)

    def set(self, key: str, value: Any, exp: int | None = None) -> None:
        self._values[key] = value


class RedisCache:
    """The get/set interface pylti1p3's cache storage expects, on Redis, as JSON; ``take_many`` consumes."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url)

    def get(self, key: str) -> Any:
        raw = self._redis.get("bare:" + key)
        return None if raw is None else json.loads(raw)

    def set(self, key: str, value: Any, exp: int | None = None) -> None:
        self._redis.set("bare:" + key, json.dumps(value), ex=exp)

    def take_many(self, keys: list[str]) -> list[Any]:
        pipeline = self._redis.pipeline(transaction=False)
        for key in keys:
            pipeline.getdel("bare:" + key)
        return [None if raw is None else json.loads(raw) for raw in pipeline.execute()]


class SqliteCache:
    """The same interface on a table in an SQLite database, one connection per thread."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._local = threading.local()
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS launch_value (key TEXT PRIMARY KEY, value TEXT, expires_at REAL)"
            )

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self._path, timeout=10, isolation_level=None)
            self._local.connection = connection
        return connection

    def get(self, key: str) -> Any:
        row = (
            self._connection()
            .execute("SELECT value FROM launch_value WHERE key = ? AND expires_at >= ?", (key, time.time()))
            .fetchone()
        )
        return None if row is None else json.loads(row[0])

    def set(self, key: str, value: Any, exp: int | None = None) -> None:
        self._connection().execute(
            "INSERT OR REPLACE INTO launch_value VALUES (?, ?, ?)",
            (key, json.dumps(value), time.time() + (exp or 3600)),
        )

    def take_many(self, keys: list[str]) -> list[Any]:
        marks = ", ".join("?" for _ in keys)
        rows = dict(
            self._connection()
            .execute(
                f"DELETE FROM launch_value WHERE key IN ({marks}) AND expires_at >= ? RETURNING key, value",
                (*keys, time.time()),
            )
            .fetchall()
        )
        return [None if key not in rows else json.loads(rows[key]) for key in keys]


class SharedStorage(CacheDataStorage[Any]):
    """pylti1p3's cache-backed launch storage on a store every worker sees."""

    def __init__(self, cache: RedisCache | SqliteCache) -> None:
        super().__init__()
        self._cache = cache

    def take_many(self, keys: list[str]) -> list[Any]:
        assert self._cache is not None
        return self._cache.take_many([self._prepare_key(key) for key in keys])


class BareMessageLaunch(FlaskMessageLaunch):
    """pylti1p3's launch, with the nonce consumed (the library only checks it is there)."""

    def __init__(self, *args: Any, launch_url: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._launch_url = launch_url

    def validate_nonce(self) -> BareMessageLaunch:
        nonce = self._get_jwt_body().get("nonce")
        state = self._get_request_param("state")
        service = self._session_service
        storage = service.data_storage
        if not nonce or not isinstance(storage, SharedStorage):
            raise LtiException("Invalid Nonce")
        taken_nonce, _ = storage.take_many([service._get_key("nonce", nonce), service._get_key(state)])
        if taken_nonce is None:
            raise LtiException("Invalid Nonce")
        return self

    def validate_message(self) -> BareMessageLaunch:
        super().validate_message()
        body = self._get_jwt_body()
        if body.get(LTI + "target_link_uri") != self._launch_url:
            raise LtiException("target_link_uri is not this tool")
        azp, audience = body.get("azp"), body.get("aud")
        if azp is not None and azp != (audience if isinstance(audience, str) else audience[0]):
            raise LtiException("azp is not this tool")
        if body.get("iat", 0) > time.time() + 5:
            raise LtiException("iat in the future")
        return self

    def save_launch_data(self) -> BareMessageLaunch:
        return self  # ours keeps no copy of the id_token's body either


def create_app() -> Flask:
    settings = json.loads(os.environ["BARE_LTI_SETTINGS"])
    redis_url = os.environ.get("BARE_LTI_REDIS_URL")
    sqlite_path = os.environ.get("BARE_LTI_SQLITE_PATH")
    app = Flask(__name__)
    app.secret_key = "bare-baseline"
    tool_conf = ToolConfDict(
        {
            settings["issuer"]: [
                {
                    "default": True,
                    "client_id": settings["client_id"],
                    "auth_login_url": settings["issuer"] + "/auth",
                    "auth_token_url": settings["issuer"] + "/token",
                    "key_set_url": settings["key_set_url"],
                    "deployment_ids": [settings["deployment_id"]],
                }
            ]
        }
    )
    key_cache: CacheDataStorage[Any] = CacheDataStorage()
    key_cache._cache = DictCache()  # what pylti1p3's own cache-backed storages set up in __init__
    if redis_url:
        shared_cache: RedisCache | SqliteCache = RedisCache(redis_url)
    elif sqlite_path:
        shared_cache = SqliteCache(sqlite_path)
    else:
        raise RuntimeError("set BARE_LTI_REDIS_URL or BARE_LTI_SQLITE_PATH: state must be shared by every worker")
    launch_url = settings["base_url"] + "/lti/launch"

    @app.route("/lti/login", methods=["GET", "POST"])
    def login() -> Any:
        oidc = FlaskOIDCLogin(FlaskRequest(), tool_conf, launch_data_storage=SharedStorage(shared_cache))
        return oidc.redirect(launch_url)

    @app.post("/lti/launch")
    def launch() -> str:
        message_launch = BareMessageLaunch(
            FlaskRequest(), tool_conf, launch_data_storage=SharedStorage(shared_cache), launch_url=launch_url
        )
        message_launch.set_public_key_caching(key_cache, cache_lifetime=3600)
        data = message_launch.get_launch_data()
        return f"<html><body>Hello {data.get('sub')}</body></html>"

    return app
