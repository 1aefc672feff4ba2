"""`career-toolkit grades sync|status|retry`, ``delivery_status()`` and in-process delivery."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask
from flask.testing import FlaskCliRunner

from lti_app.extensions import db
from lti_app.grades import enqueue_score
from lti_app.grades.status import delivery_status
from tests.grades.ags_peer import AgsPeer
from tests.grades.conftest import make_launch


def test_sync_status_and_retry(grades_app: Flask, runner: FlaskCliRunner, peer: AgsPeer, platform: Any) -> None:
    url = peer.add_line_item("1")
    peer.ungradeable.add("late-joiner")
    for sub in ("a", "b", "late-joiner"):
        enqueue_score(make_launch(platform, sub=sub, line_item_url=url), score_given=1, score_maximum=2, completed=True)
    db.session.commit()

    result = runner.invoke(args=["grades", "sync"])
    assert result.exit_code == 0, result.output
    assert "delivered 2, deferred 0, failed 1" in result.output

    status = delivery_status()
    [row] = status["platforms"]
    assert (row["delivered"], row["failed"], row["pending"]) == (2, 1, 0)
    [failed] = status["failed"]
    assert failed["user_sub"] == "late-joiner" and failed["last_status_code"] == 400
    assert "not gradeable" in failed["last_error"]
    output = runner.invoke(args=["grades", "status"]).output
    assert "failed=1" in output and "late-joiner" in output

    peer.ungradeable.clear()
    assert "requeued 1" in runner.invoke(args=["grades", "retry", "--all-failed"]).output
    assert "delivered 1, deferred 0, failed 0" in runner.invoke(args=["grades", "sync"]).output
    assert runner.invoke(args=["grades", "retry", str(failed["id"])]).output.startswith("requeued 0")
    assert len(peer.state.accepted) == 3


def test_inline_delivery_after_commit(grades_app: Flask, peer: AgsPeer, platform: Any) -> None:
    grades_app.config["GRADE_DELIVERY"] = "inline"
    url = peer.add_line_item("1")
    session = make_launch(platform, line_item_url=url)

    enqueue_score(session, score_given=3, score_maximum=4, completed=True)
    assert peer.scores() == {}
    db.session.commit()

    deadline = time.monotonic() + 5
    while not peer.scores() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert peer.scores() == {("1", "learner-1"): 3.0}
    grades_app.config["GRADE_DELIVERY"] = "manual"


def test_a_rolled_back_score_wakes_nobody(grades_app: Flask, peer: AgsPeer, platform: Any) -> None:
    grades_app.config["GRADE_DELIVERY"] = "inline"
    session = make_launch(platform, line_item_url=peer.add_line_item("1"))
    enqueue_score(session, score_given=3, score_maximum=4, completed=True)
    db.session.rollback()
    assert "career_toolkit.grades.wake" not in db.session().info
    grades_app.config["GRADE_DELIVERY"] = "manual"
