"""Completions back to the LMS: a durable outbox of scores and the dispatcher that delivers them over AGS.

- ``enqueue_score(session, ...)``: add a score to the outbox in the caller's transaction (``outbox``).
- ``get_dispatcher(app).drain()``: deliver what is due (``dispatch``); ``init_app`` wakes delivery after a commit.
- ``delivery_status()``, ``retry_deliveries()``: for the CLI and the admin page (``status``).

Inside the package the arrows run one way: ``protocol`` (outcomes, scopes, URLs) under everything; ``outbox`` and
``ags`` beside each other; ``dispatch`` over both; ``queue`` and ``cli`` on top. This module wires them to an app.
"""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from lti_app.grades.outbox import WAKE_KEY, dispatch_after_commit, enqueue_score
from lti_app.grades.status import delivery_status, retry_deliveries
from lti_app.models.grades import DeliveryAttempt, ScoreDelivery

log = logging.getLogger(__name__)

__all__ = [
    "DeliveryAttempt",
    "ScoreDelivery",
    "delivery_status",
    "dispatch_after_commit",
    "enqueue_score",
    "init_app",
    "retry_deliveries",
    "wake",
]


def init_app(app: Flask) -> None:
    """Deliver owed scores after the commit that wrote them (by ``GRADE_DELIVERY``: inline thread or queue)."""
    if not event.contains(Session, "after_commit", _wake_after_commit):
        event.listen(Session, "after_commit", _wake_after_commit)
        event.listen(Session, "after_rollback", _forget_wake)


def wake(app: Flask) -> None:
    """Start delivering what the outbox holds: the inline thread or a queue job, by ``GRADE_DELIVERY``."""
    mode = app.config.get("GRADE_DELIVERY", "inline")
    if mode == "inline":
        from lti_app.grades.dispatch import wake_inline

        wake_inline(app)
    elif mode == "queue":
        from lti_app.grades.queue import enqueue_drain

        try:
            enqueue_drain(app)
        except Exception:  # Redis down: the scores wait in the outbox for the next worker or sync run
            log.exception("could not queue grade delivery; scores stay in the outbox")


def _wake_after_commit(session: Session) -> None:
    app = session.info.pop(WAKE_KEY, None)
    if app is not None:
        wake(app)


def _forget_wake(session: Session) -> None:
    session.info.pop(WAKE_KEY, None)
