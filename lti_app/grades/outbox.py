"""The grade outbox: a score owed to an LMS is added in the same transaction as the completion that caused it."""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, bindparam, func, insert, literal_column, or_, select, update
from sqlalchemy.exc import OperationalError

from lti_app.extensions import db
from lti_app.grades import protocol
from lti_app.grades.protocol import (
    AGS_ENDPOINT,
    BLOCKED_SIGNING_KEY,
    COMPLETED,
    FULLY_GRADED,
    IN_PROGRESS,
    SCOPE_LINEITEM,
    SCOPE_LINEITEM_READONLY,
    SCOPE_RESULT_READONLY,
    SCOPE_SCORE,
)
from lti_app.logs import current_request_id
from lti_app.models.base import utcnow
from lti_app.models.grades import (
    DEFERRED,
    DELIVERED,
    DELIVERING,
    FAILED,
    PENDING,
    SUPERSEDED,
    DeliveryAttempt,
    ScoreDelivery,
)
from lti_app.models.people import LaunchSession

__all__ = [
    "AGS_ENDPOINT",
    "SCOPE_LINEITEM",
    "SCOPE_LINEITEM_READONLY",
    "SCOPE_RESULT_READONLY",
    "SCOPE_SCORE",
    "ClaimedScore",
    "claim",
    "dispatch_after_commit",
    "enqueue_score",
    "record",
]

# Set on the session by `dispatch_after_commit`; the trigger `grades.init_app` registers reads it after a commit.
WAKE_KEY = "career_toolkit.grades.wake"


def _waiting() -> Any:
    """``status IN ('pending', 'deferred')`` with literal values: the partial index's own predicate."""
    return ScoreDelivery.__table__.c.status.in_([literal_column("'pending'"), literal_column("'deferred'")])


def ags_endpoint(session: LaunchSession) -> dict[str, Any]:
    """The launch's AGS endpoint claim ({lineitem, lineitems, scope}), empty when the platform sent none."""
    claim = (session.claims or {}).get(AGS_ENDPOINT)
    return claim if isinstance(claim, dict) else {}


def line_item_for(session: LaunchSession) -> str | None:
    """The line item a launch's scores go to: the one stored on the resource link, else the launch claim's."""
    if session.resource_link is not None and session.resource_link.line_item_url:
        return session.resource_link.line_item_url
    line_item = ags_endpoint(session).get("lineitem")
    return str(line_item) if line_item else None


def score_key(platform_id: int, line_item_url: str, user_sub: str) -> str:
    """One grade = one (platform, line item, user); later changes to it supersede earlier ones."""
    raw = f"{platform_id}\n{line_item_url}\n{user_sub}".encode()
    return hashlib.sha256(raw).hexdigest()


