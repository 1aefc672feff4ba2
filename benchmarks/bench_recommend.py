"""Offline evaluation of the career recommendations against O*NET's own related occupations.

Run with ``python benchmarks/bench_recommend.py [ONET_DIR] [--noise {step,flip}]`` (default ONET_DIR:
``../shared/data/onet`` from the repository root). For every occupation with Primary-Short related
occupations (``Related Occupations.txt``, ``Relatedness Tier``), a learner whose ratings are that
occupation's skill levels rounded to whole levels asks for recommendations; a second pass perturbs every
rating at random (seeded): ``step`` moves each by -1, 0 or +1, ``flip`` by exactly -1 or +1; both kept
within 0-7. The occupation itself is excluded from its learner's list, and the learner's Job Zone is
not given (the recommender estimates it from the profile).

Printed per pass, for the *closest to you now* list and a plain Euclidean-distance baseline:
- hit@10: the share of Primary-Short related occupations in the top 10 (all of them pooled; "rated"
  counts only the ones with skill ratings, the only ones any skill-based ranking can show);
- JZ diff: mean Job Zone of the top 10 minus the learner's occupation's;
- perfect: share of top-10 entries shown as a perfect fit, i.e. whose explanation lists no skill to grow
  (the old gap-only "100%"); "top band": share shown in the best band, "very close";
- time per learner: the closest list alone (every role looked at; those below the learner's level are
  dropped before scoring) and every list with explanations.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from career_core.onet import OnetCatalog, load_onet_catalog
from career_core.recommend import FitBand, Recommender, recommender_for

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT / ".." / "shared" / "data" / "onet"
SEED = 20261201
TOP = 10


def primary_short(source: Path) -> dict[str, list[str]]:
    related: dict[str, list[str]] = {}
    with (source / "Related Occupations.txt").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["Relatedness Tier"] == "Primary-Short":
                related.setdefault(row["O*NET-SOC Code"], []).append(row["Related O*NET-SOC Code"])
    return related


def learner_profile(onet: OnetCatalog, code: str, rng: random.Random | None, noise: str) -> dict[str, float]:
    profile: dict[str, float] = {}
    for req in onet.role(code).requirements:
        level = float(round(req.level))
        if rng is not None:
            level += rng.choice((-1, 0, 1) if noise == "step" else (-1, 1))
        profile[req.skill_code] = min(7.0, max(0.0, level))
    return profile


def euclidean_top(onet: OnetCatalog, profile: Mapping[str, float], exclude: str) -> list[str]:
    """The baseline: roles by plain Euclidean distance between level vectors."""
    scored = []
    for role in onet.roles:
        if role.code == exclude:
            continue
        levels = role.requirement_by_skill
        distance = sum((profile.get(code, 0.0) - req.level) ** 2 for code, req in levels.items())
        scored.append((distance, role.code))
    scored.sort()
    return [code for _, code in scored[:TOP]]


@dataclass
class Tally:
    hits: int = 0
    targets: int = 0
    rated_targets: int = 0
    zone_diffs: list[float] = field(default_factory=list)
    shown: int = 0
    perfect: int = 0
    top_band: int = 0

    def add(
        self,
        top: Sequence[str],
        related: Sequence[str],
        rated: set[str],
        zone_of: Callable[[str], int | None],
        own_zone: int | None,
    ) -> None:
        self.hits += len(set(top) & set(related))
        self.targets += len(related)
        self.rated_targets += sum(1 for code in related if code in rated)
        if own_zone is not None:
            self.zone_diffs += [z - own_zone for code in top if (z := zone_of(code)) is not None]
        self.shown += len(top)

    def line(self, label: str) -> str:
        hit = self.hits / self.targets
        hit_rated = self.hits / self.rated_targets
        diff = statistics.mean(self.zone_diffs)
        return (
            f"{label:<30} hit@10 {hit:.3f} (rated {hit_rated:.3f})   JZ diff {diff:+.2f}   "
            f"perfect {self.perfect / self.shown:6.1%}   top band {self.top_band / self.shown:6.1%}"
        )


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_pass(
    onet: OnetCatalog, recommender: Recommender, related: dict[str, list[str]], perturb: bool, noise: str
) -> tuple[Tally, Tally, list[float], list[float], list[float]]:
    rng = random.Random(SEED) if perturb else None
    rated = {role.code for role in onet.roles}

    def zone_of(code: str) -> int | None:
        role = onet.catalog.get(code)
        return role.job_zone if role else None

    ours, baseline = Tally(), Tally()
    rank_ms: list[float] = []
    full_ms: list[float] = []
    rank_cpu: list[float] = []
    for code in sorted(related):
        if code not in rated:
            continue  # no skill ratings: no learner profile to build
        profile = learner_profile(onet, code, rng, noise)
        own_zone = zone_of(code)
        started, cpu = time.perf_counter(), time.process_time()
        recommender.closest_codes(profile, TOP, exclude=code)
        rank_ms.append((time.perf_counter() - started) * 1000)
        rank_cpu.append((time.process_time() - cpu) * 1000)
        started = time.perf_counter()
        lists = recommender.recommend(profile, limit=TOP + 1)
        full_ms.append((time.perf_counter() - started) * 1000)
        closest = [r for r in lists.closest if r.code != code][:TOP]
        top = [r.code for r in closest]
        ours.add(top, related[code], rated, zone_of, own_zone)
        ours.perfect += sum(1 for r in closest if not r.to_grow)
        ours.top_band += sum(1 for r in closest if r.band is FitBand.VERY_CLOSE)
        base_top = euclidean_top(onet, profile, code)
        baseline.add(base_top, related[code], rated, zone_of, own_zone)
        for other in base_top:
            # The same display rules applied to the baseline's picks, for comparison.
            shown = recommender.explain(profile, other)
            baseline.perfect += not shown.to_grow
            baseline.top_band += shown.band is FitBand.VERY_CLOSE
    return ours, baseline, rank_ms, full_ms, rank_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--noise", choices=("step", "flip"), default="step")
    args = parser.parse_args()
    onet = load_onet_catalog()
    recommender = recommender_for(onet.catalog)
    related = primary_short(args.source.resolve())
    learners = sum(1 for code in related if onet.catalog.get(code) is not None)
    print(
        f"{learners} learners (occupations with skill ratings and Primary-Short related occupations); "
        f"{sum(map(len, related.values()))} Primary-Short links in all"
    )
    for perturb in (False, True):
        label = f"perturbed ({args.noise}, seed {SEED})" if perturb else "exact (rounded levels)"
        ours, baseline, rank_ms, full_ms, rank_cpu = run_pass(onet, recommender, related, perturb, args.noise)
        print(f"\n== {label}")
        print(ours.line("recommender: closest to you"))
        print(baseline.line("baseline: Euclidean"))
        print(f"{'':<30} ratio to baseline {ours.hits / baseline.hits:.2f}x")
        print(
            f"{'':<30} per learner: closest list ({len(onet.roles)} roles looked at) median "
            f"{statistics.median(rank_ms):.2f} ms p95 {percentile(rank_ms, 0.95):.2f} ms; "
            f"every list with explanations median {statistics.median(full_ms):.2f} ms p95 "
            f"{percentile(full_ms, 0.95):.2f} ms"
        )
        print(
            f"{'':<30} CPU time of the closest list median {statistics.median(rank_cpu):.2f} ms "
            f"p95 {percentile(rank_cpu, 0.95):.2f} ms (wall time grows when other processes share the CPU)"
        )


if __name__ == "__main__":
    main()
