"""The baseline for bench_launch.py: a bare pylti1p3 Flask tool doing the same login and launch validation.

Registrations come from a dict and platform keys from an in-process cache, as in the library's own Flask
example. Nonce and state go where every worker sees them, as ours do: Redis through pylti1p3's
``FlaskCacheDataStorage`` when ``BARE_LTI_REDIS_URL`` is set (the fair comparison), else the Flask session.
"""

from __future__ import annotations

import json
import os
import pickle
from typing import Any

from flask import Flask
from pylti1p3.contrib.flask import FlaskCacheDataStorage, FlaskMessageLaunch, FlaskOIDCLogin, FlaskRequest
from pylti1p3.launch_data_storage.cache import CacheDataStorage
from pylti1p3.tool_config import ToolConfDict


class DictCache:
    def __init__(self) -> None:
        self._values: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        return self._values.get(key)

    def set(self, key: str, value: Any, exp: int | None = None) -> None:
        self._values[key] = value


class RedisCache:
    """The get/set interface pylti1p3's cache storage expects, on Redis."""

    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url)

    def get(self, key: str) -> Any:
        raw = self._redis.get("bare:" + key)
        return None if raw is None else pickle.loads(raw)

    def set(self, key: str, value: Any, exp: int | None = None) -> None:
        self._redis.set("bare:" + key, pickle.dumps(value), ex=exp)


def create_app() -> Flask:
    settings = json.loads(os.environ["BARE_LTI_SETTINGS"])
    redis_url = os.environ.get("BARE_LTI_REDIS_URL")
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
    shared_cache = RedisCache(redis_url) if redis_url else None
    launch_url = settings["base_url"] + "/lti/launch"

    def storage() -> FlaskCacheDataStorage | None:
        return FlaskCacheDataStorage(shared_cache) if shared_cache else None

    @app.route("/lti/login", methods=["GET", "POST"])
    def login() -> Any:
        return FlaskOIDCLogin(FlaskRequest(), tool_conf, launch_data_storage=storage()).redirect(launch_url)

    @app.post("/lti/launch")
    def launch() -> str:
        message_launch = FlaskMessageLaunch(FlaskRequest(), tool_conf, launch_data_storage=storage())
        message_launch.set_public_key_caching(key_cache, cache_lifetime=3600)
        data = message_launch.get_launch_data()
        return f"<html><body>Hello {data.get('sub')}</body></html>"

    return app