def format_timestamp(moment: datetime) -> str:
    """ISO 8601 with milliseconds and Z, the form every LMS we know parses."""
    moment = moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_timestamp(text: str) -> datetime:
    """The aware UTC datetime of a timestamp written by ``format_timestamp``."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _now_ms() -> datetime:
    now = utcnow()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def enqueue_score(
    session: LaunchSession,
    *,
    score_given: float,
    score_maximum: float,
    completed: bool,
    comment: str | None = None,
) -> ScoreDelivery | None:
    """Add (not commit) a pending score for the launch's line item and user; the caller commits it.

    The timestamp is fixed now and kept by every retry. A still-waiting score for the same line item and user is
    superseded: only the latest change goes out. Returns None, adding nothing, when the launch has no AGS line
    item or the platform did not grant the score scope.
    """
    endpoint = ags_endpoint(session)
    line_item_url = line_item_for(session)
    if not line_item_url or SCOPE_SCORE not in (endpoint.get("scope") or []):
        return None
    user_sub = session.user.sub
    key = score_key(session.platform_id, line_item_url, user_sub)
    timestamp = _now_ms()
    payload: dict[str, Any] = {
        "userId": user_sub,
        "scoreGiven": float(score_given),
        "scoreMaximum": float(score_maximum),
        "activityProgress": COMPLETED if completed else IN_PROGRESS,
        "gradingProgress": FULLY_GRADED,
        "timestamp": format_timestamp(timestamp),
    }
    if comment:
        payload["comment"] = comment
    delivery = ScoreDelivery(
        platform_id=session.platform_id,
        line_item_url=line_item_url,
        user_sub=user_sub,
        score_key=key,
        payload=payload,
        original_timestamp=timestamp,
        status=PENDING,
        attempts=0,
        next_attempt_at=timestamp,
        launch_session_id=session.id,
        request_id=current_request_id(),
        created_at=timestamp,
    )
    db.session.add(delivery)
    db.session.flush()
    # Conditional: a score a worker has already claimed (delivering) is left to finish; the new one waits for it.
    db.session.connection().execute(_statements().supersede, {"key": key, "new_id": delivery.id})
    dispatch_after_commit()
    return delivery


def dispatch_after_commit() -> None:
    """Ask for delivery once the current transaction commits (inline thread or queue, by GRADE_DELIVERY)."""
    mode = current_app.config.get("GRADE_DELIVERY", "inline")
    if mode in ("inline", "queue"):
        db.session().info[WAKE_KEY] = current_app._get_current_object()  # type: ignore[attr-defined]


def last_delivered_timestamp(key: str, *, exclude_id: int | None = None) -> datetime | None:
    """The newest timestamp the platform acknowledged for this grade (bumped or not)."""
    rows = db.session.execute(
        db.select(ScoreDelivery.id, ScoreDelivery.payload).where(
            ScoreDelivery.score_key == key, ScoreDelivery.status == DELIVERED
        )
    ).all()
    stamps = [parse_timestamp(payload["timestamp"]) for row_id, payload in rows if row_id != exclude_id]
    return max(stamps) if stamps else None


def bumped_timestamp(original: datetime, last_sent: datetime | None, current: datetime) -> datetime:
    """The one case a timestamp changes: the platform refused it as not newer (at 1-second resolution).

    The new timestamp is max(original, last_sent + 1 s) and, on a repeated refusal, current + 1 s.
    """
    candidates = [original, (last_sent or original) + timedelta(seconds=1)]
    if current > original:
        candidates.append(current + timedelta(seconds=1))
    return max(candidates)


# --- Claiming and recording: the dispatcher's side of the outbox -------------------------------------------------
#
# Two rules keep "newest last" whatever the interleaving of requests and workers:
# - a change is claimed only while it is its grade's newest (no later change of the same grade exists that is
#   not superseded), and never while another change of the grade is in flight;
# - a change that comes back to wait (deferred, paused, refused as not newer) while a newer change exists is
#   superseded, not put back in line; and when a change is final (delivered or failed), the older ones still
#   waiting are superseded. A change that was in flight when a newer one arrived can therefore never go out after
#   it, even when its failure is recorded before the newer change's transaction becomes visible.
#
# Fairness: due scores are taken by due time (``next_attempt_at, id``) from a partial index on waiting rows, so a
# claim reads one batch, not the backlog; a retry is due only after its backoff, behind every score that fell due
# before it, so retries never starve scores that were never tried.


@dataclass(frozen=True)
class ClaimedScore:
    """A score a worker holds under lease, copied off the row so HTTP threads never touch the session."""

    id: int
    platform_id: int
    line_item_url: str
    user_sub: str
    score_key: str
    payload: dict[str, Any]
    original_timestamp: datetime
    attempts: int
    request_id: str | None = None


class _Statements:
    """The dispatcher's statements, built once: constructing them costs more than running them."""

    def __init__(self) -> None:
        t = ScoreDelivery.__table__
        other = t.alias("other")
        now: Any = bindparam("now")
        # One probe of ix_score_delivery_score_key_status per candidate: a later change of the same grade that is
        # not superseded, or another change of it in flight under a live lease, holds this one back.
        held_back = (
            select(other.c.id)
            .where(
                other.c.score_key == t.c.score_key,
                other.c.id != t.c.id,
                or_(
                    and_(other.c.id > t.c.id, other.c.status != SUPERSEDED),
                    and_(other.c.status == DELIVERING, other.c.lease_expires_at >= now),
                ),
            )
            .exists()
        )
        newer_change = (
            select(other.c.id)
            .where(other.c.score_key == t.c.score_key, other.c.id > t.c.id, other.c.status != SUPERSEDED)
            .exists()
        )
        waiting_due = and_(_waiting(), t.c.next_attempt_at <= now)
        lease_lost = and_(t.c.status == DELIVERING, t.c.lease_expires_at < now)
        taken = {
            "status": DELIVERING,
            "claimed_by": bindparam("worker"),
            "lease_expires_at": bindparam("lease"),
            "attempts": t.c.attempts + 1,
        }
        # Scores whose worker died (rare, few): first, they were due before anything else.
        self.lost = (
            select(t.c.id)
            .where(lease_lost, ~newer_change)
            .order_by(t.c.lease_expires_at, t.c.id)
            .limit(bindparam("limit"))
        )
        # Everything else by due time, read off ix_score_delivery_due: the cost is the batch, not the backlog.
        self.due = (
            select(t.c.id)
            .where(waiting_due, ~held_back)
            .order_by(t.c.next_attempt_at, t.c.id)
            .limit(bindparam("limit"))
        )
        self.lost_locked = self.lost.with_for_update(skip_locked=True, of=t)
        self.due_locked = self.due.with_for_update(skip_locked=True, of=t)
        self.take_many = update(t).where(t.c.id.in_(bindparam("ids", expanding=True))).values(**taken)
        # SQLite: a conditional UPDATE; only rows still due (nobody took them since the candidate query) change,
        # and RETURNING names them (one statement for the batch, the same test as a per-row rowcount).
        self.take_due = (
            update(t)
            .where(t.c.id.in_(bindparam("ids", expanding=True)), waiting_due | lease_lost, ~newer_change)
            .values(**taken)
            .returning(t.c.id)
        )
        self.fetch = select(
            t.c.id,
            t.c.platform_id,
            t.c.line_item_url,
            t.c.user_sub,
            t.c.score_key,
            t.c.payload,
            t.c.original_timestamp,
            t.c.attempts,
            t.c.request_id,
        ).where(t.c.id.in_(bindparam("ids", expanding=True)))
        self.supersede = (
            update(t)
            .where(t.c.score_key == bindparam("key"), _waiting(), t.c.id != bindparam("new_id"))
            .values(status=SUPERSEDED, superseded_by_id=bindparam("new_id"), lease_expires_at=None)
        )
        # A change is final: every older change of the grade still waiting (or lost with its worker) is moot.
        self.supersede_older = (
            update(t)
            .where(
                t.c.score_key == bindparam("key"),
                t.c.id < bindparam("new_id"),
                _waiting() | and_(t.c.status == DELIVERING, t.c.lease_expires_at < bindparam("now")),
            )
            .values(status=SUPERSEDED, superseded_by_id=bindparam("new_id"), lease_expires_at=None)
        )
        self.newest_of = (
            select(t.c.score_key, func.max(t.c.id))
            .where(t.c.score_key.in_(bindparam("keys", expanding=True)), t.c.status != SUPERSEDED)
            .group_by(t.c.score_key)
        )
        # Acknowledged: recorded whoever holds the lease now, so it is never sent again.
        self.delivered = (
            update(t)
            .where(t.c.id == bindparam("cid"), t.c.status != DELIVERED)
            .values(
                status=DELIVERED,
                delivered_at=bindparam("now"),
                last_status_code=bindparam("code"),
                last_error=None,
                blocked_by=None,
                lease_expires_at=None,
            )
        )
        still_ours = and_(t.c.id == bindparam("cid"), t.c.status == DELIVERING, t.c.claimed_by == bindparam("worker"))
        self.deferred = (
            update(t)
            .where(still_ours)
            .values(
                status=DEFERRED,
                next_attempt_at=bindparam("next"),
                last_status_code=bindparam("code"),
                last_error=bindparam("error"),
                blocked_by=None,
                lease_expires_at=None,
            )
        )
        self.paused = (
            update(t)
            .where(still_ours)
            .values(
                status=DEFERRED, next_attempt_at=bindparam("next"), attempts=t.c.attempts - 1, lease_expires_at=None
            )
        )
        # Never sent (the tool could not sign): the claim's count undone, the reason kept where admins look.
        self.blocked = (
            update(t)
            .where(still_ours)
            .values(
                status=DEFERRED,
                next_attempt_at=bindparam("next"),
                attempts=t.c.attempts - 1,
                last_status_code=None,
                last_error=bindparam("error"),
                blocked_by=bindparam("blocked_by"),
                lease_expires_at=None,
            )
        )
        self.failed = (
            update(t)
            .where(still_ours)
            .values(
                status=FAILED,
                last_status_code=bindparam("code"),
                last_error=bindparam("error"),
                blocked_by=None,
                lease_expires_at=None,
            )
        )
        self.superseded = (
            update(t)
            .where(t.c.id == bindparam("cid"), t.c.status == DELIVERING, t.c.claimed_by == bindparam("worker"))
            .values(status=SUPERSEDED, superseded_by_id=bindparam("newer"), lease_expires_at=None)
        )
        self.log_attempts = insert(DeliveryAttempt.__table__)


