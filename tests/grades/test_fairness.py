"""Delivery under backlog: a claim costs the batch, not the backlog, and no score waits behind others' retries."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import insert, text

from lti_app.extensions import db
from lti_app.grades import enqueue_score
from lti_app.grades.outbox import _statements, score_key
from lti_app.models.base import utcnow
from lti_app.models.grades import DEFERRED, DELIVERED, PENDING, ScoreDelivery
from tests.grades.conftest import drain, make_launch, use_fresh_dispatcher


def _backlog(platform: Any, url: str, learners: int) -> None:
    for n in range(learners):
        session = make_launch(platform, sub=f"learner-{n:03d}", line_item_url=url, commit=False)
        enqueue_score(session, score_given=n % 10, score_maximum=10, completed=True)
    db.session.commit()


def _attempt_numbers(received: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """(user, which attempt of theirs) for every score the platform received, in the order it received them."""
    seen: Counter[str] = Counter()
    numbered = []
    for payload in received:
        seen[payload["userId"]] += 1
        numbered.append((payload["userId"], seen[payload["userId"]]))
    return numbered


def test_every_score_is_tried_once_before_any_is_retried(grades_app: Flask, peer: Any, platform: Any) -> None:
    # One sending thread, so the platform receives scores in exactly the order they were claimed; and time
    # for the platform to answer (a request given up on by a short timeout can reach the platform after the
    # next one, on a busy machine, which is not what this test is about).
    grades_app.config.update(
        GRADE_HTTP_TIMEOUT_SECONDS=10.0,
        GRADE_CONCURRENCY=1,
        GRADE_PLATFORM_CONCURRENCY=1,
        GRADE_BATCH_SIZE=10,
        GRADE_MAX_ATTEMPTS=3,
        GRADE_BACKOFF_BASE_SECONDS=0.0,
        GRADE_BACKOFF_CAP_SECONDS=0.0,
    )
    use_fresh_dispatcher(grades_app)
    peer.failing = 503  # fails fast, every time
    _backlog(platform, peer.add_line_item("1"), 45)

    summary = drain(grades_app, wait=2.0)

    numbered = _attempt_numbers(peer.state.received)
    assert summary.failed == 45 and len(numbered) == 45 * 3
    # Rounds: every score's first attempt, then every score's second, then every third.
    assert [attempt for _, attempt in numbered] == [1] * 45 + [2] * 45 + [3] * 45


def test_with_parallel_senders_no_score_is_tried_a_third_time_before_all_were_tried(
    grades_app: Flask, peer: Any, platform: Any
) -> None:
    grades_app.config.update(
        GRADE_CONCURRENCY=4, GRADE_BATCH_SIZE=8, GRADE_MAX_ATTEMPTS=4, GRADE_BACKOFF_BASE_SECONDS=0.001
    )
    use_fresh_dispatcher(grades_app)
    peer.failing = 500
    _backlog(platform, peer.add_line_item("1"), 60)

    drain(grades_app, wait=2.0)

    numbered = _attempt_numbers(peer.state.received)
    last_first = max(index for index, (_, attempt) in enumerate(numbered) if attempt == 1)
    first_third = min(index for index, (_, attempt) in enumerate(numbered) if attempt == 3)
    assert last_first < first_third
    assert {user for user, _ in numbered} == {f"learner-{n:03d}" for n in range(60)}


def _fill(platform_id: int, delivered: int, waiting: int) -> None:
    """A large outbox straight into the table: mostly delivered history, some waiting (half of them retries)."""
    now = utcnow()
    rows = []
    for n in range(delivered + waiting):
        status = DELIVERED if n < delivered else (PENDING if n % 2 else DEFERRED)
        rows.append(
            {
                "platform_id": platform_id,
                "line_item_url": "https://lms.example/lineitems/1",
                "user_sub": f"u{n}",
                "score_key": score_key(platform_id, "https://lms.example/lineitems/1", f"u{n}"),
                "payload": {"userId": f"u{n}", "scoreGiven": 1.0, "scoreMaximum": 1.0},
                "original_timestamp": now,
                "status": status,
                "attempts": 0 if status == PENDING else 1,
                "next_attempt_at": now - timedelta(seconds=(delivered + waiting - n)),
                "created_at": now,
            }
        )
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(ScoreDelivery.__table__), rows[start : start + 5000])
    db.session.commit()


def claim_plan() -> str:
    """The database's plan for the claim's candidate query, as text."""
    connection = db.session.connection()
    # What `claim` runs: on PostgreSQL with FOR UPDATE SKIP LOCKED.
    statement = _statements().due_locked if connection.dialect.name == "postgresql" else _statements().due
    compiled = statement.compile(dialect=connection.dialect)
    if connection.dialect.name == "postgresql":
        connection.execute(text("ANALYZE score_delivery"))
        prefix = "EXPLAIN "
    else:
        connection.execute(text("ANALYZE"))
        prefix = "EXPLAIN QUERY PLAN "
    rows = connection.exec_driver_sql(prefix + str(compiled), _driver_params(compiled, connection.dialect.name))
    plan = "\n".join(" ".join(str(part) for part in row) for row in rows)
    db.session.rollback()
    return plan


def _driver_params(compiled: Any, dialect: str) -> Any:
    values = compiled.construct_params({"now": utcnow(), "limit": 100})
    if dialect == "postgresql":
        return values
    return tuple(values[name] for name in compiled.positiontup)


def test_the_claim_reads_the_due_index_not_the_backlog(grades_app: Flask, platform: Any) -> None:
    _fill(platform.id, delivered=30_000, waiting=6_000)

    plan = claim_plan()
    print("\n" + plan)  # the report quotes it

    assert "ix_score_delivery_due" in plan
    if db.engine.dialect.name == "postgresql":
        # An ordered index scan stopped by the LIMIT: no sort of every due row.
        assert "Sort" not in plan.split("SubPlan")[0]
    else:
        assert "TEMP B-TREE" not in plan
