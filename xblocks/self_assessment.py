"""The skills self-assessment block: a learner rates O*NET skills and sees their profile."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Integer, List, Scope, String

from career_core.assessment import Confidence, SkillRating, current_profile, rating_problems
from career_core.errors import ValidationError
from career_core.evidence_rules import sitting_evidence
from career_core.gaps import gap_analysis
from career_core.profile_chart import MAX_SITTINGS, progress_points, sittings_of
from career_core.scoring import Completion, self_assessment_completion
from xblocks.base import CareerBlock
from xblocks.common import bad_request, now, onet, require_object, role_code_problems

MAX_NOTE_LENGTH = 500
MAX_RATINGS_PER_SUBMISSION = 100
# Enough history for a progress chart, while keeping the learner's state bounded.
MAX_RATINGS_PER_SKILL = 20


class SelfAssessmentXBlock(CareerBlock):
    """Rate skills on the O*NET level scale; complete once every configured skill is rated."""

    template = "self_assessment.html"
    js_class = "CareerSelfAssessmentXBlock"
    editable_fields = ("display_name", "skill_codes", "target_role_code", "weight", "grading_mode")

    display_name = String(
        display_name="Display name",
        help="The title learners see.",
        default="Skills self-assessment",
        scope=Scope.settings,
    )
    skill_codes = List(
        display_name="Skills",
        help="O*NET skill codes to rate (e.g. 2.A.1.a), one per line; leave empty for all 35 skills.",
        default=[],
        scope=Scope.settings,
    )
    target_role_code = String(
        display_name="Role to compare with",
        help="Optional O*NET-SOC code (e.g. 15-1253.00): the learner's profile is charted against it.",
        default="",
        scope=Scope.settings,
    )

    ratings = List(
        help="Every rating the learner gave, oldest first: skill_code, level, rated_at, confidence, note.",
        default=[],
        scope=Scope.user_state,
    )
    counted_complete = Boolean(
        help="Whether this learner is counted in completed_learners.", default=False, scope=Scope.user_state
    )
    completed_learners = Integer(
        help="How many learners completed this self-assessment.", default=0, scope=Scope.user_state_summary
    )
    skill_totals = Dict(
        help="Per skill code, [sum of learners' current levels, number of learners who rated it].",
        default={},
        scope=Scope.user_state_summary,
    )

    def required_skill_codes(self) -> list[str]:
        framework = onet().framework
        return list(self.skill_codes) or list(framework.codes)

    def rating_history(self) -> list[SkillRating]:
        return [_rating_from_dict(item) for item in self.ratings]

    def profile(self) -> dict[str, float]:
        return current_profile(self.rating_history())

    def current_completion(self) -> Completion:
        return self_assessment_completion(self.profile(), self.required_skill_codes())

    def settings_problems(self, settings: Mapping[str, Any]) -> list[str]:
        framework = onet().framework
        problems = super().settings_problems(settings)
        problems.extend(
            f"skill_codes: {code!r} is not an O*NET skill code"
            for code in settings["skill_codes"]
            if code not in framework
        )
        problems.extend(role_code_problems(settings["target_role_code"], "target_role_code"))
        return problems

    def view_context(self) -> dict[str, Any]:
        """Everything the learner's view shows, as plain data."""
        catalog = onet()
        framework = catalog.framework
        codes = self.required_skill_codes()
        profile = self.profile()
        role = catalog.catalog.get(self.target_role_code) if self.target_role_code else None
        completion = self.current_completion()
        history = progress_points(sittings_of(self.rating_history())[-MAX_SITTINGS:], codes)
        charts = self.charts_html(codes, profile, role, history) if profile else None
        report = gap_analysis(profile, role) if role is not None else None
        return {
            "skills": [
                {
                    "code": code,
                    "name": framework.skill(code).name,
                    "description": framework.skill(code).description,
                    "level": int(profile[code]) if code in profile else None,
                    "cohort_average": self.cohort_average(code),
                }
                for code in codes
            ],
            "levels": [(level.value, level.name, level.descriptor) for level in framework.scale.levels],
            "rated": sum(1 for code in codes if code in profile),
            "required": len(codes),
            "completion": completion.fraction,
            "complete": completion.complete,
            "charts_html": charts,
            "role": {"code": role.code, "title": role.title} if role is not None else None,
            "top_gaps": [
                {"name": framework.skill(gap.skill_code).name, "current": gap.current, "required": gap.required}
                for gap in (report.top_gaps if report else ())
            ],
            "fit": report.fit if report else None,
            "completed_learners": self.completed_learners,
        }

    def cohort_average(self, code: str) -> float | None:
        total, count = self.skill_totals.get(code, (0.0, 0))
        return round(total / count, 1) if count else None

    @XBlock.json_handler
    def submit_ratings(self, data: Any, suffix: str = "") -> dict[str, Any]:
        """Add ratings ``{"ratings": [{"skill_code", "level", "confidence"?, "note"?}]}``.

        :raise 400: on an unknown or unconfigured skill, an off-scale level or a malformed body.
        """
        items = require_object(data).get("ratings")
        if not isinstance(items, list) or not 0 < len(items) <= MAX_RATINGS_PER_SUBMISSION:
            raise bad_request(f"ratings: must be a list of 1 to {MAX_RATINGS_PER_SUBMISSION} ratings")
        rated_at = now()
        ratings = self._parse_ratings(items, rated_at)
        previous = self.profile()
        self.ratings = _latest_per_skill([*self.ratings, *(_rating_to_dict(rating) for rating in ratings)])
        profile = self.profile()
        self._tally(previous, profile)
        self.publish_progress()
        self.add_evidence(
            sitting_evidence(
                learner_id=self.learner_id(),
                ratings={rating.skill_code: rating.level for rating in ratings},
                ledger=self.evidence_ledger(),
                recorded_at=rated_at,
                activity_id=str(self.scope_ids.usage_id),
            )
        )
        return self.answer(self.ugettext("Your ratings are saved."))

    def _parse_ratings(self, items: list[Any], rated_at: datetime) -> list[SkillRating]:
        allowed = set(self.required_skill_codes())
        errors: list[str] = []
        ratings = []
        for index, item in enumerate(items):
            where = f"ratings[{index}]"
            if not isinstance(item, Mapping):
                errors.append(f"{where}: must be an object")
                continue
            code, level = item.get("skill_code"), item.get("level")
            if not isinstance(code, str) or code not in allowed:
                errors.append(f"{where}.skill_code: {code!r} is not a skill of this assessment")
                continue
            if isinstance(level, bool) or not isinstance(level, int):
                errors.append(f"{where}.level: must be a whole number, not {level!r}")
                continue
            try:
                confidence = Confidence(item.get("confidence", Confidence.MEDIUM.value))
            except ValueError:
                errors.append(f"{where}.confidence: must be one of low, medium, high")
                continue
            note = item.get("note", "")
            if not isinstance(note, str) or len(note) > MAX_NOTE_LENGTH:
                errors.append(f"{where}.note: must be text of at most {MAX_NOTE_LENGTH} characters")
                continue
            ratings.append(SkillRating(code, level, rated_at, confidence, note.strip()))
        errors.extend(rating_problems(ratings, onet().framework))
        if errors:
            raise bad_request(ValidationError(errors))
        return ratings

    def _tally(self, previous: Mapping[str, float], profile: Mapping[str, float]) -> None:
        totals = dict(self.skill_totals)
        for code, level in profile.items():
            total, count = totals.get(code, (0.0, 0))
            if code in previous:
                totals[code] = [total + level - previous[code], count]
            else:
                totals[code] = [total + level, count + 1]
        self.skill_totals = totals
        if not self.counted_complete and self.current_completion().complete:
            self.counted_complete = True
            self.completed_learners += 1

    @staticmethod
    def workbench_scenarios() -> list[tuple[str, str]]:
        return [
            (
                "Career self-assessment",
                '<career_self_assessment skill_codes=\'["2.A.1.a", "2.A.1.b", "2.A.1.c", "2.A.1.d"]\' '
                'target_role_code="15-1253.00"/>',
            ),
            ("Career self-assessment (all skills)", "<career_self_assessment/>"),
        ]


def _latest_per_skill(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The history without ratings older than a skill's latest ``MAX_RATINGS_PER_SKILL``, order kept."""
    seen: Counter[str] = Counter()
    kept = []
    for item in reversed(history):
        seen[item["skill_code"]] += 1
        if seen[item["skill_code"]] <= MAX_RATINGS_PER_SKILL:
            kept.append(item)
    return kept[::-1]


def _rating_to_dict(rating: SkillRating) -> dict[str, Any]:
    return {
        "skill_code": rating.skill_code,
        "level": rating.level,
        "rated_at": rating.rated_at.isoformat(),
        "confidence": rating.confidence.value,
        "note": rating.note,
    }


def _rating_from_dict(data: Mapping[str, Any]) -> SkillRating:
    return SkillRating(
        data["skill_code"],
        int(data["level"]),
        datetime.fromisoformat(data["rated_at"]),
        Confidence(data.get("confidence", Confidence.MEDIUM.value)),
        data.get("note", ""),
    )
