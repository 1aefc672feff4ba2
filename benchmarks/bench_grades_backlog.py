"""Grade delivery under a backlog: N scores due, a platform that fails fast, `grades sync` for T seconds.

Prints how many attempts were made, how many scores were never tried, the most attempts any score got, and
what the claim's candidate query costs on the full outbox (PostgreSQL: EXPLAIN ANALYZE). ``--code DIR`` runs
the `grades sync` of another checkout (e.g. an older commit exported with `git archive`) on the same data.

    python benchmarks/bench_grades_backlog.py [--scores 100000] [--seconds 60] [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LINE_ITEMS = 10


def start_endpoint(workdir: Path, jwks: dict[str, object]) -> tuple[subprocess.Popen[bytes], str]:
    jwks_file, port_file = workdir / "jwks.json", workdir / "peer.url"
    jwks_file.write_text(json.dumps(jwks))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.grades.ags_peer",
            "--jwks-file",
            str(jwks_file),
            "--port-file",
            str(port_file),
            "--failing",
            "503",
        ],
        cwd=ROOT,
    )
    deadline = time.monotonic() + 20
    while not port_file.exists() or not port_file.read_text():
        if time.monotonic() > deadline or process.poll() is not None:
            raise SystemExit("the AGS endpoint did not start")
        time.sleep(0.05)
    return process, port_file.read_text()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scores", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--database-url", help="default: SQLite in a temporary directory")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose `grades sync` runs")
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import func, insert, select, text

    from lti_app import create_app, keyring
    from lti_app.extensions import db
    from lti_app.grades.outbox import _statements, format_timestamp, score_key
    from lti_app.models.base import utcnow
    from lti_app.models.grades import DeliveryAttempt, ScoreDelivery
    from lti_app.models.platform import Deployment, Platform

    with tempfile.TemporaryDirectory() as temp:
        workdir = Path(temp)
        database_url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite'}"
        secret = secrets.token_urlsafe(32)
        app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": secret, "GRADE_DELIVERY": "manual"})
        app.instance_path = str(workdir)
        with app.app_context():
            upgrade(revision="heads")
            keyring.ensure_active_key(secret)
            endpoint, base_url = start_endpoint(workdir, keyring.published_jwks())
            try:
                platform = Platform(
                    name="Failing LMS",
                    issuer="https://failing.example.edu",
                    client_id="career-toolkit-client",
                    auth_login_url="https://failing.example.edu/auth",
                    auth_token_url=base_url + "/token",
                )
                platform.deployments.append(Deployment(deployment_id="d1"))
                db.session.add(platform)
                db.session.commit()
                # The backlog as enqueue_score leaves it: pending, due since it was written, in write order.
                now = utcnow()
                started = time.perf_counter()
                for start in range(0, args.scores, 10_000):
                    rows = []
                    for index in range(start, min(start + 10_000, args.scores)):
                        item = f"{base_url}/lineitems/{index % LINE_ITEMS}/lineitem?type_id=1"
                        sub = f"learner-{index}"
                        stamp = now.replace(microsecond=0)
                        rows.append(
                            {
                                "platform_id": platform.id,
                                "line_item_url": item,
                                "user_sub": sub,
                                "score_key": score_key(platform.id, item, sub),
                                "payload": {
                                    "userId": sub,
                                    "scoreGiven": 1.0,
                                    "scoreMaximum": 1.0,
                                    "activityProgress": "Completed",
                                    "gradingProgress": "FullyGraded",
                                    "timestamp": format_timestamp(stamp),
                                },
                                "original_timestamp": stamp,
                                "status": "pending",
                                "attempts": 0,
                                "next_attempt_at": stamp,
                                "created_at": stamp,
                            }
                        )
                    db.session.execute(insert(ScoreDelivery.__table__), rows)
                    db.session.commit()
                seeded = time.perf_counter() - started

                env = dict(os.environ)
                env.update(
                    {
                        "CAREER_TOOLKIT_DATABASE_URL": database_url,
                        "CAREER_TOOLKIT_SECRET_KEY": secret,
                        "CAREER_TOOLKIT_GRADE_DELIVERY": "manual",
                        "CAREER_TOOLKIT_INSTANCE_PATH": str(workdir),
                        "PYTHONPATH": str(args.code),
                    }
                )
                sync = subprocess.Popen(
                    [sys.executable, "-c", "from lti_app.cli import main; main()", "grades", "sync"],
                    cwd=args.code,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                time.sleep(args.seconds)
                sync.terminate()
                sync.wait(timeout=30)

                attempts = db.session.scalar(select(func.count()).select_from(DeliveryAttempt)) or 0
                tried = db.session.scalar(select(func.count(func.distinct(DeliveryAttempt.delivery_id)))) or 0
                most = db.session.scalar(select(func.max(ScoreDelivery.attempts))) or 0
                plan = ""
                if db.engine.dialect.name == "postgresql":
                    db.session.execute(text("ANALYZE score_delivery"))
                    connection = db.session.connection()
                    compiled = _statements().due_locked.compile(dialect=connection.dialect)
                    params = compiled.construct_params({"now": utcnow(), "limit": 100})
                    rows = connection.exec_driver_sql("EXPLAIN ANALYZE " + str(compiled), params).all()
                    plan = "\n".join("    " + row[0] for row in rows)
                    db.session.rollback()
            finally:
                endpoint.terminate()
                endpoint.wait(timeout=10)

    database = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(f"database          {database}; code {args.code}")
    print(f"backlog           {args.scores:,} scores due (seeded in {seeded:.1f} s), every POST answered 503")
    print(f"grades sync       {args.seconds:.0f} s: {attempts:,} attempts, {tried:,} scores tried")
    print(f"never tried       {args.scores - tried:,}")
    print(f"most attempts     {most} (one score)")
    if plan:
        print("claim (EXPLAIN ANALYZE, this code's query on the outbox the run left):\n" + plan)


if __name__ == "__main__":
    main()
