"""Proficiency scales: bounds, level lookup and validation of ratings and requirements."""

from __future__ import annotations

import pytest

from career_core.errors import ValidationError
from career_core.scales import FIVE_POINT_SCALE, ONET_LEVEL_SCALE, ProficiencyLevel, ProficiencyScale


def test_builtin_scales_span_their_ranges() -> None:
    assert (ONET_LEVEL_SCALE.min, ONET_LEVEL_SCALE.max) == (0, 7)
    assert [lv.value for lv in ONET_LEVEL_SCALE.levels] == list(range(8))
    assert (FIVE_POINT_SCALE.min, FIVE_POINT_SCALE.max) == (1, 5)
    assert FIVE_POINT_SCALE.level(1).name == "Awareness"
    assert FIVE_POINT_SCALE.level(5).name == "Expert"


def test_level_lookup_rejects_values_off_the_scale() -> None:
    assert ONET_LEVEL_SCALE.level(4).name == "Proficient"
    with pytest.raises(ValidationError, match="not a level"):
        FIVE_POINT_SCALE.level(0)


@pytest.mark.parametrize("value", [-1, 8, 2.5, float("nan"), "3", True, None])
def test_learner_ratings_must_be_whole_values_on_the_scale(value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        ONET_LEVEL_SCALE.validate_level(value, field="ratings[0].level")
    assert caught.value.errors[0].startswith("ratings[0].level: ")


def test_requirements_may_fall_between_levels() -> None:
    ONET_LEVEL_SCALE.validate_level(4.62, whole=False)
    ONET_LEVEL_SCALE.validate_level(3, whole=True)
    with pytest.raises(ValidationError, match="outside"):
        ONET_LEVEL_SCALE.validate_level(7.5, whole=False)


def test_nearest_level_names_a_fractional_requirement() -> None:
    assert ONET_LEVEL_SCALE.nearest_level(4.62).value == 5
    assert ONET_LEVEL_SCALE.nearest_level(4.49).value == 4
    assert ONET_LEVEL_SCALE.nearest_level(9).value == 7


def test_scale_with_gaps_or_blank_names_is_rejected_with_every_problem() -> None:
    with pytest.raises(ValidationError) as caught:
        ProficiencyScale("s", "S", (ProficiencyLevel(1, "One"), ProficiencyLevel(3, " ")))
    assert caught.value.errors == [
        "scale.levels[1].value: expected 2, got 3",
        "scale.levels[1].name: must not be empty",
    ]
