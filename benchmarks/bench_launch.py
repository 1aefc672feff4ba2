"""End-to-end LTI launches per second: Career Toolkit vs a bare pylti1p3 Flask app, in the same run.

Both apps run under gunicorn (same workers and threads) and face the same platform peer, whose JWKS is
served over HTTP on localhost. A launch is the whole browser round: OIDC login, then POST /lti/launch
with an id_token the peer signs for the nonce it was given. Prints launches/s, p50/p95 launch latency
and the ratio (target: ours >= 0.8 x the bare library, p95 < 50 ms).

    python benchmarks/bench_launch.py [--launches 400] [--rounds 3] [--concurrency 4] [--database-url URL]
        [--new-learners] [--onet-page]

The two apps are measured in alternating rounds (bare, ours, bare, ours, ...) so a machine that gets
busier or quieter during the run weighs on both; the ratio printed is the median of the rounds' ratios.
By default every launch is the same returning learner (the common case in a course); ``--new-learners``
makes each launch a first launch, which writes the user, membership and session.

The target compares the launch itself, as the bare app does it: by default no framework is loaded, so our
launch lands on a short page, as the bare app answers with one line. ``--onet-page`` adds the cost of the
page a learner really lands on, the O*NET self-assessment (its render is then most of the difference).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.lti.platform_peer import LTI, PlatformPeer  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            requests.get(url, timeout=5)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


# Two servers run side by side, and newer gunicorns (27+) would both claim the default control socket path.
_NO_CONTROL_SOCKET = (
    ["--no-control-socket"]
    if "--no-control-socket"
    in subprocess.run([sys.executable, "-m", "gunicorn", "--help"], capture_output=True, text=True).stdout
    else []
)


def gunicorn(app_spec: str, port: int, env: dict[str, str], workers: int, threads: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app_spec,
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
            *_NO_CONTROL_SOCKET,
        ],
        env={**os.environ, **env},
        cwd=ROOT,
    )


def one_launch(base_url: str, peer: PlatformPeer, sub: str = "learner-1") -> float:
    browser = requests.Session()
    login = browser.get(
        base_url + "/lti/login",
        params=peer.login_params(target_link_uri=base_url + "/lti/launch"),
        allow_redirects=False,
        timeout=10,
    )
    assert login.status_code == 302, login.text
    params = {k: v[0] for k, v in parse_qs(urlsplit(login.headers["Location"]).query).items()}
    claims = peer.claims(params["nonce"], sub=sub)
    claims[LTI + "target_link_uri"] = base_url + "/lti/launch"
    token = peer.sign(claims)
    started = time.perf_counter()
    launch = browser.post(base_url + "/lti/launch", data={"id_token": token, "state": params["state"]}, timeout=10)
    elapsed = time.perf_counter() - started
    assert launch.status_code == 200, launch.text[:500]
    return elapsed


def measure(
    name: str, base_url: str, peer: PlatformPeer, launches: int, concurrency: int, new_learners: bool
) -> dict[str, float]:
    for _ in range(10):  # warm-up: key caches, connection pools, imports
        one_launch(base_url, peer)

    def sub(number: int) -> str:
        return f"learner-{uuid.uuid4().hex}" if new_learners else "learner-1"

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        latencies = list(pool.map(lambda number: one_launch(base_url, peer, sub(number)), range(launches)))
    wall = time.perf_counter() - started
    latencies.sort()
    result = {
        "launches_per_s": launches / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }
    print(
        f"  {name:<26} {result['launches_per_s']:8.1f} launches/s   p50 {result['p50_ms']:6.1f} ms   "
        f"p95 {result['p95_ms']:6.1f} ms"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--launches", type=int, default=400, help="per app and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--new-learners", action="store_true", help="every launch is a learner's first")
    parser.add_argument(
        "--onet-page",
        action="store_true",
        help="load O*NET first, so each launch lands on the full self-assessment page (35 skills x 8 levels)",
    )
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temporary folder")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/14",
        help="state and nonce for both apps (pass '' to keep ours in the database and the bare app's in its session)",
    )
    args = parser.parse_args()

    peer = PlatformPeer()
    workdir = Path(tempfile.mkdtemp(prefix="bench-launch-"))
    tool_port, bare_port = free_port(), free_port()
    tool_url, bare_url = f"http://127.0.0.1:{tool_port}", f"http://127.0.0.1:{bare_port}"
    tool_env = {
        "CAREER_TOOLKIT_DATABASE_URL": args.database_url or f"sqlite:///{workdir}/bench.sqlite",
        "CAREER_TOOLKIT_SECRET_KEY": "bench-secret",
        "CAREER_TOOLKIT_BASE_URL": tool_url,
        "CAREER_TOOLKIT_INSTANCE_PATH": str(workdir),
        "CAREER_TOOLKIT_GRADE_DELIVERY": "manual",
    }
    if args.redis_url:
        tool_env["CAREER_TOOLKIT_REDIS_URL"] = args.redis_url
    cli = [sys.executable, "-m", "lti_app.cli"]
    env = {**os.environ, **tool_env}
    subprocess.run([*cli, "db", "upgrade", "heads"], env=env, check=True, cwd=ROOT, capture_output=True)
    if args.onet_page:
        # With O*NET loaded the launch lands on the page a learner really gets first, the heaviest we have.
        subprocess.run([*cli, "fixtures", "load", "onet"], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run(
        [
            *cli,
            "platforms",
            "add",
            "--name",
            "Bench LMS",
            "--issuer",
            peer.issuer,
            "--client-id",
            peer.client_id,
            "--auth-login-url",
            peer.issuer + "/auth",
            "--auth-token-url",
            peer.issuer + "/token",
            "--key-set-url",
            peer.key_set_url,
            "--deployment-id",
            peer.deployment_id,
        ],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    bare_env = {
        "BARE_LTI_SETTINGS": json.dumps(
            {
                "issuer": peer.issuer,
                "client_id": peer.client_id,
                "key_set_url": peer.key_set_url,
                "deployment_id": peer.deployment_id,
                "base_url": bare_url,
            }
        ),
        "PYTHONPATH": str(ROOT / "benchmarks"),
    }
    if args.redis_url:
        bare_env["BARE_LTI_REDIS_URL"] = args.redis_url
    servers = [
        gunicorn("lti_app:create_app()", tool_port, tool_env, args.workers, args.threads),
        gunicorn("bare_pylti1p3_app:create_app()", bare_port, bare_env, args.workers, args.threads),
    ]
    try:
        wait_until_up(tool_url + "/lti/jwks")
        wait_until_up(bare_url + "/")  # any answer will do, even a 404
        print(
            f"{args.launches} launches per app and round, {args.rounds} rounds, {args.concurrency} concurrent "
            f"browsers, gunicorn {args.workers} workers x {args.threads} threads, database "
            f"{'SQLite' if not args.database_url else args.database_url.split(':')[0]}, "
            f"{'a new learner each launch' if args.new_learners else 'one returning learner'}, landing on "
            f"{'the O*NET self-assessment page' if args.onet_page else 'a short page (no framework loaded)'}"
        )
        ratios, our_p95s = [], []
        for round_number in range(1, args.rounds + 1):
            print(f"round {round_number}")
            bare = measure(
                "bare pylti1p3 (baseline)", bare_url, peer, args.launches, args.concurrency, args.new_learners
            )
            ours = measure("career toolkit", tool_url, peer, args.launches, args.concurrency, args.new_learners)
            ratios.append(ours["launches_per_s"] / bare["launches_per_s"])
            our_p95s.append(ours["p95_ms"])
        ratio, p95 = statistics.median(ratios), statistics.median(our_p95s)
        print(
            f"ratio (ours / bare), median of {args.rounds} rounds: {ratio:.2f} "
            f"(rounds: {', '.join(f'{r:.2f}' for r in ratios)}); our p95 {p95:.1f} ms. "
            f"Target: ratio >= 0.80 and p95 < 50 ms: {'met' if ratio >= 0.8 and p95 < 50 else 'NOT met'}"
        )
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
        peer.close()


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    main()
