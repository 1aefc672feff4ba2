"""Cohort pages and lists at course scale, on PostgreSQL: does a request cost the same at 1,000 and 50,000 learners?

Seeds one course per size N through the project's models (bulk inserts of the same rows a launch and a sitting
write: user, membership, one sitting of 35 O*NET ratings with its latest levels, a plan), plus one learner with
1,000 sittings and their evidence. Then, in process with Flask's test client, times the requests a teacher and a
learner make and prints p50/p95, SQL statements per request (a ``before_cursor_execute`` listener) and the
request's peak Python memory (tracemalloc, measured on a separate request so it does not slow the timings):

- staff launch: POST /lti/launch as the course's instructor, which renders the cohort page;
- heatmap: POST /pages/instructor with a role chosen;
- learners API: GET /api/v1/context/learners (first page);
- history: GET /api/v1/assessments as the learner with 1,000 sittings; evidence: GET /api/v1/evidence.

    python benchmarks/bench_scale.py [--sizes 1000,10000,50000] [--quick] [--repeat 20] [--database NAME] [--keep]

Targets (decision 0021): statements per request independent of N; staff launch p95 < 300 ms and every list page
< 150 ms at 50,000; memory flat in N. Runs on main's code too (the latest-level rows are seeded only where the
model exists), which is how the "before" figures in the decision were taken.
"""

from __future__ import annotations

import argparse
import importlib
import re
import statistics
import sys
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import event, insert, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.lti.conftest import login  # noqa: E402
from tests.lti.platform_peer import PlatformPeer  # noqa: E402

LEARNER = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]
INSTRUCTOR = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]
HEATMAP_ROLE = "29-1141.00"  # Registered Nurses
HISTORY_SITTINGS = 1000
BATCH = 5000
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432"


class Statements:
    """Counts the SQL statements the engine sends while ``counting``."""

    def __init__(self, engine: Any) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: Any) -> None:
        self.count += 1


