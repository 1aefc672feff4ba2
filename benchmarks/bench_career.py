"""Time ranking every O*NET occupation for one learner, and a path between two distant roles.

Run with ``python benchmarks/bench_career.py``. The baseline is the straightforward approach the
RoleIndex replaces: a full gap analysis (per-skill dataclasses, explanations) for every role, then
a sort. Both run in the same process so the ratio is comparable across machines.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

from career_core.gaps import gap_analysis
from career_core.onet import load_onet_catalog
from career_core.paths import cheapest_path
from career_core.ranking import rank_roles

RUNS = 200
BASELINE_RUNS = 20


def timings(fn: Callable[[], object], runs: int, warmup: int = 5) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def summary(label: str, samples: list[float]) -> float:
    median = statistics.median(samples)
    p95 = statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)
    print(f"{label:<48} median {median:8.2f} ms   p95 {p95:8.2f} ms   ({len(samples)} runs)")
    return median


def main() -> None:
    started = time.perf_counter()
    onet = load_onet_catalog()
    print(f"load_onet_catalog (first call)                   {(time.perf_counter() - started) * 1000:8.1f} ms")
    rng = random.Random(42)
    profile = {skill.code: float(rng.randint(0, 6)) for skill in onet.framework.skills}
    index = onet.role_index
    roles = onet.roles

    def baseline() -> list[tuple[float, str]]:
        reports = [gap_analysis(profile, role) for role in roles]
        return sorted((-r.fit, r.role_code) for r in reports)

    fast = summary(f"rank_roles, all {len(roles)} roles (RoleIndex)", timings(lambda: rank_roles(profile, index), RUNS))
    summary("rank_roles, top 10", timings(lambda: rank_roles(profile, index, limit=10), RUNS))
    slow = summary("baseline: gap_analysis per role + sort", timings(baseline, BASELINE_RUNS, warmup=1))
    print(f"speed-up over baseline: {slow / fast:.1f}x")

    assert [f.role_code for f in rank_roles(profile, index)] == [code for _, code in baseline()]

    source, target = "11-1011.00", "53-7121.00"  # Chief Executives -> Tank Car, Truck, and Ship Loaders
    path = cheapest_path(onet.catalog, profile, source, target)
    summary(
        f"cheapest_path {source} -> {target}",
        timings(lambda: cheapest_path(onet.catalog, profile, source, target), 50),
    )
    if path is not None:
        print(f"  path: {' -> '.join(path.role_codes)}  cost {path.total_cost:.2f}")


if __name__ == "__main__":
    main()
