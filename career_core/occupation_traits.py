"""What O*NET says about an occupation besides its skills: Job Zone, Work Values and Interests (RIASEC).

The data ships as ``career_core/data/onet_traits.json`` (rebuilt by ``fixtures/build_onet_traits.py``)
and covers every O*NET-SOC code with any of these traits (923), including occupations without skill
ratings. Anything that shows it must also show :data:`career_core.attribution.ONET_ATTRIBUTION`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

#: The six O*NET Work Values, in O*NET's order (element ids 1.B.2.a-f).
WORK_VALUE_NAMES: tuple[str, ...] = (
    "Achievement",
    "Working Conditions",
    "Recognition",
    "Relationships",
    "Support",
    "Independence",
)
#: The six RIASEC interests, in O*NET's order (element ids 1.B.1.a-f).
INTEREST_NAMES: tuple[str, ...] = (
    "Realistic",
    "Investigative",
    "Artistic",
    "Social",
    "Enterprising",
    "Conventional",
)
#: Both trait scales run from 1 (not at all characteristic) to 7 (extremely characteristic).
TRAIT_MIN = 1.0
TRAIT_MAX = 7.0
JOB_ZONES: tuple[int, ...] = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class JobZoneMeaning:
    """O*NET's description of one Job Zone (the preparation an occupation needs)."""

    zone: int
    name: str
    experience: str
    education: str
    training: str
    examples: str
    svp_range: str


@dataclass(frozen=True)
class Trait:
    """A Work Value or an interest, as O*NET's content model describes it."""

    element_id: str
    name: str
    description: str


@dataclass(frozen=True)
class TraitProfile:
    """Scores (1-7) on six traits, keyed by name in O*NET's order, with the occupation's high points."""

    scores: dict[str, float]
    high_points: tuple[str, ...]

    @property
    def high_point_code(self) -> str:
        """The high points' initials, e.g. ``"EC"`` for Enterprising then Conventional (RIASEC style)."""
        return "".join(name[0] for name in self.high_points)


@dataclass(frozen=True)
class _Occupation:
    job_zone: int | None
    values: TraitProfile | None
    interests: TraitProfile | None
    knowledge: tuple[float, ...] | None


@dataclass(frozen=True)
class OccupationTraits:
    """The packaged table; use :func:`load_occupation_traits` or the module-level helpers."""

    job_zones: dict[int, JobZoneMeaning]
    work_value_traits: tuple[Trait, ...]
    interest_traits: tuple[Trait, ...]
    knowledge_names: tuple[str, ...]
    occupations: dict[str, _Occupation]
    attribution: str
    license_url: str


def _profile(names: tuple[str, ...], scores: list[float] | None, highs: list[int] | None) -> TraitProfile | None:
    if scores is None:
        return None
    return TraitProfile(
        scores={name: float(score) for name, score in zip(names, scores, strict=True)},
        high_points=tuple(names[h - 1] for h in highs or ()),
    )


def _parse(data: dict[str, Any]) -> OccupationTraits:
    zones = {
        int(zone): JobZoneMeaning(int(zone), name, experience, education, training, examples, svp)
        for zone, name, experience, education, training, examples, svp in data["job_zones"]
    }
    values = tuple(Trait(*row) for row in data["work_values"])
    interests = tuple(Trait(*row) for row in data["interests"])
    if tuple(t.name for t in values) != WORK_VALUE_NAMES or tuple(t.name for t in interests) != INTEREST_NAMES:
        raise ValueError("onet_traits.json: unexpected Work Values or Interests")
    occupations = {
        code: _Occupation(
            zone,
            _profile(WORK_VALUE_NAMES, value_scores, value_highs),
            _profile(INTEREST_NAMES, interest_scores, interest_highs),
            tuple(float(level) for level in knowledge) if knowledge is not None else None,
        )
        for code, (zone, value_scores, value_highs, interest_scores, interest_highs, knowledge) in data[
            "occupations"
        ].items()
    }
    knowledge_names = tuple(name for _, name in data["knowledge"])
    return OccupationTraits(
        zones, values, interests, knowledge_names, occupations, data["attribution"], data["license_url"]
    )


@lru_cache(maxsize=1)
def load_occupation_traits() -> OccupationTraits:
    """The packaged traits table, read once per process (works from a wheel or a zip)."""
    text = resources.files("career_core").joinpath("data/onet_traits.json").read_text(encoding="utf-8")
    return _parse(json.loads(text))


def job_zone(code: str) -> int | None:
    """The occupation's Job Zone (1-5), or ``None`` when O*NET gives none or the code is unknown."""
    occupation = load_occupation_traits().occupations.get(code)
    return occupation.job_zone if occupation else None


def job_zone_meaning(zone: int) -> JobZoneMeaning:
    """What a Job Zone means (name, experience, education, training, examples). :raise KeyError: if not 1-5."""
    return load_occupation_traits().job_zones[zone]


def work_values(code: str) -> TraitProfile | None:
    """The occupation's six Work Values (extent, 1-7) and high points, or ``None`` when O*NET has none."""
    occupation = load_occupation_traits().occupations.get(code)
    return occupation.values if occupation else None


def interests(code: str) -> TraitProfile | None:
    """The occupation's RIASEC interest scores (1-7) and high-point code, or ``None`` when O*NET has none."""
    occupation = load_occupation_traits().occupations.get(code)
    return occupation.interests if occupation else None


def knowledge_levels(code: str) -> dict[str, float] | None:
    """The occupation's Knowledge levels (LV, 0-7) by knowledge area, or ``None`` without skill ratings."""
    table = load_occupation_traits()
    occupation = table.occupations.get(code)
    if occupation is None or occupation.knowledge is None:
        return None
    return dict(zip(table.knowledge_names, occupation.knowledge, strict=True))


def work_value_traits() -> tuple[Trait, ...]:
    """The six Work Values with O*NET's descriptions."""
    return load_occupation_traits().work_value_traits


def interest_traits() -> tuple[Trait, ...]:
    """The six RIASEC interests with O*NET's descriptions."""
    return load_occupation_traits().interest_traits
