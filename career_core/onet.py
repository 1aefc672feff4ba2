"""The packaged O*NET 29.3 catalog: its 35 skills, 879 occupations and their related occupations.

The data ships as ``career_core/data/onet.json`` (rebuilt by ``fixtures/build_onet.py``). Anything
that shows it must also show :attr:`OnetCatalog.attribution` (CC BY 4.0).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from career_core.frameworks import Skill, SkillFramework
from career_core.ranking import RoleIndex, index_for
from career_core.roles import RelatednessTier, Role, RoleCatalog, RoleRequirement, Transition
from career_core.scales import ONET_LEVEL_SCALE, ProficiencyScale


@dataclass(frozen=True, eq=False)
class OnetCatalog:
    """O*NET skills as a framework, occupations as roles, related occupations as transitions."""

    framework: SkillFramework
    catalog: RoleCatalog
    attribution: str
    license_url: str
    release: str

    @property
    def scale(self) -> ProficiencyScale:
        return self.framework.scale

    @property
    def roles(self) -> tuple[Role, ...]:
        return self.catalog.roles

    @property
    def transitions(self) -> tuple[Transition, ...]:
        return self.catalog.transitions

    def role(self, code: str) -> Role:
        """The occupation with this O*NET-SOC code; :raise KeyError: when there is none."""
        return self.catalog.role(code)

    @property
    def role_index(self) -> RoleIndex:
        """Built on first use and kept, so ranking every occupation stays a tight loop."""
        return index_for(self.catalog)


def _parse(data: dict[str, Any]) -> OnetCatalog:
    skills = tuple(
        Skill(code=code, name=name, description=description, category=category)
        for code, name, description, category in data["skills"]
    )
    meta = data["framework"]
    framework = SkillFramework(meta["id"], meta["title"], meta["version"], ONET_LEVEL_SCALE, skills)
    roles = []
    for code, title, description, job_zone, values in data["roles"]:
        requirements = tuple(
            RoleRequirement(skill.code, float(values[2 * i]), float(values[2 * i + 1]))
            for i, skill in enumerate(skills)
            if values[2 * i] is not None and values[2 * i + 1] is not None
        )
        roles.append(Role(code, title, description, requirements, job_zone))
    tiers = [RelatednessTier(name) for name in data["tiers"]]
    transitions = [
        Transition(roles[origin].code, roles[target].code, tier.strength)
        for origin, *targets_by_tier in data["transitions"]
        for tier, targets in zip(tiers, targets_by_tier, strict=True)
        for target in targets
    ]
    return OnetCatalog(
        framework=framework,
        catalog=RoleCatalog(tuple(roles), tuple(transitions)),
        attribution=data["attribution"],
        license_url=data["license_url"],
        release=data["source"]["release"],
    )


@lru_cache(maxsize=1)
def load_onet_catalog() -> OnetCatalog:
    """The packaged O*NET catalog, read once per process (works from a wheel or a zip)."""
    text = resources.files("career_core").joinpath("data/onet.json").read_text(encoding="utf-8")
    return _parse(json.loads(text))
