"""Skill frameworks: lookups over the tree and validation that reports every problem at once."""

from __future__ import annotations

import pytest

from career_core.errors import ValidationError
from career_core.frameworks import Skill, SkillFramework, validate_framework
from career_core.scales import FIVE_POINT_SCALE


def make(*skills: Skill) -> SkillFramework:
    return SkillFramework("f-1", "Digital skills", "1.0", FIVE_POINT_SCALE, skills)


def test_lookup_children_and_categories() -> None:
    fw = make(
        Skill("D", "Data", category="Technical"),
        Skill("D.1", "SQL", "Query databases", "Technical", "D"),
        Skill("D.2", "Python", category="Technical", parent_code="D"),
        Skill("C", "Communication", category="Social"),
    )
    assert fw.skill("D.1").description == "Query databases"
    assert "D.2" in fw and "X" not in fw
    assert fw.get("X") is None
    assert [s.code for s in fw.children("D")] == ["D.1", "D.2"]
    assert [s.code for s in fw.roots()] == ["D", "C"]
    assert fw.categories() == ("Technical", "Social")
    assert [s.code for s in fw.in_category("Social")] == ["C"]
    with pytest.raises(KeyError):
        fw.skill("X")


def test_every_problem_is_reported_with_its_location() -> None:
    with pytest.raises(ValidationError) as caught:
        make(
            Skill("A", "Alpha"),
            Skill("A", "Again"),
            Skill("B", "  ", parent_code="Z"),
            Skill("", "No code"),
        )
    assert caught.value.errors == [
        "skills[1].code: duplicate code 'A' (first used at skills[0])",
        "skills[2].name: must not be empty",
        "skills[3].code: must not be empty",
        "skills[2].parent_code: unknown parent 'Z'",
    ]


def test_cycles_are_reported_once_each() -> None:
    skills = [
        Skill("A", "A", parent_code="C"),
        Skill("B", "B", parent_code="A"),
        Skill("C", "C", parent_code="B"),
        Skill("D", "D", parent_code="D"),
        Skill("E", "E", parent_code="A"),  # hangs off the cycle, is not part of it
    ]
    with pytest.raises(ValidationError) as caught:
        validate_framework(skills)
    assert caught.value.errors == [
        "skills[0].parent_code: cycle A -> C -> B -> A",
        "skills[3].parent_code: cycle D -> D",
    ]


def test_custom_locations_for_importers() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_framework([Skill("A", "")], locate=lambda i: f"line {i + 2}")
    assert caught.value.errors == ["line 2.name: must not be empty"]


def test_blank_identifier_and_title_are_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        SkillFramework(" ", "", "1", FIVE_POINT_SCALE, ())
    assert caught.value.errors == ["identifier: must not be empty", "title: must not be empty"]