_built: _Statements | None = None


def _statements() -> _Statements:
    global _built
    if _built is None:
        _built = _Statements()
    return _built


def claim(limit: int, worker: str, lease_seconds: float) -> list[ClaimedScore]:
    """Take up to ``limit`` due scores under a lease, safely against every other worker, and commit.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED``. SQLite: a conditional UPDATE (still due?) whose RETURNING says who won.
    A score whose lease ran out (its worker died) is due again; one grade is never delivered by two at once, and
    only a grade's newest change is ever taken.
    """
    statements = _statements()
    now = utcnow()
    params = {"now": now, "worker": worker, "lease": now + timedelta(seconds=lease_seconds)}
    session = db.session
    try:
        connection = session.connection()
        locking = connection.dialect.name == "postgresql"
        lost, due = (statements.lost_locked, statements.due_locked) if locking else (statements.lost, statements.due)
        candidates = list(connection.scalars(lost, {"now": now, "limit": limit}))
        if len(candidates) < limit:
            candidates += connection.scalars(due, {"now": now, "limit": limit - len(candidates)})
        if locking:
            ids = candidates
            if ids:
                connection.execute(statements.take_many, {**params, "ids": ids})
        else:
            ids = list(connection.scalars(statements.take_due, {**params, "ids": candidates})) if candidates else []
        rows = connection.execute(statements.fetch, {"ids": ids}).all() if ids else []
        claimed = _newest_per_grade([ClaimedScore(*row) for row in rows], worker)
        session.commit()
    except OperationalError:
        # SQLite busy with another process's write: nothing claimed this time, try again later.
        session.rollback()
        return []
    return claimed


