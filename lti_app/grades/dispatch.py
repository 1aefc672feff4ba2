"""The dispatcher: drains the outbox through a small thread pool, and the triggers that start it.

A drain claims due scores in batches, posts them concurrently (bounded per platform), and records every attempt.
It runs in-process for the demo (``GRADE_DELIVERY=inline``: a lazily started background thread), in queue
workers for scale (``queue``), or from ``career-toolkit grades sync``.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import partial

from flask import Flask
from sqlalchemy import func, select, text

from lti_app.extensions import db
from lti_app.grades import protocol
from lti_app.grades.ags import AgsClient
from lti_app.grades.outbox import ClaimedScore, claim, record
from lti_app.grades.protocol import SendResult
from lti_app.grades.settings import GradeSettings
from lti_app.grades.tokens import PlatformCredentials, TokenCache
from lti_app.logs import request_id_bound
from lti_app.models.base import utcnow
from lti_app.models.grades import DEFERRED, DELIVERED, FAILED, PENDING, SUPERSEDED, WAITING_SQL, ScoreDelivery
from lti_app.models.platform import Platform

log = logging.getLogger(__name__)

_EXTENSION_KEY = "career_toolkit.grades"


@dataclass
class DrainSummary:
    """What one drain did: the statuses deliveries ended in, the attempts made, and why scores were not sent."""

    delivered: int = 0
    deferred: int = 0
    failed: int = 0
    superseded: int = 0
    attempts: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    # Scores not sent at all, by reason (the tool could not sign its token request): reason -> delivery ids.
    problems: dict[str, set[int]] = field(default_factory=dict)

    @property
    def blocked(self) -> int:
        """How many scores were not sent at all in this drain."""
        return len(set().union(*self.problems.values())) if self.problems else 0

    def add(self, tally: Counter[str], attempts: int) -> None:
        self.delivered += tally[DELIVERED]
        self.deferred += tally[DEFERRED]
        self.failed += tally[FAILED]
        self.superseded += tally[SUPERSEDED]
        self.attempts += attempts
        self.outcomes.update(tally)

    def as_dict(self) -> dict[str, int]:
        return {
            "delivered": self.delivered,
            "deferred": self.deferred,
            "failed": self.failed,
            "superseded": self.superseded,
            "attempts": self.attempts,
            "blocked": self.blocked,
        }


class Dispatcher:
    """One per process and app: the token cache, the keep-alive HTTP sessions and the thread pool."""

    def __init__(self, app: Flask, settings: GradeSettings | None = None) -> None:
        self.app = app
        self.settings = settings or GradeSettings.from_app(app)
        self.tokens = TokenCache(app, self.settings.token_margin_seconds, self.settings.http_timeout_seconds)
        self.client = AgsClient(self.tokens, self.settings.http_timeout_seconds, self.settings.concurrency)
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._pool = ThreadPoolExecutor(max_workers=self.settings.concurrency, thread_name_prefix="grades")
        self._slots: dict[int, threading.BoundedSemaphore] = {}
        self._slots_guard = threading.Lock()
        # A platform that answered 429/503 with Retry-After gets no request from this process until then.
        self._paused_until: dict[int, float] = {}
        self._drain_lock = threading.Lock()

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def _slot(self, platform_id: int) -> AbstractContextManager[bool]:
        with self._slots_guard:
            slot = self._slots.get(platform_id)
            if slot is None:
                slot = self._slots[platform_id] = threading.BoundedSemaphore(self.settings.platform_concurrency)
        return slot

    def _send(self, claimed: ClaimedScore, credentials: PlatformCredentials | None) -> SendResult:
        if credentials is None:
            return SendResult(protocol.FAILED, None, "the platform registration no longer exists")
        wait = self._paused_until.get(claimed.platform_id, 0.0) - time.monotonic()
        if wait > 0:
            return SendResult(protocol.PAUSED, None, "not sent: the platform asked to wait (Retry-After)", wait)
        with self._slot(claimed.platform_id):
            result = self.client.post_score(credentials, claimed.line_item_url, claimed.payload)
        if result.retry_after and result.outcome == protocol.RETRY:
            until = time.monotonic() + result.retry_after
            self._paused_until[claimed.platform_id] = max(until, self._paused_until.get(claimed.platform_id, 0.0))
        return result

    def drain(
        self,
        *,
        wait_for_deferred: float = 0.0,
        progress: Callable[[int], None] | None = None,
    ) -> DrainSummary:
        """Deliver every score due now; with ``wait_for_deferred``, also those falling due within that many seconds.

        Safe to run in any number of processes at once: each score is claimed by one of them.
        """
        with self._drain_lock, self.app.app_context():
            try:
                return self._drain(wait_for_deferred, progress)
            finally:
                db.session.remove()

    def _drain(self, wait_for_deferred: float, progress: Callable[[int], None] | None) -> DrainSummary:
        settings = self.settings
        summary = DrainSummary()
        deadline = time.monotonic() + wait_for_deferred
        credentials: dict[int, PlatformCredentials | None] = {}
        finished: queue.SimpleQueue[tuple[ClaimedScore, Future[SendResult]]] = queue.SimpleQueue()
        inflight = 0
        capacity = max(settings.batch_size, settings.concurrency * 4)
        # Results are recorded in batches: one commit per batch, not per score.
        record_batch = max(settings.concurrency, settings.batch_size // 2)
        while True:
            room = capacity - inflight
            if room >= max(1, settings.batch_size // 2) or not inflight:
                for claimed in claim(room, self.worker_id, settings.lease_seconds):
                    if claimed.platform_id not in credentials:
                        platform = db.session.get(Platform, claimed.platform_id)
                        credentials[claimed.platform_id] = PlatformCredentials.of(platform) if platform else None
                    future = self._pool.submit(self._send, claimed, credentials[claimed.platform_id])
                    future.add_done_callback(partial(_finished, finished, claimed))
                    inflight += 1
            if not inflight:
                pause = self._until_next_due(deadline)
                if pause is None:
                    return summary
                time.sleep(pause)
                continue
            batch = _collect(finished, record_batch, first_timeout=1.0, linger=0.05)
            if not batch:
                continue
            inflight -= len(batch)
            results = [(claimed, _result_of(future)) for claimed, future in batch]
            _log_results(results)
            for claimed, result in results:
                if result.outcome == protocol.UNSIGNED:
                    summary.problems.setdefault(result.error or result.outcome, set()).add(claimed.id)
            tally = record(
                results,
                self.worker_id,
                max_attempts=settings.max_attempts,
                backoff_base=settings.backoff_base_seconds,
                backoff_cap=settings.backoff_cap_seconds,
            )
            sent = sum(1 for _, result in results if result.outcome not in (protocol.PAUSED, protocol.UNSIGNED))
            summary.add(tally, sent)
            if progress is not None:
                progress(len(results) - tally[PENDING])

    def _until_next_due(self, deadline: float) -> float | None:
        """Seconds to sleep before the next waiting score falls due, or None when none does before the deadline."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        next_due = db.session.scalar(select(func.min(ScoreDelivery.next_attempt_at)).where(text(WAITING_SQL)))
        db.session.commit()
        if next_due is None:
            return None
        pause = (next_due - utcnow()).total_seconds()
        if pause > remaining:
            return None
        return min(max(pause, 0.01), remaining)


