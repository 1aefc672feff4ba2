"""Grade delivery on an RQ queue in Redis: ``career-toolkit worker`` runs the jobs, any number of them at once.

The job's app is the one the ``worker`` command built (``run_worker``): this module never builds an app itself,
so delivery does not reach the pages and the API through the factory.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import Flask
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import func, select, text

from lti_app.extensions import db
from lti_app.grades.dispatch import get_dispatcher
from lti_app.grades.settings import GradeSettings
from lti_app.models.base import utcnow
from lti_app.models.grades import WAITING_SQL, ScoreDelivery

log = logging.getLogger(__name__)


def _flag(app: Flask, name: str) -> str:
    return f"career-toolkit:{GradeSettings.from_app(app).queue_name}:{name}"


# The app a worker process runs jobs for; set by `run_worker`, which the `worker` command calls with its app.
_worker_app: Flask | None = None


class QueueNotConfiguredError(RuntimeError):
    """``CAREER_TOOLKIT_REDIS_URL`` is not set."""


class NoWorkerAppError(RuntimeError):
    """A drain job ran in a process that ``career-toolkit worker`` did not start."""


def redis_connection(app: Flask) -> Redis:
    """:raise QueueNotConfiguredError: no Redis URL configured."""
    url = app.config.get("REDIS_URL")
    if not url:
        raise QueueNotConfiguredError("set CAREER_TOOLKIT_REDIS_URL to use the grade queue")
    return Redis.from_url(url)


def grade_queue(app: Flask, connection: Redis | None = None) -> Queue:
    settings = GradeSettings.from_app(app)
    return Queue(settings.queue_name, connection=connection or redis_connection(app))


def enqueue_drain(app: Flask, *, force: bool = False) -> bool:
    """Queue a drain job unless one is already waiting (a waiting job will see every score committed so far)."""
    connection = redis_connection(app)
    if not force and not connection.set(_flag(app, "drain-queued"), "1", nx=True, ex=300):
        return False
    grade_queue(app, connection).enqueue(drain_job, job_timeout=3600)
    return True


def drain_job() -> dict[str, Any]:
    """The queued job: deliver everything due, then schedule a drain for when the next deferred score is due."""
    app = _worker_app
    if app is None:
        raise NoWorkerAppError("grade drain jobs run in `career-toolkit worker`, which builds the app they use")
    connection = redis_connection(app)
    connection.delete(_flag(app, "drain-queued"))
    summary = get_dispatcher(app).drain()
    _schedule_next(app, connection)
    log.info("grade drain: %s", summary.as_dict())
    return summary.as_dict()


def _schedule_next(app: Flask, connection: Redis) -> None:
    with app.app_context():
        next_due = db.session.scalar(select(func.min(ScoreDelivery.next_attempt_at)).where(text(WAITING_SQL)))
        db.session.remove()
    if next_due is None:
        return
    delay = max(1.0, (next_due - utcnow()).total_seconds())
    if connection.set(_flag(app, "drain-scheduled"), "1", nx=True, ex=int(delay) + 1):
        grade_queue(app, connection).enqueue_in(timedelta(seconds=delay), drain_job, job_timeout=3600)


def run_worker(app: Flask, *, burst: bool = False, name: str | None = None, with_scheduler: bool = True) -> None:
    """Run one RQ worker on the grade queue; a drain is queued first, so scores left by a dead worker go out."""
    global _worker_app
    _worker_app = app
    connection = redis_connection(app)
    queue = grade_queue(app, connection)
    queue.enqueue(drain_job, job_timeout=3600)
    worker = SimpleWorker([queue], connection=connection, name=name)
    worker.work(burst=burst, with_scheduler=with_scheduler and not burst)
