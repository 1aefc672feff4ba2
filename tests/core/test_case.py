"""CASE 1.1 export and import: structure of the package, round trips and precise import errors."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings

from career_core.case import export_case, import_case
from career_core.errors import ValidationError
from career_core.frameworks import Skill, SkillFramework
from career_core.scales import FIVE_POINT_SCALE
from tests.core.career_strategies import frameworks

FRAMEWORK = SkillFramework(
    "5b0d2c1e-3f4a-4b7c-9d1e-2a3b4c5d6e7f",
    "Digital skills",
    "2.0",
    FIVE_POINT_SCALE,
    (
        Skill("D", "Data", "Working with data", "Technical"),
        Skill("D.1", "SQL", "", "Technical", "D"),
        Skill("C", "Communication"),
    ),
)


def package() -> dict[str, Any]:
    return export_case(FRAMEWORK, changed_at=datetime(2025, 1, 2, tzinfo=UTC))


def test_export_maps_skills_tree_and_scale_onto_case() -> None:
    pkg = package()
    assert pkg["CFDocument"]["identifier"] == FRAMEWORK.identifier
    assert pkg["CFDocument"]["lastChangeDateTime"] == "2025-01-02T00:00:00+00:00"
    sql = pkg["CFItems"][1]
    assert (sql["humanCodingScheme"], sql["fullStatement"], sql["CFItemType"]) == ("D.1", "SQL", "Technical")
    assert "notes" not in sql
    assert pkg["CFItems"][0]["notes"] == "Working with data"
    child_of = {
        a["originNodeURI"]["title"]: a["destinationNodeURI"]["identifier"]
        for a in pkg["CFAssociations"]
        if a["associationType"] == "isChildOf"
    }
    assert child_of == {
        "Data": FRAMEWORK.identifier,
        "SQL": pkg["CFItems"][0]["identifier"],
        "Communication": FRAMEWORK.identifier,
    }
    levels = pkg["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"]
    assert [(lv["score"], lv["quality"]) for lv in levels][:2] == [(1, "Awareness"), (2, "Novice")]
    json.dumps(pkg)  # the package is plain JSON


def test_export_is_deterministic() -> None:
    assert package() == package()


def test_round_trip_gives_an_equal_framework() -> None:
    assert import_case(json.loads(json.dumps(package()))) == FRAMEWORK


@settings(max_examples=60, deadline=None)
@given(frameworks())
def test_round_trip_any_framework(framework: SkillFramework) -> None:
    assert import_case(json.loads(json.dumps(export_case(framework)))) == framework


def test_association_types_other_than_is_child_of_are_ignored() -> None:
    pkg = package()
    extra = copy.deepcopy(pkg["CFAssociations"][1])
    extra["associationType"] = "exactMatchOf"
    extra["destinationNodeURI"] = {"identifier": "elsewhere", "uri": "x", "title": "x"}
    pkg["CFAssociations"].append(extra)
    assert import_case(pkg) == FRAMEWORK


def test_import_reports_every_problem_with_its_json_path() -> None:
    pkg = package()
    del pkg["CFItems"][0]["fullStatement"]
    pkg["CFItems"][2]["humanCodingScheme"] = "D.1"
    pkg["CFAssociations"][1]["destinationNodeURI"]["identifier"] = "missing"
    pkg["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"][1]["score"] = "two"
    with pytest.raises(ValidationError) as caught:
        import_case(pkg)
    errors = caught.value.errors
    assert "CFItems[0].fullStatement: required" in errors
    assert "CFAssociations[1].destinationNodeURI.identifier: no CFItem or CFDocument 'missing'" in errors
    assert "CFItems[2].code: duplicate code 'D.1' (first used at CFItems[1])" in errors
    assert any(e.startswith("CFRubrics[0].CFRubricCriteria[0].CFRubricCriterionLevels[1].score") for e in errors)


def test_a_skill_with_two_parents_is_rejected() -> None:
    pkg = package()
    second = copy.deepcopy(pkg["CFAssociations"][1])
    second["destinationNodeURI"] = pkg["CFAssociations"][2]["originNodeURI"]
    pkg["CFAssociations"].append(second)
    with pytest.raises(ValidationError, match="only one parent"):
        import_case(pkg)


def test_cycles_in_associations_are_rejected() -> None:
    pkg = package()
    # Make Data a child of SQL while SQL is a child of Data.
    pkg["CFAssociations"][0]["destinationNodeURI"] = pkg["CFAssociations"][1]["originNodeURI"]
    with pytest.raises(ValidationError, match=r"CFItems\[0\]\.parent_code: cycle D -> D\.1 -> D"):
        import_case(pkg)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "$: expected an object, got list"),
        ({"CFDocument": {}, "CFItems": {}}, "CFItems: expected an array, got dict"),
        (
            {"CFDocument": {"identifier": "x", "title": "T"}},
            "CFRubrics: expected exactly one rubric criterion",
        ),
    ],
)
def test_malformed_packages_are_rejected(document: Any, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        import_case(document)
    assert any(e.startswith(message) for e in caught.value.errors)
