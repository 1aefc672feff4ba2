"""What O*NET says about each of its 1,016 occupations beyond skill ratings, and the skills' level anchors.

The data ships as ``career_core/data/onet_details.json`` (rebuilt by ``fixtures/build_onet_details.py``): titles
people use (for :mod:`career_core.title_search`), main tasks, Job Zone, typical education and experience, hot
technologies, related occupations, and the Level Scale Anchors that say what a level looks like in one skill.
Anything that shows it must also show the O*NET attribution (CC BY 4.0).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from career_core.roles import RelatednessTier, Role, RoleCatalog
from career_core.scales import ProficiencyScale
from career_core.title_search import TitleEntry, TitleIndex, TitleMatch


@dataclass(frozen=True)
class Share:
    """The most common answer respondents gave (an education level, a span of experience) and its share."""

    text: str
    percent: float


@dataclass(frozen=True)
class Occupation:
    """One O*NET occupation as a person would want it described."""

    code: str
    title: str
    description: str
    job_zone: int | None
    title_sources: tuple[tuple[str, int], ...]  # other titles and how many O*NET sources give each, most first
    tasks: tuple[str, ...]
    education: Share | None
    experience: Share | None
    hot_technologies: tuple[str, ...]
    related: tuple[tuple[str, ...], ...]  # codes per relatedness tier, closest first

    @property
    def other_titles(self) -> tuple[str, ...]:
        return tuple(title for title, _ in self.title_sources)

    def related_codes(self) -> list[tuple[str, RelatednessTier]]:
        return [(code, tier) for tier, codes in zip(RelatednessTier, self.related, strict=True) for code in codes]


@dataclass(frozen=True)
class LevelAnchor:
    """What level ``value`` of a skill looks like, in O*NET's words ("Read a scientific journal article...")."""

    value: int
    example: str


@dataclass(frozen=True)
class StandIn:
    """A rated occupation to measure gaps against when the one a person chose has no skill ratings."""

    role: Role
    reason: str


@dataclass(frozen=True, eq=False)
class OnetDetails:
    occupations: Mapping[str, Occupation]
    anchors: Mapping[str, tuple[LevelAnchor, ...]]
    attribution: str
    license_url: str

    def occupation(self, code: str) -> Occupation:
        """:raise KeyError: no O*NET occupation with this code."""
        return self.occupations[code]

    def get(self, code: str) -> Occupation | None:
        return self.occupations.get(code)

    @cached_property
    def title_index(self) -> TitleIndex:
        """Every official, alternate and reported title; built on first use and kept."""

        def entries() -> Any:
            for occupation in self.occupations.values():
                yield TitleEntry(occupation.code, occupation.title, 0)
            for occupation in self.occupations.values():
                for title, sources in occupation.title_sources:
                    yield TitleEntry(occupation.code, title, sources)

        return TitleIndex(entries())

    def search(self, text: str, limit: int = 8) -> list[TitleMatch]:
        return self.title_index.search(text, limit)

    @cached_property
    def _related_to(self) -> dict[str, list[tuple[str, RelatednessTier]]]:
        incoming: dict[str, list[tuple[int, str, RelatednessTier]]] = {}
        for occupation in self.occupations.values():
            for rank, (target, tier) in enumerate(occupation.related_codes()):
                incoming.setdefault(target, []).append((rank, occupation.code, tier))
        return {code: [(origin, tier) for _, origin, tier in sorted(items)] for code, items in incoming.items()}

    def related_to(self, code: str) -> list[tuple[str, RelatednessTier]]:
        """The occupations that list ``code`` among their related occupations: the moves into it, closest first."""
        return list(self._related_to.get(code, ()))

    def level_anchors(self, skill_code: str) -> tuple[LevelAnchor, ...]:
        return self.anchors.get(skill_code, ())

    def stand_ins(self, code: str, catalog: RoleCatalog, limit: int = 3) -> list[StandIn]:
        """Rated occupations to use for gaps to ``code`` when O*NET has no skill ratings for it.

        O*NET's own related occupations come first (closest tier first), then rated occupations of the same
        SOC broad group (the code's first six characters, e.g. 15-125x), then of the same minor group.
        :raise KeyError: an unknown code.
        """
        occupation = self.occupation(code)
        found: dict[str, StandIn] = {}
        for related, tier in occupation.related_codes():
            role = catalog.get(related)
            if role is not None and related != code:
                found.setdefault(related, StandIn(role, f"O*NET lists it as related ({tier.value})"))
            if len(found) >= limit:
                return list(found.values())
        for prefix, words in ((code[:6], "the same occupation group"), (code[:5], "the same wider group")):
            for role in catalog.roles:
                if role.code.startswith(prefix) and role.code != code:
                    found.setdefault(role.code, StandIn(role, f"in {words} ({prefix}…)"))
                if len(found) >= limit:
                    return list(found.values())
        return list(found.values())


