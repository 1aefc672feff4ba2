"""The outbox: what enqueue adds, superseding, and claiming under a lease."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, select, update

from lti_app.extensions import db
from lti_app.grades import enqueue_score
from lti_app.grades.ags import classify, retry_after_seconds, scores_url
from lti_app.grades.outbox import backoff_seconds, bumped_timestamp, claim, parse_timestamp
from lti_app.models.base import utcnow
from lti_app.models.grades import DELIVERING, PENDING, SUPERSEDED, ScoreDelivery
from tests.grades.ags_peer import SCOPE_LINEITEM, SCOPE_SCORE
from tests.grades.conftest import make_launch

LINE_ITEM = "https://moodle.example.edu/mod/lti/services.php/2/lineitems/7/lineitem?type_id=1"


def _count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(ScoreDelivery)) or 0)


def test_enqueue_adds_a_pending_score_for_the_launch(grades_app: Flask, platform: Any) -> None:
    session = make_launch(platform, sub="ada", line_item_url=LINE_ITEM)

    delivery = enqueue_score(session, score_given=8, score_maximum=10, completed=True, comment="Plan done")

    assert delivery is not None and delivery.status == PENDING
    assert delivery.line_item_url == LINE_ITEM and delivery.user_sub == "ada"
    assert delivery.payload == {
        "userId": "ada",
        "scoreGiven": 8.0,
        "scoreMaximum": 10.0,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": delivery.payload["timestamp"],
        "comment": "Plan done",
    }
    assert parse_timestamp(delivery.payload["timestamp"]) == delivery.original_timestamp
    # Not committed: the caller's rollback takes it away with the evidence record.
    db.session.rollback()
    assert _count() == 0


def test_in_progress_and_the_stored_line_item_wins(grades_app: Flask, platform: Any) -> None:
    session = make_launch(platform, line_item_url="https://lms/deep-linked", store_on_link=True)
    session.claims = {
        "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {"lineitem": LINE_ITEM, "scope": [SCOPE_SCORE]}
    }
    delivery = enqueue_score(session, score_given=0, score_maximum=10, completed=False)
    assert delivery is not None
    assert delivery.line_item_url == "https://lms/deep-linked"
    assert delivery.payload["activityProgress"] == "InProgress" and "comment" not in delivery.payload


def test_nothing_is_enqueued_without_a_line_item_or_the_score_scope(grades_app: Flask, platform: Any) -> None:
    no_line_item = make_launch(platform, sub="a")
    no_scope = make_launch(platform, sub="b", line_item_url=LINE_ITEM, scopes=(SCOPE_LINEITEM,), link_id="x")

    assert enqueue_score(no_line_item, score_given=1, score_maximum=1, completed=True) is None
    assert enqueue_score(no_scope, score_given=1, score_maximum=1, completed=True) is None
    assert _count() == 0


def test_a_newer_change_supersedes_a_waiting_one_but_not_one_in_flight(grades_app: Flask, platform: Any) -> None:
    session = make_launch(platform, line_item_url=LINE_ITEM)
    first = enqueue_score(session, score_given=1, score_maximum=10, completed=False)
    second = enqueue_score(session, score_given=2, score_maximum=10, completed=False)
    db.session.commit()
    assert first is not None and second is not None
    db.session.refresh(first)
    assert (first.status, first.superseded_by_id) == (SUPERSEDED, second.id)

    [claimed] = claim(10, "worker-a", lease_seconds=60)
    assert claimed.id == second.id
    third = enqueue_score(session, score_given=3, score_maximum=10, completed=True)
    db.session.commit()
    db.session.refresh(second)
    assert second.status == DELIVERING and third is not None
    # The same grade is never delivered by two workers at once: the third waits for the second.
    assert claim(10, "worker-b", lease_seconds=60) == []


def test_a_claim_is_exclusive_until_its_lease_runs_out(grades_app: Flask, platform: Any) -> None:
    for n in range(5):
        enqueue_score(
            make_launch(platform, sub=f"u{n}", line_item_url=LINE_ITEM), score_given=n, score_maximum=5, completed=True
        )
    db.session.commit()

    first = claim(3, "worker-a", lease_seconds=60)
    second = claim(10, "worker-b", lease_seconds=60)

    assert len(first) == 3 and len(second) == 2
    assert not {c.id for c in first} & {c.id for c in second}
    assert claim(10, "worker-c", lease_seconds=60) == []
    # worker-a died: its lease runs out and worker-c takes its scores, counting the lost attempt.
    db.session.execute(
        update(ScoreDelivery)
        .where(ScoreDelivery.claimed_by == "worker-a")
        .values(lease_expires_at=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    reclaimed = claim(10, "worker-c", lease_seconds=60)
    assert sorted(c.id for c in reclaimed) == sorted(c.id for c in first)
    assert {c.attempts for c in reclaimed} == {2}


def test_scores_url_goes_into_the_path() -> None:
    assert scores_url(LINE_ITEM) == (
        "https://moodle.example.edu/mod/lti/services.php/2/lineitems/7/lineitem/scores?type_id=1"
    )
    assert scores_url("https://lms/lineitems/3/") == "https://lms/lineitems/3/scores"
    assert scores_url("https://lms/lineitems/3") == "https://lms/lineitems/3/scores"


def test_answers_are_classified() -> None:
    assert classify(204, "") == "delivered"
    assert classify(409, "") == "conflict"
    assert classify(400, '{"timestamp": ["Score timestamp can only be updated to a later point in time"]}') == (
        "conflict"
    )
    assert classify(400, '{"timestamp": ["Score already exists for the provided timestamp"]}') == "already"
    assert classify(400, "User not gradeable") == "failed"
    assert [classify(code, "") for code in (403, 404, 422)] == ["failed"] * 3
    assert [classify(code, "") for code in (429, 500, 502, 503, 504, 408)] == ["retry"] * 6


def test_retry_after_and_backoff() -> None:
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert 0 <= backoff_seconds(1, 2, 60) <= 2
    assert 0 <= backoff_seconds(10, 2, 60) <= 60
    assert backoff_seconds(1, 2, 60, retry_after=30) >= 30
    assert backoff_seconds(1, 2, 60, retry_after=9999) <= 60


def test_bumped_timestamp_is_the_later_of_original_and_last_sent_plus_one_second() -> None:
    original = parse_timestamp("2026-01-01T10:00:00.900Z")
    last = parse_timestamp("2026-01-01T10:00:00.200Z")
    assert bumped_timestamp(original, last, original) == parse_timestamp("2026-01-01T10:00:01.200Z")
    assert bumped_timestamp(original, parse_timestamp("2026-01-01T09:00:00.000Z"), original) == original
    again = parse_timestamp("2026-01-01T10:00:01.200Z")
    assert bumped_timestamp(original, last, again) == parse_timestamp("2026-01-01T10:00:02.200Z")