def _newest_per_grade(rows: list[ClaimedScore], worker: str) -> list[ClaimedScore]:
    """Two changes of one grade in one batch (a reclaimed one and its successor): only the newest goes out."""
    newest: dict[str, ClaimedScore] = {}
    for row in sorted(rows, key=lambda row: row.id):
        older = newest.get(row.score_key)
        if older is not None:
            _mark(older.id, worker, status=SUPERSEDED, superseded_by_id=row.id, lease_expires_at=None)
        newest[row.score_key] = row
    return sorted(newest.values(), key=lambda row: row.id)


def _mark(delivery_id: int, worker: str | None, **values: Any) -> int:
    """Update a delivery this worker still holds (or any holder, when ``worker`` is None); the rowcount."""
    t = ScoreDelivery.__table__
    statement = update(t).where(t.c.id == delivery_id)
    if worker is not None:
        statement = statement.where(t.c.status == DELIVERING, t.c.claimed_by == worker)
    return int(db.session.connection().execute(statement.values(**values)).rowcount)


def backoff_seconds(attempts: int, base: float, cap: float, retry_after: float | None = None) -> float:
    """Exponential backoff with full jitter; a platform's ``Retry-After`` is honoured as the minimum wait."""
    ceiling = min(cap, base * (2 ** max(0, attempts - 1)))
    delay = random.uniform(0, ceiling)  # noqa: S311  (jitter, not security)
    if retry_after is not None:
        delay = max(delay, min(retry_after, cap))
    return delay