@contextmanager
def fresh_database(name: str, keep: bool) -> Iterator[str]:
    with psycopg.connect(ADMIN_URL + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        if not keep:
            with psycopg.connect(ADMIN_URL + "/postgres", autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def launch(client: Any, peer: PlatformPeer, sub: str, roles: list[str], course: str) -> tuple[float, str]:
    """One launch (OIDC login, then the timed POST /lti/launch); the seconds and the page's api token."""
    params = login(client, peer)
    claims = peer.claims(params["nonce"], sub=sub, roles=roles, context_id=course, resource_link_id=f"{course}-link")
    started = time.perf_counter()
    response = client.post("/lti/launch", data={"id_token": peer.sign(claims), "state": params["state"]})
    elapsed = time.perf_counter() - started
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:500]
    match = re.search(r'<meta name="api-token" content="([^"]+)">', html)
    assert match, "no api-token on the launched page"
    return elapsed, match.group(1)


def seed_course(peer: PlatformPeer, client: Any, course: str, size: int) -> dict[str, Any]:
    """The course (through a real staff launch), ``size`` learners with a sitting and a plan each, and one learner
    with a long history. Returns the ids the measurements need."""
    from career_core.plans import DevelopmentPlan, PlanStatus, plan_to_dict
    from lti_app import models
    from lti_app.career.frameworks import load_onet_framework
    from lti_app.extensions import db
    from lti_app.models import (
        Context,
        DevelopmentPlanRecord,
        EvidenceRecordRow,
        LtiUser,
        Membership,
        ResourceLink,
        SelfAssessmentRecord,
        SkillFrameworkRecord,
    )
    from lti_app.models.base import utcnow

    _, staff_token = launch(client, peer, f"teacher-{course}", INSTRUCTOR, course)
    framework = db.session.scalars(
        select(SkillFrameworkRecord).where(SkillFrameworkRecord.identifier == load_onet_framework().identifier)
    ).one()
    codes = [skill["code"] for skill in framework.skills]
    context = db.session.scalars(select(Context).where(Context.lti_context_id == course)).one()
    link = db.session.scalars(select(ResourceLink).where(ResourceLink.context_pk == context.id)).one()
    latest_model = getattr(models, "LatestSkillLevel", None)  # absent on main before this change
    cohort: Any = importlib.import_module("lti_app.career.cohort") if latest_model is not None else None
    now = utcnow()
    started = time.perf_counter()
    for first in range(0, size, BATCH):
        numbers = range(first, min(first + BATCH, size))
        users = db.session.execute(
            insert(LtiUser).returning(LtiUser.id),
            [{"issuer": peer.issuer, "sub": f"{course}-learner-{n:06d}", "name": f"Learner {n:06d}"} for n in numbers],
        ).scalars()
        user_ids = list(users)
        db.session.execute(
            insert(Membership),
            [{"user_id": u, "context_pk": context.id, "role": "learner", "lti_roles": LEARNER} for u in user_ids],
        )
        ratings = [
            [{"skill_code": c, "level": (i + j) % 8, "confidence": "medium", "note": ""} for j, c in enumerate(codes)]
            for i in range(len(user_ids))
        ]
        sittings = list(
            db.session.execute(
                insert(SelfAssessmentRecord).returning(SelfAssessmentRecord.id),
                [
                    {
                        "user_id": u,
                        "context_pk": context.id,
                        "resource_link_pk": link.id,
                        "framework_pk": framework.id,
                        "taken_at": now,
                        "ratings": r,
                    }
                    for u, r in zip(user_ids, ratings, strict=True)
                ],
            ).scalars()
        )
        if latest_model is not None:
            db.session.execute(
                insert(latest_model),
                [
                    {
                        "user_id": u,
                        "context_pk": context.id,
                        "framework_pk": framework.id,
                        "skill_code": rating["skill_code"],
                        "level": rating["level"],
                        "rated_at": now,
                        "sitting_id": s,
                    }
                    for u, s, r in zip(user_ids, sittings, ratings, strict=True)
                    for rating in r
                ],
            )
            moves: dict[tuple[str, int], int] = {}
            for r in ratings:
                for rating in r:
                    key = (rating["skill_code"], rating["level"])
                    moves[key] = moves.get(key, 0) + 1
            cohort.move_tally(context.id, framework.id, moves)
        db.session.execute(
            insert(DevelopmentPlanRecord),
            [
                {
                    "user_id": u,
                    "context_pk": context.id,
                    "resource_link_pk": link.id,
                    "status": status.value,
                    "requires_review": True,
                    "plan": plan_to_dict(DevelopmentPlan(owner=str(u), vision="Lead a ward", status=status)),
                }
                for i, u in enumerate(user_ids)
                for status in [PlanStatus.WAITING_FOR_REVIEW if i % 100 == 0 else PlanStatus.ACTIVE]
            ],
        )
        db.session.commit()

    # One learner with a long history: 1,000 sittings of 35 ratings, and one evidence record per rating.
    history_sub = f"{course}-learner-000000"
    learner = db.session.scalars(select(LtiUser).where(LtiUser.sub == history_sub)).one()
    for first in range(0, HISTORY_SITTINGS, 200):
        rows = [
            {
                "user_id": learner.id,
                "context_pk": context.id,
                "resource_link_pk": link.id,
                "framework_pk": framework.id,
                "taken_at": now - timedelta(days=HISTORY_SITTINGS - n),
                "ratings": [{"skill_code": c, "level": n % 8, "confidence": "medium", "note": ""} for c in codes],
            }
            for n in range(first, first + 200)
        ]
        db.session.execute(insert(SelfAssessmentRecord), rows)
        db.session.execute(
            insert(EvidenceRecordRow),
            [
                {
                    "evidence_id": str(uuid.uuid4()),
                    "user_id": learner.id,
                    "context_pk": context.id,
                    "resource_link_pk": link.id,
                    "framework_pk": framework.id,
                    "learner_id": "bench",
                    "skill_code": c,
                    "level": row["ratings"][0]["level"],
                    "source": "self_assessment",
                    "recorded_at": row["taken_at"],
                    "activity_id": f"self-assessment/{first}",
                    "note": "",
                }
                for row in rows
                for c in codes
            ],
        )
        db.session.commit()
    # What autovacuum does soon after a bulk load; without fresh statistics PostgreSQL plans for empty tables.
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    print(f"  seeded {size:,} learners in {time.perf_counter() - started:.1f} s", flush=True)
    return {"staff_token": staff_token, "history_sub": history_sub}


def measure(
    label: str, request: Callable[[], float], counter: Statements, repeat: int, results: dict[str, Any]
) -> None:
    request()  # warm-up
    samples, statements = [], set()
    for _ in range(repeat):
        before = counter.count
        samples.append(request() * 1000)
        statements.add(counter.count - before)
    tracemalloc.start()
    request()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    samples.sort()
    p95 = samples[max(0, round(len(samples) * 0.95) - 1)]
    results[label] = {
        "p50": statistics.median(samples),
        "p95": p95,
        "statements": "/".join(str(s) for s in sorted(statements)),
        "peak_mb": peak / 1e6,
    }
    r = results[label]
    print(
        f"  {label:<22} p50 {r['p50']:8.1f} ms  p95 {r['p95']:8.1f} ms  "
        f"{r['statements']:>8} statements  peak {r['peak_mb']:7.1f} MB",
        flush=True,
    )


def run_size(app: Any, peer: PlatformPeer, size: int, repeat: int) -> dict[str, Any]:
    from lti_app.extensions import db

    client = app.test_client()
    course = f"course-{size}"
    seeded = seed_course(peer, client, course, size)
    counter = Statements(db.engine)
    results: dict[str, Any] = {}
    staff_token = seeded["staff_token"]
    _, learner_token = launch(client, peer, seeded["history_sub"], LEARNER, course)
    bearer = {"Authorization": f"Bearer {learner_token}"}
    staff_bearer = {"Authorization": f"Bearer {staff_token}"}

    def timed(call: Callable[[], Any]) -> float:
        started = time.perf_counter()
        response = call()
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        db.session.remove()  # each request starts from an empty session, as in production
        return elapsed

    def staff_launch() -> float:
        elapsed, _ = launch(client, peer, f"teacher-{course}", INSTRUCTOR, course)
        db.session.remove()
        return elapsed

    measure("staff launch", staff_launch, counter, repeat, results)
    heatmap_form = {"token": staff_token, "role": HEATMAP_ROLE}
    measure(
        "heatmap page",
        lambda: timed(lambda: client.post("/pages/instructor", data=heatmap_form)),
        counter,
        repeat,
        results,
    )
    measure(
        "learners API",
        lambda: timed(lambda: client.get("/api/v1/context/learners", headers=staff_bearer)),
        counter,
        repeat,
        results,
    )
    measure(
        "history (1,000)",
        lambda: timed(lambda: client.get("/api/v1/assessments", headers=bearer)),
        counter,
        repeat,
        results,
    )
    measure(
        "evidence (35,000)",
        lambda: timed(lambda: client.get("/api/v1/evidence", headers=bearer)),
        counter,
        repeat,
        results,
    )
    event.remove(db.engine, "before_cursor_execute", counter._seen)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated cohort sizes")
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 learners, 5 requests each")
    parser.add_argument("--repeat", type=int, default=None, help="timed requests per measurement (default 20)")
    parser.add_argument("--database", default="bench_scale", help="PostgreSQL database to (re)create")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    sizes = [1000, 10000] if args.quick else [int(s) for s in args.sizes.split(",")]
    repeat = args.repeat or (5 if args.quick else 20)

    from flask_migrate import upgrade

    from lti_app import create_app
    from lti_app.career.frameworks import load_onet_framework
    from lti_app.extensions import db

    with fresh_database(args.database, args.keep) as url:
        app = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "bench-" + uuid.uuid4().hex,
                "BASE_URL": "http://tool.test",
                "GRADE_DELIVERY": "manual",
            }
        )
        peer = PlatformPeer(issuer="https://lms.example.edu")
        table: dict[int, dict[str, Any]] = {}
        try:
            with app.app_context():
                upgrade(revision="heads")
                load_onet_framework()
                peer.register()
                db.session.commit()
                for size in sizes:
                    print(f"{size:,} learners", flush=True)
                    table[size] = run_size(app, peer, size, repeat)
                db.engine.dispose()
        finally:
            peer.close()
    print("\n| request | " + " | ".join(f"{n:,}: p50 / p95 ms, statements, peak MB" for n in sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    for label in next(iter(table.values())):
        cells = [
            f"{t[label]['p50']:.0f} / {t[label]['p95']:.0f}, {t[label]['statements']}, {t[label]['peak_mb']:.1f}"
            for t in table.values()
        ]
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
