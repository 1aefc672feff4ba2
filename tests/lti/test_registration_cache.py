"""The per-process registration cache: it saves the login and launch a query, and never hides a change that matters.

"Elsewhere" below is a change made on a separate database connection, outside this process's ORM session:
what the CLI or another worker does.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, func, insert, select, update

from lti_app.extensions import db
from lti_app.lti import registrations as registrations_module
from lti_app.lti.registrations import RegistrationCache, registrations
from lti_app.models import LtiUser
from lti_app.models.platform import Deployment, Platform
from tests.lti.conftest import login
from tests.lti.platform_peer import PlatformPeer


def launch(client: FlaskClient, peer: PlatformPeer, **claims: str) -> tuple[int, str]:
    params = login(client, peer)
    body = peer.claims(params["nonce"], sub=claims.pop("sub", "learner-1"))
    body.update(claims)
    response = client.post("/lti/launch", data={"id_token": peer.sign(body), "state": params["state"]})
    return response.status_code, response.get_data(as_text=True)


def elsewhere(statement: object) -> None:
    """Run a statement on its own connection and commit it, as another process would."""
    with db.engine.begin() as connection:
        connection.execute(statement)  # type: ignore[call-overload]


@pytest.fixture()
def cached_peer(app: Flask, client: FlaskClient, peer: PlatformPeer) -> Iterator[PlatformPeer]:
    """A registered platform whose registration this process has already cached (one launch made)."""
    assert launch(client, peer)[0] == 200
    assert registrations()._entries, "the launch should have cached the registration"
    yield peer


def test_a_deployment_added_elsewhere_launches_at_once(client: FlaskClient, cached_peer: PlatformPeer) -> None:
    platform_id = db.session.scalar(select(Platform.id).where(Platform.issuer == cached_peer.issuer))
    elsewhere(insert(Deployment).values(platform_id=platform_id, deployment_id="deployment-2"))

    status, page = launch(
        client, cached_peer, **{"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "deployment-2"}
    )

    assert status == 200, page


def test_a_platform_removed_elsewhere_is_refused_and_nothing_is_written(
    client: FlaskClient, cached_peer: PlatformPeer
) -> None:
    elsewhere(delete(Platform).where(Platform.issuer == cached_peer.issuer))

    status, page = launch(client, cached_peer, sub="newcomer")

    assert status == 400
    assert "no longer registered" in page
    assert db.session.scalar(select(func.count(LtiUser.id)).where(LtiUser.sub == "newcomer")) == 0


def test_a_change_committed_in_this_process_is_seen_at_once(client: FlaskClient, cached_peer: PlatformPeer) -> None:
    platform = db.session.scalars(select(Platform).where(Platform.issuer == cached_peer.issuer)).one()
    platform.deployments.clear()
    db.session.commit()

    status, page = launch(client, cached_peer)

    assert status == 400
    assert "deployment is not registered" in page


def test_an_unknown_platform_is_not_remembered_as_unknown(app: Flask, client: FlaskClient) -> None:
    newcomer = PlatformPeer(issuer="https://canvas.example.net", client_id="canvas-client")
    try:
        response = client.get("/lti/login", query_string=newcomer.login_params())
        assert response.status_code == 400
        elsewhere(
            insert(Platform).values(
                name="Canvas",
                issuer=newcomer.issuer,
                client_id=newcomer.client_id,
                auth_login_url=newcomer.issuer + "/auth",
                auth_token_url=newcomer.issuer + "/token",
                key_set_url=newcomer.key_set_url,
            )
        )
        platform_id = db.session.scalar(select(Platform.id).where(Platform.issuer == newcomer.issuer))
        elsewhere(insert(Deployment).values(platform_id=platform_id, deployment_id=newcomer.deployment_id))

        assert launch(client, newcomer)[0] == 200
    finally:
        newcomer.close()


def test_other_changes_made_elsewhere_arrive_within_the_cache_lifetime(
    app: Flask, peer: PlatformPeer, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    monkeypatch.setattr(registrations_module.time, "monotonic", lambda: now[0])
    cache = RegistrationCache(ttl_seconds=10)
    assert cache.find(peer.issuer, peer.client_id).auth_login_url == peer.issuer + "/auth"  # type: ignore[union-attr]
    elsewhere(update(Platform).where(Platform.issuer == peer.issuer).values(auth_login_url=peer.issuer + "/sso"))

    now[0] += 9
    assert cache.find(peer.issuer, peer.client_id).auth_login_url == peer.issuer + "/auth"  # type: ignore[union-attr]
    now[0] += 2
    assert cache.find(peer.issuer, peer.client_id).auth_login_url == peer.issuer + "/sso"  # type: ignore[union-attr]


def test_a_zero_lifetime_reads_the_database_every_time(app: Flask, peer: PlatformPeer) -> None:
    cache = RegistrationCache(ttl_seconds=0)
    cache.find(peer.issuer, peer.client_id)
    elsewhere(update(Platform).where(Platform.issuer == peer.issuer).values(name="Renamed"))

    assert cache.find(peer.issuer, peer.client_id).name == "Renamed"  # type: ignore[union-attr]