# A score the tool cannot sign for waits this long (at most the backoff cap) before it is tried again.
BLOCKED_RETRY_SECONDS = 60.0


def record(
    results: list[tuple[ClaimedScore, Any]],
    worker: str,
    *,
    max_attempts: int,
    backoff_base: float,
    backoff_cap: float,
) -> Counter[str]:
    """Write what each attempt taught: the attempt log and the delivery's new status. One transaction.

    Returns the statuses the deliveries ended in (delivered, deferred, failed, superseded, pending), and
    ``blocked`` for scores not sent because the tool could not sign.
    """
    statements = _statements()
    now = utcnow()
    tally: Counter[str] = Counter()
    connection = db.session.connection()
    # A change coming back to wait while a newer change of its grade exists is superseded instead (see above).
    comes_back = [
        claimed
        for claimed, result in results
        if result.outcome not in (protocol.DELIVERED, protocol.ALREADY_STORED, protocol.FAILED)
    ]
    newest: dict[str, int] = (
        dict(connection.execute(statements.newest_of, {"keys": sorted({c.score_key for c in comes_back})}).all())
        if comes_back
        else {}
    )
    attempts, delivered, deferred, failed, paused, blocked, superseded = [], [], [], [], [], [], []
    finals: list[dict[str, Any]] = []
    conflicts = []
    for claimed, result in results:
        if result.outcome not in (protocol.PAUSED, protocol.UNSIGNED):
            attempts.append(
                {
                    "delivery_id": claimed.id,
                    "attempted_at": now,
                    "outcome": result.outcome,
                    "http_status": result.http_status,
                    "error": result.error,
                    "duration_ms": result.duration_ms,
                    "score_timestamp": claimed.payload.get("timestamp"),
                    "worker": worker,
                }
            )
        newer = newest.get(claimed.score_key)
        if claimed in comes_back and newer is not None and newer > claimed.id:
            superseded.append({"cid": claimed.id, "worker": worker, "newer": newer})
        elif result.outcome == protocol.PAUSED:
            # Never sent, so no attempt: back in line for when the platform said, the claim's count undone.
            paused.append({"cid": claimed.id, "worker": worker, "next": now + timedelta(seconds=result.retry_after)})
        elif result.outcome == protocol.UNSIGNED:
            blocked.append(
                {
                    "cid": claimed.id,
                    "worker": worker,
                    "next": now + timedelta(seconds=min(backoff_cap, BLOCKED_RETRY_SECONDS)),
                    "error": result.error,
                    "blocked_by": BLOCKED_SIGNING_KEY,
                }
            )
        elif result.outcome in (protocol.DELIVERED, protocol.ALREADY_STORED):
            delivered.append({"cid": claimed.id, "now": now, "code": result.http_status})
            finals.append({"key": claimed.score_key, "new_id": claimed.id, "now": now})
        elif result.outcome == protocol.CONFLICT:
            conflicts.append((claimed, result))
        elif result.outcome in (protocol.RETRY, protocol.TIMEOUT) and claimed.attempts < max_attempts:
            delay = backoff_seconds(claimed.attempts, backoff_base, backoff_cap, result.retry_after)
            deferred.append(
                {
                    "cid": claimed.id,
                    "worker": worker,
                    "next": now + timedelta(seconds=delay),
                    "code": result.http_status,
                    "error": result.error,
                }
            )
        else:
            error = result.error
            if result.outcome != protocol.FAILED:
                error = f"gave up after {claimed.attempts} attempts: {error}"
            failed.append({"cid": claimed.id, "worker": worker, "code": result.http_status, "error": error})
            finals.append({"key": claimed.score_key, "new_id": claimed.id, "now": now})
    for statement, rows, status in (
        (statements.delivered, delivered, DELIVERED),
        (statements.deferred, deferred, DEFERRED),
        (statements.failed, failed, FAILED),
        (statements.paused, paused, DEFERRED),
        (statements.blocked, blocked, "blocked"),
        (statements.superseded, superseded, SUPERSEDED),
        (statements.supersede_older, finals, None),
        (statements.log_attempts, attempts, None),
    ):
        if rows:
            connection.execute(statement, rows)
            if status:
                tally[status] += len(rows)
    for claimed, result in conflicts:
        tally[_resolve_conflict(claimed, result, worker, max_attempts)] += 1
    db.session.commit()
    return tally


