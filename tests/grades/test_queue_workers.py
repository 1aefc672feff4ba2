"""RQ workers on Redis over PostgreSQL: several deliver together without duplicates; a killed one loses nothing.

These always run on PostgreSQL (a database made for the test), whatever database the rest of the suite uses.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from lti_app.extensions import db
from lti_app.grades import enqueue_score
from lti_app.models.grades import DELIVERED, DELIVERING, DeliveryAttempt, ScoreDelivery
from tests.grades.ags_peer import AgsPeer, Fault
from tests.grades.conftest import FAST_GRADES, make_launch, register_tool
from tests.services import postgres_admin_url, redis_url, require_service

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture()
def queue_app(tmp_path: Path) -> Iterator[Flask]:
    import psycopg
    from flask_migrate import upgrade
    from redis import Redis

    from lti_app import create_app

    require_service("postgres")
    require_service("redis")
    name = "ct_grades_" + uuid.uuid4().hex[:10]
    with psycopg.connect(postgres_admin_url(), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": postgres_admin_url(name),
            "SECRET_KEY": "queue-test-" + uuid.uuid4().hex,
            "REDIS_URL": redis_url(),
            "GRADE_DELIVERY": "manual",
            "GRADE_QUEUE_NAME": "grades-test-" + uuid.uuid4().hex[:8],
            **FAST_GRADES,
        }
    )
    app.instance_path = str(tmp_path)
    try:
        with app.app_context():
            upgrade(revision="heads")
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        connection = Redis.from_url(redis_url())
        for key in connection.scan_iter(f"*{app.config['GRADE_QUEUE_NAME']}*"):
            connection.delete(key)
        with psycopg.connect(postgres_admin_url(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _start_worker(app: Flask, log: Path, *, burst: bool = True, **settings: Any) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        {
            "CAREER_TOOLKIT_DATABASE_URL": app.config["DATABASE_URL"],
            "CAREER_TOOLKIT_SECRET_KEY": app.config["SECRET_KEY"],
            "CAREER_TOOLKIT_REDIS_URL": app.config["REDIS_URL"],
            "CAREER_TOOLKIT_GRADE_QUEUE_NAME": app.config["GRADE_QUEUE_NAME"],
            "CAREER_TOOLKIT_GRADE_DELIVERY": "queue",
            "CAREER_TOOLKIT_GRADE_CONCURRENCY": "2",
            "CAREER_TOOLKIT_GRADE_PLATFORM_CONCURRENCY": "2",
            "CAREER_TOOLKIT_GRADE_BATCH_SIZE": "10",
            "CAREER_TOOLKIT_GRADE_BACKOFF_BASE_SECONDS": "0.01",
            "CAREER_TOOLKIT_GRADE_BACKOFF_CAP_SECONDS": "0.05",
        }
    )
    env.update({f"CAREER_TOOLKIT_GRADE_{name.upper()}": str(value) for name, value in settings.items()})
    args = [sys.executable, "-c", "from lti_app.cli import main; main()", "worker"]
    with log.open("wb") as output:
        return subprocess.Popen([*args, "--burst"] if burst else args, env=env, stdout=output, stderr=subprocess.STDOUT)


def _wait(process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError("worker did not finish:\n" + log.read_text()[-3000:]) from None
    assert code == 0, log.read_text()[-3000:]


def _enqueue(platform: Any, peer: AgsPeer, subs: list[str]) -> None:
    urls = [peer.add_line_item(str(n)) for n in range(4)]
    for index, sub in enumerate(subs):
        session = make_launch(
            platform, sub=sub, line_item_url=urls[index % 4], link_id=f"link-{index % 4}", commit=False
        )
        enqueue_score(session, score_given=index % 10, score_maximum=10, completed=True)
    db.session.commit()


def test_two_workers_deliver_together_without_duplicates(queue_app: Flask, tmp_path: Path) -> None:
    peer = AgsPeer()
    peer.delay = 0.02
    try:
        platform = register_tool(queue_app, peer)
        subs = [f"learner-{n}" for n in range(160)]
        _enqueue(platform, peer, subs)

        logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
        workers = [_start_worker(queue_app, log) for log in logs]
        for worker, log in zip(workers, logs, strict=True):
            _wait(worker, log)

        db.session.expire_all()
        assert set(db.session.scalars(select(ScoreDelivery.status))) == {DELIVERED}
        counts = peer.accepted_counts()
        assert len(counts) == 160 and set(counts.values()) == {1}
        assert db.session.scalar(select(func.count()).select_from(DeliveryAttempt)) == 160
        assert len(set(db.session.scalars(select(DeliveryAttempt.worker)))) == 2
        # One token for the platform, shared through the database by both processes (at most one each in a race).
        assert peer.state.token_requests <= 2
    finally:
        peer.close()


def test_a_killed_worker_loses_nothing(queue_app: Flask, tmp_path: Path) -> None:
    peer = AgsPeer()
    try:
        platform = register_tool(queue_app, peer)
        _enqueue(platform, peer, ["a", "b", "victim", "c"])
        peer.faults.append(Fault("hang", seconds=30, user="victim"))

        first = _start_worker(queue_app, tmp_path / "first.log", lease_seconds=2, http_timeout_seconds=30)
        assert peer.hung.wait(timeout=30), (tmp_path / "first.log").read_text()
        victim = db.session.scalars(select(ScoreDelivery).where(ScoreDelivery.user_sub == "victim")).one()
        assert victim.status == DELIVERING
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        peer.release.set()  # the platform never stored the victim's score: the connection died with the worker

        time.sleep(2.2)  # the lease runs out
        second_log = tmp_path / "second.log"
        second = _start_worker(queue_app, second_log, lease_seconds=2)
        _wait(second, second_log)

        db.session.expire_all()
        assert set(db.session.scalars(select(ScoreDelivery.status))) == {DELIVERED}
        assert peer.scores()[("2", "victim")] == 2.0
        assert set(peer.accepted_counts().values()) == {1} and len(peer.accepted_counts()) == 4
        db.session.refresh(victim)
        assert victim.attempts == 2  # the attempt the killed worker never finished still counts
    finally:
        peer.close()
