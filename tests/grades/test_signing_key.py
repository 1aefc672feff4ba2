"""A delivery that cannot sign (SECRET_KEY changed, the private key cannot be decrypted) fails loudly."""

from __future__ import annotations

import json
import time
from typing import Any

from flask import Flask
from flask.testing import FlaskCliRunner

from lti_app.extensions import db
from lti_app.grades import enqueue_score
from lti_app.models.grades import DEFERRED, DELIVERED, DeliveryAttempt, ScoreDelivery
from tests.grades.ags_peer import AgsPeer
from tests.grades.conftest import make_launch

REASON = "cannot be decrypted: SECRET_KEY changed?"


def _owe_scores(platform: Any, peer: AgsPeer, count: int = 2) -> None:
    url = peer.add_line_item("1")
    for n in range(count):
        session = make_launch(platform, sub=f"l{n}", line_item_url=url)
        enqueue_score(session, score_given=1, score_maximum=2, completed=True)
    db.session.commit()


def test_sync_says_why_nothing_was_sent_and_the_rows_keep_the_reason(
    grades_app: Flask, runner: FlaskCliRunner, peer: AgsPeer, platform: Any
) -> None:
    _owe_scores(platform, peer)
    original = grades_app.config["SECRET_KEY"]
    grades_app.config["SECRET_KEY"] = "a-new-secret-after-a-redeploy"

    result = runner.invoke(args=["grades", "sync"])

    assert result.exit_code == 1
    assert "2 score(s) not sent: signing key" in result.output and REASON in result.output
    assert "(0 attempts)" in result.output  # honest: nothing reached the platform, and the next line says why
    db.session.expire_all()
    rows = db.session.query(ScoreDelivery).all()
    assert {(row.status, row.blocked_by, row.attempts) for row in rows} == {(DEFERRED, "signing_key", 0)}
    assert all(REASON in (row.last_error or "") for row in rows)
    assert db.session.query(DeliveryAttempt).count() == 0
    assert peer.state.token_requests == 0

    # Fixed (the old secret restored): the same scores go out, and the reason is cleared.
    grades_app.config["SECRET_KEY"] = original
    time.sleep(0.06)  # the blocked scores' short test backoff
    fixed = runner.invoke(args=["grades", "sync"])
    assert fixed.exit_code == 0, fixed.output
    assert "delivered 2" in fixed.output
    db.session.expire_all()
    assert {(row.status, row.blocked_by) for row in db.session.query(ScoreDelivery)} == {(DELIVERED, None)}


def test_status_shows_the_problem_per_platform_and_exits_non_zero(
    grades_app: Flask, runner: FlaskCliRunner, peer: AgsPeer, platform: Any
) -> None:
    _owe_scores(platform, peer)
    assert runner.invoke(args=["grades", "status"]).exit_code == 0
    grades_app.config["SECRET_KEY"] = "a-new-secret-after-a-redeploy"
    runner.invoke(args=["grades", "sync"])

    text = runner.invoke(args=["grades", "status"])
    assert text.exit_code == 1
    assert "NO SCORE CAN BE SENT" in text.output
    assert "Peer LMS" in text.output and "blocked=2" in text.output
    assert "  blocked: signing key ct-" in text.output and REASON in text.output

    as_json = runner.invoke(args=["grades", "status", "--json"])
    assert as_json.exit_code == 1
    status = json.loads(as_json.output)
    [row] = status["platforms"]
    assert row["blocked"] == 2 and REASON in row["problem"]
    assert REASON in status["signing_key_problem"] and status["problems"] is True
