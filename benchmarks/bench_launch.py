"""End-to-end LTI launches per second: Career Toolkit vs a bare pylti1p3 Flask app, in the same run.

Both apps run under gunicorn (same workers and threads, pinned to the same CPU by default) and face the same
platform peer, whose JWKS is served over HTTP on localhost. A launch is the whole browser round: OIDC login,
then POST /lti/launch with an id_token the peer signs for the nonce it was given.

By default it measures what a learner gets: a returning learner landing on the real O*NET self-assessment
page, in the two shapes we ship:

- ``sqlite``: ours on SQLite with state and nonces in the database; the bare app consumes its nonce in an
  SQLite table;
- ``postgres-redis``: ours on PostgreSQL with state in Redis; the bare app consumes its nonce in Redis.

For each app it prints launches/s, p50/p95 launch latency and the CPU the gunicorn workers spent per launch
(read from /proc, so other load on the machine does not count). The apps are measured in alternating rounds
(bare, ours, bare, ours, ...); the ratios printed are medians of the rounds' ratios. Target: ours >= 0.8 x
the bare library.

    python benchmarks/bench_launch.py [--shape sqlite|postgres-redis|both] [--launches 400] [--rounds 3]
        [--concurrency 4] [--workers 2] [--cpus 1] [--new-learners] [--short-page]

``--short-page`` launches a self-assessment placement of one skill (``custom.skills``), a short page: nearly
the launch alone. (The database's migration seeds the O*NET framework, so there is no page-less launch.)
``--new-learners`` makes each launch a first launch, which writes the user, membership and session.
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


def gunicorn(
    app_spec: str, port: int, env: dict[str, str], workers: int, threads: int, cpus: str
) -> subprocess.Popen[bytes]:
    # "Two workers on one CPU": both apps get the same share of the machine, whatever else runs on it.
    pin = ["taskset", "-c", cpus] if cpus else []
    return subprocess.Popen(
        [
            *pin,
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


# The placement a learner lands on: the O*NET self-assessment (by default), or one skill of it (``--short-page``).
LANDING: dict[str, str] = {"component": "self_assessment"}


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
    claims = peer.claims(params["nonce"], sub=sub, custom=LANDING)
    claims[LTI + "target_link_uri"] = base_url + "/lti/launch"
    token = peer.sign(claims)
    started = time.perf_counter()
    launch = browser.post(base_url + "/lti/launch", data={"id_token": token, "state": params["state"]}, timeout=10)
    elapsed = time.perf_counter() - started
    assert launch.status_code == 200, launch.text[:500]
    return elapsed


def worker_pids(master: subprocess.Popen[bytes]) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{master.pid}/task").iterdir():
        children += [int(pid) for pid in (task / "children").read_text().split()]
    return children


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes so far (fields 14 and 15 of /proc/PID/stat, in clock ticks)."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def measure(
    name: str,
    base_url: str,
    server: subprocess.Popen[bytes],
    peer: PlatformPeer,
    launches: int,
    concurrency: int,
    new_learners: bool,
) -> dict[str, float]:
    for _ in range(10):  # warm-up: key caches, connection pools, imports
        one_launch(base_url, peer)

    def sub(number: int) -> str:
        return f"learner-{uuid.uuid4().hex}" if new_learners else "learner-1"

    pids = worker_pids(server)
    cpu_before = cpu_seconds(pids)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        latencies = list(pool.map(lambda number: one_launch(base_url, peer, sub(number)), range(launches)))
    wall = time.perf_counter() - started
    cpu = cpu_seconds(pids) - cpu_before
    latencies.sort()
    result = {
        "launches_per_s": launches / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        # login + launch: the CPU the server spends on one learner's arrival.
        "cpu_ms": cpu / launches * 1000,
    }
    print(
        f"    {name:<26} {result['launches_per_s']:7.1f} launches/s   p50 {result['p50_ms']:6.1f} ms   "
        f"p95 {result['p95_ms']:6.1f} ms   CPU {result['cpu_ms']:5.2f} ms/launch",
        flush=True,
    )
    return result


def create_postgres_database(admin_url: str) -> tuple[str, str]:
    """A fresh database for this run; returns its URL and name."""
    import sqlalchemy

    name = f"bench_launch_{uuid.uuid4().hex[:8]}"
    engine = sqlalchemy.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name, name


def drop_postgres_database(admin_url: str, name: str) -> None:
    import sqlalchemy

    engine = sqlalchemy.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def prepare_tool(env: dict[str, str], peer: PlatformPeer, short_page: bool) -> None:
    cli = [sys.executable, "-m", "lti_app.cli"]
    full_env = {**os.environ, **env}
    subprocess.run([*cli, "db", "upgrade", "heads"], env=full_env, check=True, cwd=ROOT, capture_output=True)
    if not short_page:
        # O*NET's full fixture (the migration already seeds its framework): the page a learner really gets.
        subprocess.run([*cli, "fixtures", "load", "onet"], env=full_env, check=True, cwd=ROOT, capture_output=True)
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
        env=full_env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )


def run_shape(shape: str, args: argparse.Namespace, peer: PlatformPeer) -> dict[str, float]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-launch-"))
    tool_port, bare_port = free_port(), free_port()
    tool_url, bare_url = f"http://127.0.0.1:{tool_port}", f"http://127.0.0.1:{bare_port}"
    pg_name = None
    if shape == "sqlite":
        database_url = f"sqlite:///{workdir}/bench.sqlite"
    else:
        database_url, pg_name = create_postgres_database(args.postgres_url)
    tool_env = {
        "CAREER_TOOLKIT_DATABASE_URL": database_url,
        "CAREER_TOOLKIT_SECRET_KEY": "bench-secret",
        "CAREER_TOOLKIT_BASE_URL": tool_url,
        "CAREER_TOOLKIT_INSTANCE_PATH": str(workdir),
        "CAREER_TOOLKIT_GRADE_DELIVERY": "manual",
    }
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
    if shape == "postgres-redis":
        tool_env["CAREER_TOOLKIT_REDIS_URL"] = args.redis_url
        bare_env["BARE_LTI_REDIS_URL"] = args.redis_url
    else:
        bare_env["BARE_LTI_SQLITE_PATH"] = str(workdir / "bare.sqlite")
    prepare_tool(tool_env, peer, args.short_page)
    servers = {
        "ours": gunicorn("lti_app:create_app()", tool_port, tool_env, args.workers, args.threads, args.cpus),
        "bare": gunicorn("bare_pylti1p3_app:create_app()", bare_port, bare_env, args.workers, args.threads, args.cpus),
    }
    try:
        wait_until_up(tool_url + "/lti/jwks")
        wait_until_up(bare_url + "/")  # any answer will do, even a 404
        print(
            f"shape {shape}: {args.launches} launches per app and round, {args.rounds} rounds, "
            f"{args.concurrency} concurrent browsers, gunicorn {args.workers} workers x {args.threads} threads"
            f"{' on CPU ' + args.cpus if args.cpus else ''}, "
            f"{'a new learner each launch' if args.new_learners else 'one returning learner'}, landing on "
            f"{'a one-skill self-assessment page' if args.short_page else 'the O*NET self-assessment page'}",
            flush=True,
        )
        rounds: list[tuple[dict[str, float], dict[str, float]]] = []
        for round_number in range(1, args.rounds + 1):
            print(f"  round {round_number}", flush=True)
            bare = measure(
                "bare pylti1p3 (baseline)",
                bare_url,
                servers["bare"],
                peer,
                args.launches,
                args.concurrency,
                args.new_learners,
            )
            ours = measure(
                "career toolkit", tool_url, servers["ours"], peer, args.launches, args.concurrency, args.new_learners
            )
            rounds.append((bare, ours))
    finally:
        for server in servers.values():
            server.terminate()
            server.wait(timeout=10)
        if pg_name:
            drop_postgres_database(args.postgres_url, pg_name)

    def median(app: int, key: str) -> float:
        return statistics.median(pair[app][key] for pair in rounds)

    summary = {
        "ratio": statistics.median(ours["launches_per_s"] / bare["launches_per_s"] for bare, ours in rounds),
        "cpu_ratio": statistics.median(bare["cpu_ms"] / ours["cpu_ms"] for bare, ours in rounds),
    }
    for index, app in enumerate(("bare", "ours")):
        for key in ("launches_per_s", "p50_ms", "p95_ms", "cpu_ms"):
            summary[f"{app}_{key}"] = median(index, key)
    print(
        f"  {shape}: medians of {args.rounds} rounds\n"
        f"    bare {summary['bare_launches_per_s']:7.1f} launches/s, p95 {summary['bare_p95_ms']:5.1f} ms, "
        f"CPU {summary['bare_cpu_ms']:5.2f} ms/launch\n"
        f"    ours {summary['ours_launches_per_s']:7.1f} launches/s, p95 {summary['ours_p95_ms']:5.1f} ms, "
        f"CPU {summary['ours_cpu_ms']:5.2f} ms/launch\n"
        f"    ratio ours/bare: throughput {summary['ratio']:.2f}, CPU per launch {summary['cpu_ratio']:.2f} "
        f"(target >= 0.80: {'met' if min(summary['ratio'], summary['cpu_ratio']) >= 0.8 else 'NOT met'})",
        flush=True,
    )
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", choices=["sqlite", "postgres-redis", "both"], default="both")
    parser.add_argument("--launches", type=int, default=400, help="per app and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--new-learners", action="store_true", help="every launch is a learner's first")
    parser.add_argument(
        "--short-page",
        action="store_true",
        help="a one-skill self-assessment placement: a short page (not what a learner gets)",
    )
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--cpus", default="1", help="taskset CPU list both servers share ('' for no pinning)")
    parser.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    if args.short_page:
        LANDING["skills"] = "2.A.1.a"  # one skill: the placement's smallest page (the database seeds O*NET)

    peer = PlatformPeer()
    try:
        shapes = ["sqlite", "postgres-redis"] if args.shape == "both" else [args.shape]
        summaries = {shape: run_shape(shape, args, peer) for shape in shapes}
    finally:
        peer.close()
    print(json.dumps(summaries, indent=1))


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    main()
