"""The packaged Job Zones, Work Values and Interests match the O*NET 29.3 files."""

from __future__ import annotations

import pytest

from career_core.attribution import ONET_ATTRIBUTION
from career_core.occupation_traits import (
    INTEREST_NAMES,
    WORK_VALUE_NAMES,
    interest_traits,
    interests,
    job_zone,
    job_zone_meaning,
    knowledge_levels,
    load_occupation_traits,
    work_value_traits,
    work_values,
)


def test_table_is_cached_and_attributed() -> None:
    table = load_occupation_traits()
    assert table is load_occupation_traits()
    assert table.attribution == ONET_ATTRIBUTION
    assert len(table.occupations) == 923


def test_job_zones() -> None:
    assert job_zone("11-1011.00") == 5  # Chief Executives
    assert job_zone("15-1252.00") == 4  # Software Developers: no skill ratings, still has a zone
    assert job_zone("99-9999.99") is None
    meaning = job_zone_meaning(3)
    assert meaning.name == "Job Zone Three: Medium Preparation Needed"
    assert "electrician" in meaning.experience
    assert "associate's degree" in meaning.education
    assert meaning.training and meaning.examples and meaning.svp_range
    with pytest.raises(KeyError):
        job_zone_meaning(6)


def test_work_values() -> None:
    chief = work_values("11-1011.00")
    assert chief is not None
    assert tuple(chief.scores) == WORK_VALUE_NAMES
    assert chief.scores["Recognition"] == 7.0 and chief.scores["Achievement"] == 6.33
    assert chief.high_points == ("Recognition", "Independence", "Achievement")
    assert work_values("15-1252.00") is None  # O*NET has no Work Values for it
    assert [t.name for t in work_value_traits()] == list(WORK_VALUE_NAMES)
    assert "supportive management" in work_value_traits()[4].description


def test_interests() -> None:
    chief = interests("11-1011.00")
    assert chief is not None
    assert tuple(chief.scores) == INTEREST_NAMES
    assert chief.scores["Enterprising"] == 6.88
    assert chief.high_points == ("Enterprising", "Conventional") and chief.high_point_code == "EC"
    software = interests("15-1252.00")
    assert software is not None and software.high_point_code == "ICR"
    assert [t.element_id for t in interest_traits()] == [f"1.B.1.{c}" for c in "abcdef"]


def test_knowledge_levels() -> None:
    chief = knowledge_levels("11-1011.00")
    assert chief is not None and len(chief) == 33
    assert chief["Administration and Management"] == 6.5
    assert knowledge_levels("15-1252.00") is None  # no ratings for Software Developers
