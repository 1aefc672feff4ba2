"""CSV export and import of skills, with line-numbered errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from career_core.csv_io import export_csv, import_csv
from career_core.errors import ValidationError
from career_core.frameworks import Skill, SkillFramework
from career_core.scales import FIVE_POINT_SCALE
from tests.core.career_strategies import frameworks


def load(text: str) -> SkillFramework:
    return import_csv(text, identifier="f", title="T", version="1", scale=FIVE_POINT_SCALE)


def test_export_writes_header_and_one_row_per_skill() -> None:
    fw = SkillFramework(
        "f",
        "T",
        "1",
        FIVE_POINT_SCALE,
        (Skill("A", "Alpha, first", 'Says "hi"'), Skill("B", "B", "", "", "A")),
    )
    assert export_csv(fw).splitlines() == [
        "code,name,description,category,parent_code",
        'A,"Alpha, first","Says ""hi""",,',
        "B,B,,,A",
    ]


@settings(max_examples=60, deadline=None)
@given(frameworks())
def test_round_trip_any_framework(framework: SkillFramework) -> None:
    back = import_csv(
        export_csv(framework),
        identifier=framework.identifier,
        title=framework.title,
        version=framework.version,
        scale=framework.scale,
    )
    assert back == framework


def test_columns_in_any_order_and_blank_rows_are_accepted() -> None:
    fw = load("name,parent_code,code,category,description,extra\nRoot,,R,,,x\n\nLeaf,R,L,Cat,Desc,y\n")
    assert fw.skills == (Skill("R", "Root"), Skill("L", "Leaf", "Desc", "Cat", "R"))


def test_missing_columns_are_named() -> None:
    with pytest.raises(ValidationError) as caught:
        load("code,name\nA,Alpha\n")
    assert caught.value.errors == [
        "line 1: missing column 'description'",
        "line 1: missing column 'category'",
        "line 1: missing column 'parent_code'",
    ]


def test_errors_carry_the_line_where_the_row_starts() -> None:
    text = (
        "code,name,description,category,parent_code\n"
        'A,Alpha,"two\nlines",,\n'  # lines 2-3
        "B,,,,\n"  # line 4
        "A,Again,,,Z\n"  # line 5
        "C\n"  # line 6
    )
    with pytest.raises(ValidationError) as caught:
        load(text)
    assert caught.value.errors == [
        "line 6: expected 5 columns, got 1",
        "line 4.name: must not be empty",
        "line 5.code: duplicate code 'A' (first used at line 2)",
        "line 5.parent_code: unknown parent 'Z'",
    ]


def test_empty_input_is_rejected() -> None:
    with pytest.raises(ValidationError, match="line 1: missing header row"):
        load("")
