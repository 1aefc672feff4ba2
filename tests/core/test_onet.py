"""The packaged O*NET catalog: contents, attribution, and ranking and paths over real data."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from career_core.attribution import ONET_ATTRIBUTION, ONET_LICENSE_URL
from career_core.case import export_case, import_case
from career_core.onet import load_onet_catalog
from career_core.paths import cheapest_path
from career_core.ranking import rank_roles


def test_catalog_contents() -> None:
    onet = load_onet_catalog()
    assert onet is load_onet_catalog()  # cached
    assert len(onet.framework.skills) == 35
    assert {s.code[:3] for s in onet.framework.skills} == {"2.A", "2.B"}
    assert onet.framework.skill("2.A.1.a").name == "Reading Comprehension"
    assert onet.framework.skill("2.B.1.a").category == "Social Skills"
    assert set(onet.framework.categories()) == {
        "Content",
        "Process",
        "Social Skills",
        "Complex Problem Solving Skills",
        "Technical Skills",
        "Systems Skills",
        "Resource Management Skills",
    }
    assert (onet.scale.min, onet.scale.max) == (0, 7)
    assert len(onet.roles) == 879
    chief = onet.role("11-1011.00")
    assert chief.title == "Chief Executives" and chief.job_zone == 5
    reading = chief.requirement_by_skill["2.A.1.a"]
    assert (reading.level, reading.importance) == (4.62, 4.12)
    assert all(len(r.requirements) == 35 for r in onet.roles)
    assert onet.catalog.transitions_from("11-1011.00")[0].to_code == "11-1021.00"
    assert {t.strength for t in onet.transitions} == {1.0, 0.75, 0.5}


def test_attribution_travels_with_the_data() -> None:
    onet = load_onet_catalog()
    assert onet.attribution == ONET_ATTRIBUTION
    assert onet.license_url == ONET_LICENSE_URL
    assert ONET_ATTRIBUTION.startswith("This page includes information from the O*NET 29.3 Database")
    raw = json.loads(resources.files("career_core").joinpath("data/onet.json").read_text(encoding="utf-8"))
    assert raw["attribution"] == ONET_ATTRIBUTION and raw["source"]["release"] == "O*NET 29.3 Database"


def test_not_relevant_skills_require_level_zero() -> None:
    # Investment Fund Managers' Quality Control Analysis has LV 0.75 in the source, flagged Not Relevant.
    assert load_onet_catalog().role("11-3031.03").requirement_by_skill["2.B.3.m"].level == 0


def test_skills_framework_round_trips_through_case() -> None:
    framework = load_onet_catalog().framework
    assert import_case(export_case(framework)) == framework


def test_ranking_every_role_is_sensible() -> None:
    # Speed is measured in benchmarks/bench_core_speed.py, not here: timed tests flake on a busy machine.
    onet = load_onet_catalog()
    profile = {s.code: 3.0 for s in onet.framework.skills}
    ranked = rank_roles(profile, onet.role_index)
    assert len(ranked) == 879
    expert = {s.code: 7.0 for s in onet.framework.skills}
    assert all(f.fit == 1.0 for f in rank_roles(expert, onet.role_index, limit=5))


def test_path_between_distant_roles() -> None:
    onet = load_onet_catalog()
    path = cheapest_path(onet.catalog, {}, "11-1011.00", "53-7121.00")
    assert path is not None
    assert path.role_codes[0] == "11-1011.00" and path.role_codes[-1] == "53-7121.00"
    assert len(path.steps) >= 2 and path.total_cost > 0


def test_unknown_occupation_raises_key_error() -> None:
    with pytest.raises(KeyError):
        load_onet_catalog().role("00-0000.00")
