"""``GET /healthz``: a load balancer's view of whether this worker can serve."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError


def test_healthy_when_the_database_answers(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok"}}
    assert response.headers["Cache-Control"] == "no-store"


def test_unavailable_when_the_database_does_not(app: Flask, client: FlaskClient, monkeypatch) -> None:
    from lti_app.extensions import db

    def refuse(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused to db.internal:5432"))

    monkeypatch.setattr(db.session, "execute", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "checks": {"database": "unavailable"}}
    assert "db.internal" not in response.get_data(as_text=True)


def test_needs_no_token_and_ignores_one(client: FlaskClient) -> None:
    response = client.get("/healthz", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 200
