"""State, nonces and first launches shared by every worker: the database by default, Redis when configured."""

from __future__ import annotations

import threading
import uuid

import pytest
import requests
from flask import Flask
from sqlalchemy import func, select

from lti_app.extensions import db
from lti_app.lti.state_store import DatabaseStateStore, RedisStateStore
from lti_app.models import LtiUser
from tests.lti.platform_peer import LTI, PlatformPeer, redirect_params
from tests.services import redis_url, require_service


def test_database_store_takes_a_value_once(app: Flask) -> None:
    store = DatabaseStateStore()
    store.put_many({"k": "v"}, 60)
    assert store.get("k") == "v"
    assert store.take("k") == "v"
    db.session.commit()
    assert store.take("k") is None


def test_database_store_ignores_expired_values(app: Flask) -> None:
    store = DatabaseStateStore()
    store.put("old", "v", -1)
    assert store.get("old") is None and store.take("old") is None


def test_redis_store_takes_a_value_once() -> None:
    require_service("redis")
    store = RedisStateStore(redis_url())
    key = "test-" + uuid.uuid4().hex
    store.put_many({key: "v"}, 60)
    assert store.get(key) == "v"
    assert store.take(key) == "v"
    assert store.take(key) is None


def test_both_stores_take_several_values_at_once_each_only_once(app: Flask) -> None:
    require_service("redis")
    for store in (DatabaseStateStore(), RedisStateStore(redis_url())):
        nonce, state = "nonce-" + uuid.uuid4().hex, "state-" + uuid.uuid4().hex
        store.put_many({nonce: "n", state: "s"}, 60)
        assert store.take_many([nonce, state]) == ["n", "s"]
        db.session.commit()
        assert store.take_many([nonce, state, "never-stored"]) == [None, None, None]


def test_launch_with_state_in_redis(app: Flask, client, peer: PlatformPeer) -> None:
    require_service("redis")
    app.config["REDIS_URL"] = redis_url()
    response = client.post("/lti/login", data=peer.login_params())
    params = redirect_params(response.headers["Location"])
    assert RedisStateStore(redis_url()).get("oidc-state:" + params["state"]) is not None
    data = {"id_token": peer.sign(peer.claims(params["nonce"])), "state": params["state"]}
    assert client.post("/lti/launch", data=data).status_code == 200
    assert client.post("/lti/launch", data=data).status_code == 400  # replay refused by the shared store


@pytest.mark.parametrize("round_", range(3))
def test_two_simultaneous_first_launches_make_one_user(live_tool: str, peer: PlatformPeer, round_: int) -> None:
    """Two browsers of the same learner launch at the same moment (on PostgreSQL in CI's second pass)."""
    sub = f"racer-{round_}-{uuid.uuid4().hex[:6]}"
    prepared = []
    for _ in range(2):
        browser = requests.Session()
        login = browser.post(
            live_tool + "/lti/login",
            data=peer.login_params(target_link_uri=live_tool + "/lti/launch"),
            allow_redirects=False,
            timeout=10,
        )
        params = redirect_params(login.headers["Location"])
        claims = peer.claims(params["nonce"], sub=sub)
        claims[LTI + "target_link_uri"] = live_tool + "/lti/launch"
        prepared.append((browser, {"id_token": peer.sign(claims), "state": params["state"]}))
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def launch(browser: requests.Session, data: dict[str, str]) -> None:
        barrier.wait()
        statuses.append(browser.post(live_tool + "/lti/launch", data=data, timeout=20).status_code)

    threads = [threading.Thread(target=launch, args=item) for item in prepared]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200, 200]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(LtiUser.id)).where(LtiUser.sub == sub)) == 1