def _log_results(results: list[tuple[ClaimedScore, SendResult]]) -> None:
    """One line per attempt, under the id of the request that caused the score (``X-Request-ID``)."""
    if not log.isEnabledFor(logging.INFO):
        return
    for claimed, result in results:
        with request_id_bound(claimed.request_id):
            log.log(
                logging.WARNING if result.outcome == protocol.UNSIGNED else logging.INFO,
                "grade delivery %s: %s%s",
                claimed.id,
                result.outcome,
                f" ({result.http_status})" if result.http_status else "",
                extra={
                    "request_id": claimed.request_id,
                    "delivery_id": claimed.id,
                    "platform_id": claimed.platform_id,
                    "outcome": result.outcome,
                    "http_status": result.http_status,
                    "attempt": claimed.attempts,
                    "duration_ms": round(result.duration_ms, 1),
                    "error": result.error,
                },
            )


def _finished(
    finished: queue.SimpleQueue[tuple[ClaimedScore, Future[SendResult]]],
    claimed: ClaimedScore,
    future: Future[SendResult],
) -> None:
    finished.put((claimed, future))


def _collect(
    finished: queue.SimpleQueue[tuple[ClaimedScore, Future[SendResult]]],
    limit: int,
    first_timeout: float,
    linger: float,
) -> list[tuple[ClaimedScore, Future[SendResult]]]:
    """Up to ``limit`` finished sends: wait for the first, then at most ``linger`` seconds for more."""
    try:
        batch = [finished.get(timeout=first_timeout)]
    except queue.Empty:
        return []
    until = time.monotonic() + linger
    while len(batch) < limit:
        remaining = until - time.monotonic()
        try:
            batch.append(finished.get(timeout=remaining) if remaining > 0 else finished.get_nowait())
        except queue.Empty:
            break
    return batch


def _result_of(future: Future[SendResult]) -> SendResult:
    error = future.exception()
    if error is None:
        return future.result()
    return SendResult(protocol.RETRY, None, f"{type(error).__name__}: {error}")


def get_dispatcher(app: Flask) -> Dispatcher:
    """The process's dispatcher for this app, made on first use."""
    state = app.extensions.setdefault(_EXTENSION_KEY, {})
    with _registry_lock:
        dispatcher = state.get("dispatcher")
        if dispatcher is None:
            dispatcher = state["dispatcher"] = Dispatcher(app)
    return dispatcher


_registry_lock = threading.Lock()


class InlineDelivery:
    """The demo's dispatcher thread: started on the first commit that owes a score, woken by each later one."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._event = threading.Event()
        self._thread: threading.Thread | None = None
        self._guard = threading.Lock()

    def wake(self) -> None:
        with self._guard:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="grades-inline", daemon=True)
                self._thread.start()
        self._event.set()

    def _run(self) -> None:
        while True:
            poll = GradeSettings.from_app(self.app).inline_poll_seconds
            self._event.wait(timeout=poll)
            self._event.clear()
            try:
                get_dispatcher(self.app).drain(wait_for_deferred=poll)
            except Exception:  # the thread must outlive one bad drain; the outbox keeps the scores
                log.exception("inline grade delivery failed; will retry")


def wake_inline(app: Flask) -> None:
    """Start (or wake) this process's inline delivery thread for ``app``."""
    state = app.extensions.setdefault(_EXTENSION_KEY, {})
    with _registry_lock:
        inline = state.get("inline")
        if inline is None:
            inline = state["inline"] = InlineDelivery(app)
    inline.wake()