def _share(pair: list[Any] | None, names: Mapping[str, str]) -> Share | None:
    if not pair:
        return None
    return Share(names.get(str(pair[0]), str(pair[0])), float(pair[1]))


def _parse(data: dict[str, Any]) -> OnetDetails:
    education, experience = data["categories"]["RL"], data["categories"]["RW"]
    occupations: dict[str, Occupation] = {}
    for code, title, description, zone, titles, tasks, rl, rw, tech, related in data["occupations"]:
        occupations[code] = Occupation(
            code=code,
            title=title,
            description=description,
            job_zone=zone,
            title_sources=tuple((str(name), int(sources)) for sources, names in titles for name in names),
            tasks=tuple(tasks),
            education=_share(rl, education),
            experience=_share(rw, experience),
            hot_technologies=tuple(tech),
            related=tuple(tuple(codes) for codes in related),
        )
    anchors = {
        code: tuple(LevelAnchor(int(value), text) for value, text in items) for code, items in data["anchors"].items()
    }
    return OnetDetails(
        occupations=MappingProxyType(occupations),
        anchors=MappingProxyType(anchors),
        attribution=data["attribution"],
        license_url=data["license_url"],
    )


@lru_cache(maxsize=1)
def load_onet_details() -> OnetDetails:
    """The packaged O*NET occupation details, read once per process (works from a wheel or a zip)."""
    text = resources.files("career_core").joinpath("data/onet_details.json").read_text(encoding="utf-8")
    return _parse(json.loads(text))


# --- what a level looks like in one skill ------------------------------------------------------------------------


@dataclass(frozen=True)
class AnchoredLevel:
    """A scale level as it reads for one skill: the scale's name, and its meaning in that skill."""

    value: int
    name: str
    meaning: str
    anchored: bool  # True where O*NET gives an example for exactly this level


def anchored_levels(scale: ProficiencyScale, anchors: tuple[LevelAnchor, ...]) -> tuple[AnchoredLevel, ...]:
    """Each level of ``scale`` described with the skill's anchors (O*NET gives examples at 2, 4 and 6).

    An anchored level reads as its example; a level between two anchors as beyond the lower and short of the
    upper; below the first or above the last anchor, relative to that anchor. Level 0 keeps the scale's
    wording ("not used"), and a skill without anchors keeps the scale's generic descriptors throughout.
    """
    if not anchors:
        return tuple(AnchoredLevel(lv.value, lv.name, lv.descriptor, False) for lv in scale.levels)
    by_value = {anchor.value: anchor.example for anchor in anchors}
    ordered = sorted(by_value)
    out = []
    for level in scale.levels:
        value = level.value
        if value in by_value:
            out.append(AnchoredLevel(value, level.name, by_value[value], True))
            continue
        lower = max((v for v in ordered if v < value), default=None)
        upper = min((v for v in ordered if v > value), default=None)
        if value <= scale.min or (lower is None and upper is None):
            meaning = level.descriptor
        elif lower is None:
            meaning = f"Not yet: {_lower_first(by_value[upper])}" if upper is not None else level.descriptor
        elif upper is None:
            meaning = f"Beyond: {_lower_first(by_value[lower])}"
        else:
            meaning = f"More than: {_lower_first(by_value[lower])}; not yet: {_lower_first(by_value[upper])}"
        out.append(AnchoredLevel(value, level.name, meaning, False))
    return tuple(out)


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless it starts an acronym ("CPR" stays)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
