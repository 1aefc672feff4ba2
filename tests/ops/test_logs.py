"""Structured logs: a request id per request, carried onto the scores it causes and into their delivery's logs."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from lti_app import logs
from lti_app.extensions import db
from lti_app.models.grades import DELIVERED, ScoreDelivery
from lti_app.models.platform import Platform
from tests.api.launching import launch
from tests.grades.ags_peer import AgsPeer
from tests.grades.conftest import use_fresh_dispatcher
from tests.lti.platform_peer import PlatformPeer

STRENGTHS = {
    "strengths": [
        {"strength": f"Strength {n}", "example": "I used it last week to fix a hard problem for my whole team"}
        for n in range(3)
    ],
    "use_more": "I could lead the weekly planning meeting and mentor the two new starters on the team",
}


def test_a_well_formed_request_id_is_kept_and_answered(client: Any) -> None:
    response = client.get("/lti/config", headers={"X-Request-ID": "lb-7f3a9c:01"})
    assert response.headers["X-Request-ID"] == "lb-7f3a9c:01"


@pytest.mark.parametrize("header", [None, "", "has space", "x" * 65, "<script>", "-starts-with-dash", "a\u00e9b"])
def test_otherwise_a_new_one_is_made(client: Any, header: str | None) -> None:
    headers = {"X-Request-ID": header} if header is not None else {}
    first = client.get("/lti/config", headers=headers).headers["X-Request-ID"]
    second = client.get("/lti/config", headers=headers).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


def test_json_lines_carry_the_fields_operators_search_by() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(logs.json_formatter())
    logger = logging.getLogger("career_toolkit.test.json")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        with logs.request_id_bound("req-42"):
            logger.info("score %s sent", 7, extra={"delivery_id": 7, "http_status": 200})
        logger.warning("outside a request")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "score 7 sent" and first["level"] == "INFO"
    assert first["logger"] == "career_toolkit.test.json" and first["request_id"] == "req-42"
    assert first["delivery_id"] == 7 and first["http_status"] == 200
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", first["timestamp"])
    assert second["request_id"] is None and second["level"] == "WARNING"


@pytest.fixture()
def json_logging() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    yield
    for handler in list(root.handlers):
        if handler.get_name() == "career-toolkit":
            root.removeHandler(handler)
    root.setLevel(level)


def test_the_setting_installs_the_json_handler(migrated_app: Flask, json_logging: None, tmp_path: Any) -> None:
    from lti_app import create_app

    create_app({"TESTING": True, "LOG_FORMAT": "json", "SECRET_KEY": "s" * 32, "INSTANCE_PATH": str(tmp_path)})
    [handler] = [h for h in logging.getLogger().handlers if h.get_name() == "career-toolkit"]
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    assert handler.filter(record)
    assert json.loads(handler.format(record)) == {
        "timestamp": json.loads(handler.format(record))["timestamp"],
        "level": "INFO",
        "logger": "x",
        "message": "hello",
        "request_id": None,
    }


def test_a_delivery_is_traced_to_the_request_that_caused_it(
    app: Flask, client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from lti_app import keyring
    from lti_app.career.frameworks import load_onet_framework
    from lti_app.grades.dispatch import get_dispatcher

    load_onet_framework()
    lms, gradebook = PlatformPeer(issuer="https://lms-a.example.edu"), AgsPeer()
    try:
        lms.register()
        db.session.query(Platform).update({"auth_token_url": gradebook.token_url})
        db.session.commit()
        keyring.ensure_active_key(app.config["SECRET_KEY"])
        gradebook.jwks = keyring.published_jwks()
        token = launch(
            client,
            lms,
            custom={"component": "reflection", "exercise": "strengths"},
            line_item=gradebook.add_line_item("4"),
        )

        answer = client.put(
            "/api/v1/reflections/strengths",
            json={"answers": STRENGTHS},
            headers={"Authorization": f"Bearer {token}", "X-Request-ID": "req-from-the-lb-1"},
        )
        assert answer.status_code == 200 and answer.headers["X-Request-ID"] == "req-from-the-lb-1"
        [delivery] = db.session.scalars(select(ScoreDelivery)).all()
        assert delivery.request_id == "req-from-the-lb-1"

        use_fresh_dispatcher(app)
        with caplog.at_level(logging.INFO, logger="lti_app.grades.dispatch"):
            get_dispatcher(app).drain()
        db.session.expire_all()
        assert db.session.get(ScoreDelivery, delivery.id).status == DELIVERED
        [line] = [r for r in caplog.records if r.name == "lti_app.grades.dispatch"]
        assert line.request_id == "req-from-the-lb-1"  # type: ignore[attr-defined]
        assert line.getMessage() == f"grade delivery {delivery.id}: delivered (200)"
        as_json = json.loads(logs.json_formatter().format(line))
        assert as_json["request_id"] == "req-from-the-lb-1" and as_json["outcome"] == "delivered"
    finally:
        use_fresh_dispatcher(app)
        lms.close()
        gradebook.close()
