"""Time the xAPI statements endpoint: batches as the blocks send them, and replays of the same batches.

Run with ``python benchmarks/bench_xapi.py [DATABASE_URL]`` (default: a fresh SQLite file). A replay is the
retry after a lost answer: it should cost a read, not a write.
"""

from __future__ import annotations

import base64
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

from flask_migrate import upgrade

from career_core.evidence import EvidenceSource, evidence_for_completion
from career_core.xapi import statement_for_evidence
from lti_app import create_app
from lti_app.platforms import PlatformRegistration, add_platform
from lti_app.xapi.sources import add_source

ISSUER = "https://courses.example.org"
BATCHES = 40
BATCH = 50


def batch(learner: str, start: datetime) -> list[dict[str, object]]:
    statements = []
    for n in range(BATCH):
        (record,) = evidence_for_completion(
            learner_id=learner,
            skill_levels={f"2.A.1.{'abcdef'[n % 6]}": n % 7},
            source=EvidenceSource.SELF_ASSESSMENT,
            recorded_at=start + timedelta(seconds=n),
            activity_id="block-v1:Org+C+R+type@career_self_assessment+block@1",
        )
        statements.append(
            statement_for_evidence(record, home_page="http://tool.bench", skill_name="s", account=(ISSUER, learner))
        )
    return statements


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else "sqlite:///" + tempfile.mkdtemp() + "/bench.sqlite"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "BASE_URL": "http://tool.bench"})
    with app.app_context():
        upgrade(revision="heads")
        add_platform(
            PlatformRegistration(
                name="Open edX",
                issuer=ISSUER,
                client_id="c",
                auth_login_url=ISSUER + "/auth",
                auth_token_url=ISSUER + "/token",
                key_set_url=ISSUER + "/jwks",
                deployment_ids=["1"],
            )
        )
        created = add_source("bench", ISSUER)
        credentials = base64.b64encode(f"{created.source.key}:{created.secret}".encode()).decode()
    headers = {"Authorization": f"Basic {credentials}", "X-Experience-API-Version": "1.0.3"}
    client = app.test_client()
    t0 = datetime(2026, 12, 1, tzinfo=UTC)
    batches = [batch(f"learner-{n}", t0) for n in range(BATCHES)]
    for label in ("new statements", "replays"):
        samples = []
        for body in batches:
            started = time.perf_counter()
            answer = client.post("/xapi/statements", json=body, headers=headers)
            samples.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200, answer.get_json()
        median = statistics.median(samples)
        print(
            f"{label:<16} batch of {BATCH}: median {median:7.1f} ms, p95 "
            f"{statistics.quantiles(samples, n=20)[-1]:7.1f} ms  ({BATCH * 1000 / median:6.0f} statements/s)"
        )


if __name__ == "__main__":
    main()
