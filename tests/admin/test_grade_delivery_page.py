"""The administrators' grade delivery page: their platform only, retry of failed scores."""

from __future__ import annotations

import re
from datetime import datetime

from flask import Flask

from lti_app.extensions import db
from lti_app.models.grades import FAILED, PENDING, ScoreDelivery
from tests.lti.conftest import login
from tests.lti.platform_peer import PlatformPeer

ADMIN = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


def launch_token(client, peer: PlatformPeer, roles: list[str], sub: str) -> str:
    params = login(client, peer)
    page = client.post(
        "/lti/launch",
        data={"id_token": peer.sign(peer.claims(params["nonce"], roles=roles, sub=sub)), "state": params["state"]},
    )
    assert page.status_code == 200
    return re.search(r'name="api-token" content="([^"]+)"', page.get_data(as_text=True)).group(1)


def failed_delivery(platform_id: int, sub: str) -> ScoreDelivery:
    delivery = ScoreDelivery(
        platform_id=platform_id,
        line_item_url="https://lms.example/lineitems/1",
        user_sub=sub,
        score_key=f"{platform_id}-{sub}",
        payload={"userId": sub, "scoreGiven": 80.0, "scoreMaximum": 100.0},
        original_timestamp=datetime(2026, 11, 25, 12, 0),
        status=FAILED,
        attempts=8,
        last_status_code=403,
        last_error="missing scope <score>",
    )
    db.session.add(delivery)
    db.session.commit()
    return delivery


def test_admin_sees_and_retries_only_their_platforms_failures(app: Flask, client, peer: PlatformPeer) -> None:
    other = PlatformPeer(issuer="https://other-lms.example", client_id="other")
    try:
        other_platform = other.register()
        token = launch_token(client, peer, [ADMIN], "admin-1")
        from lti_app.models.platform import Platform

        own_platform = Platform.query.filter_by(issuer=peer.issuer).one()
        own = failed_delivery(own_platform.id, "learner-a")
        foreign = failed_delivery(other_platform.id, "learner-z")

        page = client.post("/admin/grades", data={"api_token": token})
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "learner-a" in html and "learner-z" not in html
        assert "missing scope &lt;score&gt;" in html

        retried = client.post(
            "/admin/grades/retry", data={"api_token": token, "delivery_id": [str(own.id), str(foreign.id)]}
        )
        assert retried.status_code == 200 and "1 score(s) put back in line" in retried.get_data(as_text=True)
        db.session.expire_all()
        assert db.session.get(ScoreDelivery, own.id).status == PENDING
        assert db.session.get(ScoreDelivery, foreign.id).status == FAILED
    finally:
        other.close()


def test_learners_and_missing_tokens_are_refused(client, peer: PlatformPeer) -> None:
    token = launch_token(client, peer, [LEARNER], "learner-1")
    assert client.post("/admin/grades", data={"api_token": token}).status_code == 403
    assert client.post("/admin/grades", data={}).status_code == 401
    assert client.post("/admin/grades/retry", data={"api_token": "forged"}).status_code == 401


def test_the_instructor_view_offers_administrators_the_grade_page(client, peer: PlatformPeer) -> None:
    from tests.api.launching import launch

    admin_page = client.post("/admin/grades", data={"api_token": launch(client, peer, roles=[ADMIN], sub="adm")})
    assert admin_page.status_code == 200
    params = login(client, peer)
    claims = peer.claims(params["nonce"], roles=[ADMIN], sub="adm")
    page = client.post("/lti/launch", data={"id_token": peer.sign(claims), "state": params["state"]})
    assert 'action="/admin/grades"' in page.get_data(as_text=True)
    params = login(client, peer)
    teacher = peer.claims(params["nonce"], roles=["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"])
    page = client.post("/lti/launch", data={"id_token": peer.sign(teacher), "state": params["state"]})
    assert 'action="/admin/grades"' not in page.get_data(as_text=True)


def test_admin_sees_why_scores_cannot_be_sent(app: Flask, client, peer: PlatformPeer) -> None:
    from lti_app import keyring
    from lti_app.models.grades import DEFERRED
    from lti_app.models.platform import Platform

    token = launch_token(client, peer, [ADMIN], "admin-1")
    own_platform = Platform.query.filter_by(issuer=peer.issuer).one()
    # The active key was made under the secret key the tool had before a redeploy changed it.
    key = keyring.rotate("the-secret-key-before-the-redeploy")
    blocked = failed_delivery(own_platform.id, "learner-a")
    blocked.status, blocked.attempts, blocked.last_status_code = DEFERRED, 0, None
    blocked.blocked_by = "signing_key"
    blocked.last_error = f"signing key {key.kid} cannot be decrypted: SECRET_KEY changed? <restore it>"
    db.session.commit()

    html = client.post("/admin/grades", data={"api_token": token}).get_data(as_text=True)

    assert "Scores cannot be sent to your platform." in html
    assert "1 score(s) are waiting, not sent." in html
    assert f"signing key {key.kid} cannot be decrypted: SECRET_KEY changed? &lt;restore it&gt;" in html
