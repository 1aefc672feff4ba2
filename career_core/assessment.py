"""Learner self-assessments: skill ratings over time and the current profile they add up to."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from career_core.errors import ValidationError
from career_core.frameworks import SkillFramework

#: A learner's current level per skill code. Skills that are absent have not been rated.
Profile = dict[str, float]


class Confidence(enum.Enum):
    """How sure the learner is of a rating."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class SkillRating:
    """A learner's rating of one skill, in whole levels of the framework's scale."""

    skill_code: str
    level: int
    rated_at: datetime
    confidence: Confidence = Confidence.MEDIUM
    note: str = ""


@dataclass(frozen=True)
class Assessment:
    """One sitting of a self-assessment against a framework."""

    framework_id: str
    ratings: tuple[SkillRating, ...]
    taken_at: datetime


def rating_problems(ratings: Sequence[SkillRating], framework: SkillFramework, *, path: str = "ratings") -> list[str]:
    """Messages for every rating that names an unknown skill, is off-scale or has a naive timestamp."""
    problems: list[str] = []
    for i, rating in enumerate(ratings):
        where = f"{path}[{i}]"
        if rating.skill_code not in framework:
            problems.append(f"{where}.skill_code: {rating.skill_code!r} is not in framework '{framework.title}'")
        problems.extend(framework.scale.level_problems(rating.level, field=f"{where}.level", whole=True))
        if not isinstance(rating.confidence, Confidence):
            problems.append(f"{where}.confidence: must be one of low, medium, high")
        # Naive and aware datetimes cannot be compared, which would break "latest rating wins".
        if rating.rated_at.tzinfo is None or rating.rated_at.utcoffset() is None:
            problems.append(f"{where}.rated_at: must be timezone-aware")
    return problems


def validate_ratings(ratings: Sequence[SkillRating], framework: SkillFramework) -> None:
    """:raise ValidationError: listing every invalid rating."""
    problems = rating_problems(ratings, framework)
    if problems:
        raise ValidationError(problems)


def make_assessment(framework: SkillFramework, ratings: Iterable[SkillRating], taken_at: datetime) -> Assessment:
    """A validated assessment. :raise ValidationError: on any invalid rating or a skill rated twice."""
    rated = tuple(ratings)
    problems = rating_problems(rated, framework)
    seen: dict[str, int] = {}
    for i, rating in enumerate(rated):
        if rating.skill_code in seen:
            problems.append(
                f"ratings[{i}].skill_code: {rating.skill_code!r} already rated at ratings[{seen[rating.skill_code]}]"
            )
        seen.setdefault(rating.skill_code, i)
    if taken_at.tzinfo is None:
        problems.append("taken_at: must be timezone-aware")
    if problems:
        raise ValidationError(problems)
    return Assessment(framework.identifier, rated, taken_at)


def current_profile(ratings: Iterable[SkillRating]) -> Profile:
    """The latest level per skill. On equal timestamps the rating given later in ``ratings`` wins."""
    latest: dict[str, SkillRating] = {}
    for rating in ratings:
        previous = latest.get(rating.skill_code)
        if previous is None or rating.rated_at >= previous.rated_at:
            latest[rating.skill_code] = rating
    return {code: float(rating.level) for code, rating in latest.items()}


@dataclass(frozen=True)
class AssessmentHistory:
    """All of one learner's assessments against one framework, oldest first."""

    assessments: tuple[Assessment, ...] = ()

    def add(self, assessment: Assessment) -> AssessmentHistory:
        merged = sorted((*self.assessments, assessment), key=lambda a: a.taken_at)
        return AssessmentHistory(tuple(merged))

    def ratings(self) -> list[SkillRating]:
        return [rating for assessment in self.assessments for rating in assessment.ratings]

    def current_profile(self) -> Profile:
        return current_profile(self.ratings())

    def skill_history(self, skill_code: str) -> list[SkillRating]:
        """Every rating of one skill, oldest first, for progress charts."""
        return sorted((r for r in self.ratings() if r.skill_code == skill_code), key=lambda r: r.rated_at)
