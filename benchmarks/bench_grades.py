"""Grade delivery throughput: 10,000 scores through the outbox and dispatcher to a local AGS endpoint.

Prints the dispatcher's scores/s, its ratio to the endpoint's own ceiling measured in the same run (a plain
client posting to it with keep-alive and the same concurrency, no outbox), and token requests per 1,000 scores.
The endpoint (tests/grades/ags_peer.py) runs in its own process, so it does not share our interpreter lock.

    python benchmarks/bench_grades.py [--scores 10000] [--concurrency 8] [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import json
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINE_ITEMS = 10  # the dispatcher uses items 0-9, the ceiling client items 10-19: no timestamp conflicts


def start_endpoint(workdir: Path, jwks: dict[str, Any]) -> tuple[subprocess.Popen[bytes], str]:
    jwks_file, port_file = workdir / "jwks.json", workdir / "peer.url"
    jwks_file.write_text(json.dumps(jwks))
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.grades.ags_peer", "--jwks-file", str(jwks_file), "--port-file", str(port_file)],
        cwd=ROOT,
    )
    deadline = time.monotonic() + 20
    while not port_file.exists() or not port_file.read_text():
        if time.monotonic() > deadline or process.poll() is not None:
            raise SystemExit("the AGS endpoint did not start")
        time.sleep(0.05)
    return process, port_file.read_text()


def stats(base_url: str) -> dict[str, Any]:
    return dict(requests.get(base_url + "/_stats", timeout=5).json())


def ceiling(base_url: str, token: str, count: int, concurrency: int, round_no: int) -> float:
    """The endpoint's own throughput: keep-alive sessions, same concurrency, no database, no outbox."""
    local = threading.local()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + f".{round_no:03d}Z"

    def post(index: int) -> int:
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
            adapter = requests.adapters.HTTPAdapter(pool_maxsize=concurrency)
            session.mount("http://", adapter)
        item = LINE_ITEMS + index % LINE_ITEMS
        response = session.post(
            f"{base_url}/lineitems/{item}/lineitem/scores?type_id=1",
            json={
                "userId": f"ceiling-{round_no}-{index}",
                "scoreGiven": 1.0,
                "scoreMaximum": 1.0,
                "activityProgress": "Completed",
                "gradingProgress": "FullyGraded",
                "timestamp": stamp,
            },
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/vnd.ims.lis.v1.score+json"},
            timeout=10,
        )
        return response.status_code

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        codes = list(pool.map(post, range(count)))
    elapsed = time.perf_counter() - started
    assert set(codes) == {200}, set(codes)
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scores", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", help="default: SQLite in a temporary directory")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from lti_app import create_app, keyring
    from lti_app.extensions import db
    from lti_app.grades import enqueue_score
    from lti_app.grades.dispatch import Dispatcher
    from lti_app.grades.tokens import PlatformCredentials, client_assertion
    from lti_app.models.base import utcnow
    from lti_app.models.grades import DELIVERED, ScoreDelivery
    from lti_app.models.people import Context, LaunchSession, LtiUser, ResourceLink
    from lti_app.models.platform import Deployment, Platform

    with tempfile.TemporaryDirectory() as temp:
        workdir = Path(temp)
        database_url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite'}"
        app = create_app(
            {
                "DATABASE_URL": database_url,
                "SECRET_KEY": secrets.token_urlsafe(32),
                "GRADE_DELIVERY": "manual",
                "GRADE_CONCURRENCY": args.concurrency,
                "GRADE_PLATFORM_CONCURRENCY": args.concurrency,
            }
        )
        app.instance_path = str(workdir)
        with app.app_context():
            upgrade(revision="heads")
            keyring.ensure_active_key(app.config["SECRET_KEY"])
            endpoint, base_url = start_endpoint(workdir, keyring.published_jwks())
            try:
                platform = Platform(
                    name="Bench LMS",
                    issuer="https://bench.example.edu",
                    client_id="career-toolkit-client",
                    auth_login_url="https://bench.example.edu/auth",
                    auth_token_url=base_url + "/token",
                )
                platform.deployments.append(Deployment(deployment_id="d1"))
                db.session.add(platform)
                db.session.flush()
                context = Context(platform_id=platform.id, deployment_pk=platform.deployments[0].id, lti_context_id="c")
                db.session.add(context)
                db.session.flush()
                links = [ResourceLink(context_pk=context.id, lti_resource_link_id=f"l{n}") for n in range(LINE_ITEMS)]
                db.session.add_all(links)
                db.session.commit()

                started = time.perf_counter()
                for index in range(args.scores):
                    if index % LINE_ITEMS == 0:
                        user = LtiUser(issuer=platform.issuer, sub=f"learner-{index // LINE_ITEMS}")
                        db.session.add(user)
                    item = index % LINE_ITEMS
                    launch = LaunchSession(
                        id=f"bench-{index}",
                        platform_id=platform.id,
                        role="learner",
                        message_type="LtiResourceLinkRequest",
                        claims={AGS: {"lineitem": f"{base_url}/lineitems/{item}/lineitem?type_id=1", "scope": [SCORE]}},
                        expires_at=utcnow() + timedelta(hours=1),
                    )
                    launch.user, launch.resource_link, launch.platform_id = user, links[item], platform.id
                    enqueue_score(launch, score_given=index % 100, score_maximum=100, completed=True)
                    if index % 1000 == 999:
                        db.session.commit()
                db.session.commit()
                enqueue_rate = args.scores / (time.perf_counter() - started)

                credentials = PlatformCredentials.of(platform)
                kid, pem = keyring.signing_material(app.config["SECRET_KEY"])
                token = requests.post(
                    credentials.token_url,
                    data={
                        "grant_type": "client_credentials",
                        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                        "client_assertion": client_assertion(credentials, kid, pem),
                        "scope": SCORE,
                    },
                    timeout=10,
                ).json()["access_token"]
                before = ceiling(base_url, token, args.scores, args.concurrency, 1)

                tokens_before = stats(base_url)["token_requests"]
                dispatcher = Dispatcher(app)
                started = time.perf_counter()
                summary = dispatcher.drain()
                elapsed = time.perf_counter() - started
                dispatcher.close()
                tokens_used = stats(base_url)["token_requests"] - tokens_before

                after = ceiling(base_url, token, args.scores, args.concurrency, 2)
                delivered = db.session.scalar(
                    db.select(db.func.count()).select_from(ScoreDelivery).where(ScoreDelivery.status == DELIVERED)
                )
                final = stats(base_url)
            finally:
                endpoint.terminate()
                endpoint.wait(timeout=10)

    throughput = args.scores / elapsed
    best = max(before, after)
    database = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(f"database                     {database}, concurrency {args.concurrency}")
    print(f"enqueued                     {args.scores} scores at {enqueue_rate:,.0f}/s (one transaction per 1,000)")
    print(f"dispatcher                   {throughput:,.0f} scores/s ({elapsed:.2f} s, {summary.as_dict()})")
    print(f"endpoint ceiling             {best:,.0f} scores/s (runs: {before:,.0f} before, {after:,.0f} after)")
    mean = (before + after) / 2
    ratios = f"{throughput / best:.2f} to the best ceiling run, {throughput / mean:.2f} to the mean"
    print(f"ratio                        {ratios}")
    print(
        f"token requests per 1,000     {tokens_used * 1000 / args.scores:.2f} ({tokens_used} for {args.scores} scores)"
    )
    accepted = final["accepted"] - 2 * args.scores
    print(f"delivered rows / accepted    {delivered} / {accepted} (refused: {final['refused']})")


if __name__ == "__main__":
    main()
