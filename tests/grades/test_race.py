"""Newest last, also in the race: a change in flight when a newer one arrives never goes out after the newer one.

The interleavings are made deterministic with the real pieces: the AGS peer holds the older score's request until
the test lets it answer, and an SQLAlchemy event on the engine commits the newer change from another thread at
the exact point between the dispatcher reading the outbox and writing its result.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select

from lti_app.extensions import db
from lti_app.grades import enqueue_score
from lti_app.models.grades import DELIVERED, SUPERSEDED, ScoreDelivery
from lti_app.models.people import LaunchSession
from tests.grades.ags_peer import AgsPeer, Fault
from tests.grades.conftest import drain, make_launch

STYLES = ["lenient", "moodle", "openedx"]


def _score(session: Any, given: float) -> ScoreDelivery:
    delivery = enqueue_score(session, score_given=given, score_maximum=10, completed=True)
    assert delivery is not None
    db.session.commit()
    return delivery


def _row(delivery_id: int) -> ScoreDelivery:
    db.session.expire_all()
    row = db.session.get(ScoreDelivery, delivery_id)
    assert row is not None
    return row


def _sent_timestamps(peer: AgsPeer) -> list[str]:
    return [payload["timestamp"] for payload in peer.state.received]


@pytest.mark.parametrize("style", STYLES)
def test_a_change_failing_in_flight_is_never_sent_after_the_newer_one(
    grades_app: Flask, peer: AgsPeer, platform: Any, style: str
) -> None:
    peer.style = style
    url = peer.add_line_item("1")
    session = make_launch(platform, line_item_url=url)
    answer = threading.Event()
    peer.faults.append(Fault("503", hold=answer))
    older = _score(session, 1)
    summaries: list[Any] = []
    worker = threading.Thread(target=lambda: summaries.append(drain(grades_app, wait=2.0)))
    worker.start()
    try:
        # The older change is at the platform, not yet answered, when the learner's newer change is committed.
        assert peer.holding.wait(5)
        newer = _score(session, 2)
    finally:
        answer.set()  # ... and now the platform fails the older one with a retryable 503.
        worker.join(20)
    assert not worker.is_alive()

    assert peer.scores() == {("1", "learner-1"): 2.0}
    # The platform saw the older change once (the failed attempt), then the newer one, and nothing after it.
    assert _sent_timestamps(peer) == [older.payload["timestamp"], newer.payload["timestamp"]]
    assert _row(newer.id).status == DELIVERED
    older_row = _row(older.id)
    assert (older_row.status, older_row.superseded_by_id) == (SUPERSEDED, newer.id)
    # Run again at any time: nothing more goes out.
    assert drain(grades_app, wait=0).attempts == 0
    assert len(peer.state.received) == 2


@pytest.mark.parametrize("style", STYLES)
def test_a_newer_change_committed_while_the_failure_is_recorded_still_wins(
    grades_app: Flask, peer: AgsPeer, platform: Any, style: str
) -> None:
    """The narrowest window: the dispatcher has looked for newer changes (none yet), then the newer one commits,
    then the dispatcher writes the older one back as deferred. The claim must still never take it again."""
    peer.style = style
    url = peer.add_line_item("1")
    session = make_launch(platform, line_item_url=url)
    session_id = session.id
    peer.faults.append(Fault("503"))
    older = _score(session, 1)
    newer_ids: list[int] = []

    def commit_newer_change() -> None:
        with grades_app.app_context():
            launch = db.session.get(LaunchSession, session_id)
            newer_ids.append(_score(launch, 2).id)
            db.session.remove()

    def after_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # The dispatcher's "newest change per grade" read, made while recording the older change's failure.
        if not newer_ids and "max(" in statement.lower() and "group by" in statement.lower():
            helper = threading.Thread(target=commit_newer_change)
            helper.start()
            helper.join(10)

    engine = db.engine
    event.listen(engine, "after_cursor_execute", after_execute)
    try:
        summary = drain(grades_app, wait=2.0)
    finally:
        event.remove(engine, "after_cursor_execute", after_execute)

    [newer_id] = newer_ids
    newer = _row(newer_id)
    older_row = _row(older.id)
    # The window was hit: the older change was written back as deferred (its 503 recorded), not superseded then.
    assert older_row.last_status_code == 503
    assert peer.scores() == {("1", "learner-1"): 2.0}
    assert _sent_timestamps(peer) == [older.payload["timestamp"], newer.payload["timestamp"]]
    assert newer.status == DELIVERED
    assert (older_row.status, older_row.superseded_by_id) == (SUPERSEDED, newer.id)
    assert summary.delivered == 1


def test_only_the_newest_change_of_a_grade_is_ever_claimed(grades_app: Flask, peer: AgsPeer, platform: Any) -> None:
    """Whatever state the outbox is left in, an older waiting change is not taken while a newer one exists."""
    from lti_app.grades.outbox import claim
    from lti_app.models.grades import DEFERRED

    url = peer.add_line_item("1")
    session = make_launch(platform, line_item_url=url)
    older = _score(session, 1)
    newer = _score(session, 2)
    # As a lost race leaves it: the older change back in line (deferred, due), the newer one pending.
    db.session.execute(
        ScoreDelivery.__table__.update()
        .where(ScoreDelivery.id == older.id)
        .values(status=DEFERRED, superseded_by_id=None, next_attempt_at=older.next_attempt_at)
    )
    db.session.commit()

    claimed = claim(10, "worker-a", lease_seconds=60)

    assert [c.id for c in claimed] == [newer.id]
    assert db.session.scalars(select(ScoreDelivery.id).where(ScoreDelivery.status == DEFERRED)).all() == [older.id]
