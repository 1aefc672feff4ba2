"""Self-assessment ratings: validation against the framework and the current profile they give."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from career_core.assessment import (
    AssessmentHistory,
    Confidence,
    SkillRating,
    current_profile,
    make_assessment,
    validate_ratings,
)
from career_core.errors import ValidationError
from career_core.frameworks import Skill, SkillFramework
from career_core.scales import FIVE_POINT_SCALE

FW = SkillFramework("f", "Digital", "1", FIVE_POINT_SCALE, (Skill("A", "Alpha"), Skill("B", "Beta")))
T0 = datetime(2025, 3, 1, 9, tzinfo=UTC)


def rating(code: str, level: int, days: int = 0) -> SkillRating:
    return SkillRating(code, level, T0 + timedelta(days=days))


def test_latest_rating_per_skill_wins() -> None:
    ratings = [rating("A", 2, days=1), rating("A", 4, days=0), rating("B", 3, days=2), rating("A", 5, days=3)]
    assert current_profile(ratings) == {"A": 5.0, "B": 3.0}


def test_on_equal_timestamps_the_later_rating_wins() -> None:
    assert current_profile([rating("A", 2), rating("A", 3)]) == {"A": 3.0}


def test_invalid_ratings_are_all_reported() -> None:
    bad = [
        rating("A", 3),
        rating("Z", 3),
        rating("B", 6),
        SkillRating("A", 2, datetime(2025, 1, 1)),  # naive timestamp
    ]
    with pytest.raises(ValidationError) as caught:
        validate_ratings(bad, FW)
    assert caught.value.errors == [
        "ratings[1].skill_code: 'Z' is not in framework 'Digital'",
        "ratings[2].level: 6 is outside scale 'five-point' (1-5)",
        "ratings[3].rated_at: must be timezone-aware",
    ]


def test_an_assessment_rates_each_skill_once() -> None:
    with pytest.raises(ValidationError, match=r"ratings\[1\].skill_code: 'A' already rated at ratings\[0\]"):
        make_assessment(FW, [rating("A", 1), rating("A", 2)], T0)


def test_history_orders_assessments_and_tracks_progress() -> None:
    later = make_assessment(FW, [rating("A", 4, days=30)], T0 + timedelta(days=30))
    first = make_assessment(FW, [SkillRating("A", 2, T0, Confidence.LOW, "just started"), rating("B", 3)], T0)
    history = AssessmentHistory().add(later).add(first)
    assert [a.taken_at for a in history.assessments] == [T0, T0 + timedelta(days=30)]
    assert history.current_profile() == {"A": 4.0, "B": 3.0}
    assert [r.level for r in history.skill_history("A")] == [2, 4]
