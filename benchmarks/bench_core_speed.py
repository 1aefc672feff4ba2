"""How fast the domain's hot paths are, per call, on the whole O*NET catalog: ranking every role for one
learner, one title search, and the self-assessment's three charts for 35 skills and 50 sittings.

    python benchmarks/bench_core_speed.py [--repeat 50]

Prints the median and p95 wall time and the median CPU time per call. Targets (issue 11): ranking every role
under 20 ms, a title search under 20 ms, the three charts under 20 ms. These were timed tests once; timing
belongs here, where a busy machine makes a slow figure, not a red build.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from career_core.onet import load_onet_catalog
from career_core.onet_details import load_onet_details
from career_core.profile_chart import profile_charts_html, progress_points
from career_core.recommend import recommender_for

QUERIES = ["software developer", "HR manager", "sofware developer", "manager", "data scientist", "nurse"]


def measure(label: str, call: Callable[[], object], repeat: int) -> None:
    call()  # warm-up: indexes and caches built once per process
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    walls.sort()
    p95 = walls[min(len(walls) - 1, int(0.95 * len(walls)))]
    print(
        f"{label:<44} median {statistics.median(walls):6.2f} ms  p95 {p95:6.2f} ms  "
        f"CPU median {statistics.median(cpus):6.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    onet = load_onet_catalog()
    details = load_onet_details()
    profile = {s.code: 3.0 for s in onet.framework.skills}
    recommender = recommender_for(onet.catalog)
    measure("rank every role (879) for one learner", lambda: recommender.closest_codes(profile, 10), args.repeat)
    queries = iter(QUERIES * args.repeat * 2)
    measure("one title search (mixed queries)", lambda: details.search(next(queries), 10), args.repeat)
    framework = onet.framework
    start = datetime(2026, 1, 1, tzinfo=UTC)
    sittings = [
        (start + timedelta(days=i), {code: float((i + j) % 8) for j, code in enumerate(framework.codes)})
        for i in range(50)
    ]
    history = progress_points(sittings, framework.codes)
    role = onet.role("15-1253.00")
    measure(
        "three charts, 35 skills, 50 sittings",
        lambda: profile_charts_html(framework, framework.codes, sittings[-1][1], role, history=history),
        args.repeat,
    )


if __name__ == "__main__":
    main()