def _resolve_conflict(claimed: ClaimedScore, result: Any, worker: str, max_attempts: int) -> str:
    """The platform refused the score as not newer than the one it holds (Moodle 409, Open edX 400).

    - An earlier attempt of this very change timed out, or died with its worker (claimed, never logged): the
      platform stored it then; it is delivered.
    - Otherwise the platform's last score is from the same second (Moodle compares whole seconds): the change
      gets a new timestamp, max(original, last sent + 1 s), and goes out again. This is the only case a
      timestamp changes; it is a new change superseding the last one, so the latest score still lands.
    (A newer change of the same grade already superseded this one in ``record``: it never overtakes it.)
    """
    logged = db.session.execute(
        select(DeliveryAttempt.outcome, DeliveryAttempt.score_timestamp).where(
            DeliveryAttempt.delivery_id == claimed.id
        )
    ).all()
    timed_out_before = any(
        outcome == protocol.TIMEOUT and stamp == claimed.payload.get("timestamp") for outcome, stamp in logged
    )
    # Every claim counts an attempt; one with no log row died with its worker, maybe after the platform stored it.
    # (This attempt's own log row is written in the same transaction, before this runs.)
    lost_with_a_worker = claimed.attempts > len(logged)
    if timed_out_before or lost_with_a_worker:
        _mark(
            claimed.id,
            None,
            status=DELIVERED,
            delivered_at=utcnow(),
            last_status_code=result.http_status,
            last_error="stored by an earlier attempt (timed out or lost with its worker); refused now as a repeat",
            lease_expires_at=None,
        )
        return DELIVERED
    if claimed.attempts >= max_attempts:
        _mark(claimed.id, worker, status=FAILED, last_status_code=result.http_status, last_error=result.error)
        return FAILED
    current = parse_timestamp(claimed.payload["timestamp"])
    bumped = bumped_timestamp(
        claimed.original_timestamp, last_delivered_timestamp(claimed.score_key, exclude_id=claimed.id), current
    )
    payload = dict(claimed.payload, timestamp=format_timestamp(bumped))
    _mark(
        claimed.id,
        worker,
        status=PENDING,
        payload=payload,
        next_attempt_at=utcnow(),
        last_status_code=result.http_status,
        last_error=result.error,
        lease_expires_at=None,
    )
    return PENDING
