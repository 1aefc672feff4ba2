"""Scores reach a real AGS peer exactly once, through faults, token expiry and same-second changes."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from lti_app.extensions import db
from lti_app.grades import enqueue_score
from lti_app.grades.outbox import parse_timestamp
from lti_app.models.grades import DELIVERED, FAILED, DeliveryAttempt, ScoreDelivery
from tests.grades.ags_peer import AgsPeer, Fault
from tests.grades.conftest import drain, make_launch, register_tool


def _score(session: Any, given: float, maximum: float = 10, completed: bool = True) -> ScoreDelivery:
    delivery = enqueue_score(session, score_given=given, score_maximum=maximum, completed=completed)
    assert delivery is not None
    db.session.commit()
    return delivery


def _rows() -> list[ScoreDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(select(ScoreDelivery).order_by(ScoreDelivery.id)))


def test_scores_arrive_once_with_one_token(grades_app: Flask, peer: AgsPeer, platform: Any) -> None:
    urls = [peer.add_line_item(str(n)) for n in range(3)]
    expected = {}
    for n, url in enumerate(urls):
        for learner in range(4):
            session = make_launch(platform, sub=f"learner-{learner}", line_item_url=url, link_id=f"link-{n}")
            _score(session, given=learner + n, completed=learner % 2 == 0)
            expected[(str(n), f"learner-{learner}")] = float(learner + n)

    summary = drain(grades_app)

    assert summary.delivered == 12 and summary.failed == summary.deferred == 0
    assert peer.scores() == expected
    assert set(peer.accepted_counts().values()) == {1}
    assert peer.state.token_requests == 1
    # `/scores` goes into the path, before Moodle's query string.
    assert all(url.endswith("/lineitem/scores?type_id=1") for url in peer.state.score_requests)
    first = peer.state.accepted[0][2]
    assert first["gradingProgress"] == "FullyGraded"
    assert first["activityProgress"] in ("Completed", "InProgress")
    assert first["timestamp"].endswith("Z") and len(first["timestamp"]) == 24
    assert {row.status for row in _rows()} == {DELIVERED}

    # Run again at any time: nothing acknowledged is sent again.
    assert drain(grades_app).attempts == 0
    assert len(peer.state.accepted) == 12


def test_transient_faults_are_retried_with_the_original_timestamp(
    grades_app: Flask, peer: AgsPeer, platform: Any
) -> None:
    url = peer.add_line_item("1")
    peer.faults.extend(
        [
            Fault("500"),
            Fault("timeout", seconds=0.6),
            Fault("429", seconds=0),
            Fault("503-date", seconds=0),
            Fault("502"),
        ]
    )
    delivery = _score(make_launch(platform, line_item_url=url), given=7)
    original = delivery.payload["timestamp"]

    summary = drain(grades_app)

    assert summary.delivered == 1
    assert peer.scores() == {("1", "learner-1"): 7.0}
    assert peer.accepted_counts() == {("1", "learner-1", original): 1}
    attempts = list(db.session.scalars(select(DeliveryAttempt).order_by(DeliveryAttempt.id)))
    assert [a.outcome for a in attempts] == ["retry", "timeout", "retry", "retry", "retry", "delivered"]
    assert [a.http_status for a in attempts] == [500, None, 429, 503, 502, 200]
    assert {a.score_timestamp for a in attempts} == {original}
    assert all(a.duration_ms > 0 for a in attempts)


def test_a_timed_out_score_the_platform_stored_is_not_sent_as_a_new_change(
    grades_app: Flask, peer: AgsPeer, platform: Any
) -> None:
    url = peer.add_line_item("1")
    peer.faults.append(Fault("timeout", seconds=0.6, store=True))
    delivery = _score(make_launch(platform, line_item_url=url), given=4)

    drain(grades_app)

    row = _rows()[0]
    assert row.status == DELIVERED and row.payload["timestamp"] == delivery.payload["timestamp"]
    assert peer.accepted_counts() == {("1", "learner-1", delivery.payload["timestamp"]): 1}


def test_expired_token_is_renewed_once(grades_app: Flask, peer: AgsPeer, platform: Any) -> None:
    url = peer.add_line_item("1")
    session = make_launch(platform, line_item_url=url)
    _score(session, given=1)
    drain(grades_app)
    peer.expire_tokens()
    _score(session, given=2)

    drain(grades_app)

    assert peer.state.token_requests == 2
    assert peer.scores() == {("1", "learner-1"): 2.0}


def test_a_second_401_after_renewal_defers(grades_app: Flask, peer: AgsPeer, platform: Any) -> None:
    url = peer.add_line_item("1")
    peer.faults.extend([Fault("401"), Fault("401")])
    _score(make_launch(platform, line_item_url=url), given=3)

    summary = drain(grades_app)

    assert summary.deferred == 1 and summary.delivered == 1
    attempts = list(db.session.scalars(select(DeliveryAttempt).order_by(DeliveryAttempt.id)))
    assert [(a.outcome, a.http_status) for a in attempts] == [("retry", 401), ("delivered", 200)]
    assert "401 after renewing" in (attempts[0].error or "")
    # Each attempt renews at most once: first token, its renewal (also refused), the next attempt's renewal.
    assert peer.state.token_requests == 3
    assert peer.scores() == {("1", "learner-1"): 3.0}


def test_permanent_failures_are_recorded_not_retried(grades_app: Flask, peer: AgsPeer, platform: Any) -> None:
    url = peer.add_line_item("1")
    peer.ungradeable.add("observer")
    _score(make_launch(platform, sub="observer", line_item_url=url), given=1)
    _score(make_launch(platform, sub="learner-2", line_item_url=peer.line_item_url("gone"), link_id="l2"), given=1)

    summary = drain(grades_app)

    assert summary.failed == 2
    rows = _rows()
    assert [(row.status, row.last_status_code, row.attempts) for row in rows] == [(FAILED, 400, 1), (FAILED, 404, 1)]
    assert "not gradeable" in (rows[0].last_error or "")


def test_missing_score_scope_is_a_permanent_403(grades_app: Flask) -> None:
    peer = AgsPeer(granted_scopes={"https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"})
    try:
        platform = register_tool(grades_app, peer)
        _score(make_launch(platform, line_item_url=peer.add_line_item("1")), given=1)
        assert drain(grades_app).failed == 1
        assert _rows()[0].last_status_code == 403
    finally:
        peer.close()


def test_attempts_are_bounded(grades_app: Flask, peer: AgsPeer, platform: Any) -> None:
    grades_app.config["GRADE_MAX_ATTEMPTS"] = 3
    from tests.grades.conftest import use_fresh_dispatcher

    use_fresh_dispatcher(grades_app)
    peer.faults.extend(Fault("500") for _ in range(5))
    _score(make_launch(platform, line_item_url=peer.add_line_item("1")), given=1)

    summary = drain(grades_app)

    row = _rows()[0]
    assert summary.failed == 1 and row.status == FAILED and row.attempts == 3
    assert (row.last_error or "").startswith("gave up after 3 attempts")


def test_same_second_change_gets_a_bumped_timestamp(grades_app: Flask, peer: AgsPeer, platform: Any) -> None:
    url = peer.add_line_item("1")
    session = make_launch(platform, line_item_url=url)
    first = _score(session, given=1)
    drain(grades_app)
    second = _score(session, given=2)
    # Make the second change fall in the same second as the first, as a quick learner does.
    second.payload = dict(second.payload, timestamp=first.payload["timestamp"][:20] + "999Z")
    second.original_timestamp = parse_timestamp(second.payload["timestamp"])
    db.session.commit()

    drain(grades_app)

    rows = _rows()
    assert rows[1].status == DELIVERED
    # max(original, last sent + 1 s): the only case a timestamp changes; the original stays on record.
    assert parse_timestamp(rows[1].payload["timestamp"]) == first.original_timestamp + timedelta(seconds=1)
    assert rows[1].original_timestamp == second.original_timestamp
    assert peer.state.refused[409] == 1
    assert peer.scores() == {("1", "learner-1"): 2.0}
    assert len(peer.state.accepted) == 2


def test_open_edx_refusal_of_a_repeat_counts_as_delivered(grades_app: Flask) -> None:
    peer = AgsPeer(style="openedx")
    try:
        platform = register_tool(grades_app, peer)
        url = peer.add_line_item("1")
        peer.faults.append(Fault("timeout", seconds=0.6, store=True))
        delivery = _score(make_launch(platform, line_item_url=url), given=5)
        drain(grades_app)
        assert _rows()[0].status == DELIVERED
        assert peer.accepted_counts() == {("1", "learner-1", delivery.payload["timestamp"]): 1}
        assert peer.state.refused[400] == 1
    finally:
        peer.close()


def test_only_the_latest_waiting_change_goes_out(grades_app: Flask, peer: AgsPeer, platform: Any) -> None:
    url = peer.add_line_item("1")
    session = make_launch(platform, line_item_url=url)
    for given in (1, 2, 3):
        _score(session, given=given)

    drain(grades_app)

    assert [row.status for row in _rows()] == ["superseded", "superseded", DELIVERED]
    assert len(peer.state.accepted) == 1 and peer.scores() == {("1", "learner-1"): 3.0}


def test_retry_after_pauses_the_whole_platform(grades_app: Flask, peer: AgsPeer, platform: Any) -> None:
    grades_app.config["GRADE_CONCURRENCY"] = grades_app.config["GRADE_PLATFORM_CONCURRENCY"] = 1
    from tests.grades.conftest import use_fresh_dispatcher

    use_fresh_dispatcher(grades_app)
    url = peer.add_line_item("1")
    peer.faults.append(Fault("429", seconds=1))
    for sub in ("a", "b", "c"):
        _score(make_launch(platform, sub=sub, line_item_url=url), given=1)
    started = time.monotonic()

    summary = drain(grades_app)

    assert time.monotonic() - started >= 1.0
    assert summary.delivered == 3 and peer.state.refused == {}
    attempts = list(db.session.scalars(select(DeliveryAttempt).order_by(DeliveryAttempt.id)))
    # One refusal, then nothing sent until the platform's Retry-After passed; paused scores log no attempt.
    assert [a.http_status for a in attempts] == [429, 200, 200, 200]
    assert sorted(row.attempts for row in _rows()) == [1, 1, 2]
