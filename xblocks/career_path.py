"""The career path block: from the learner's current occupation to a target one, with the gap and route."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Scope, String

from career_core.gaps import gap_analysis
from career_core.paths import cheapest_path, profile_in_role
from career_core.ranking import rank_roles
from career_core.scoring import Completion, career_path_completion
from xblocks.base import CareerBlock
from xblocks.common import bad_request, onet, require_object, role_code_problems

SUGGESTIONS = 5


class CareerPathXBlock(CareerBlock):
    """Choose a current and a target occupation, then review the skill gap and the cheapest route."""

    template = "career_path.html"
    js_class = "CareerPathXBlock"
    editable_fields = ("display_name", "target_role_code", "weight", "grading_mode")

    display_name = String(
        display_name="Display name", help="The title learners see.", default="Career path", scope=Scope.settings
    )
    target_role_code = String(
        display_name="Suggested target role",
        help="Optional O*NET-SOC code (e.g. 15-1253.00) preselected as the learner's target.",
        default="",
        scope=Scope.settings,
    )

    current_role_code = String(
        help="The learner's current occupation (O*NET-SOC code).", default="", scope=Scope.user_state
    )
    chosen_target_code = String(help="The occupation the learner aims for.", default="", scope=Scope.user_state)
    gap_reviewed = Boolean(
        help="Whether the learner reviewed the gap to the target.", default=False, scope=Scope.user_state
    )
    target_counts = Dict(
        help="How many learners chose each target occupation (code -> count).",
        default={},
        scope=Scope.user_state_summary,
    )

    def current_completion(self) -> Completion:
        return career_path_completion(self.chosen_target_code or None, self.gap_reviewed)

    def settings_problems(self, settings: Mapping[str, Any]) -> list[str]:
        return super().settings_problems(settings) + role_code_problems(
            settings["target_role_code"], "target_role_code"
        )

    def view_context(self) -> dict[str, Any]:
        """Everything the learner's view shows, as plain data."""
        catalog = onet()
        framework = catalog.framework
        current = catalog.catalog.get(self.current_role_code) if self.current_role_code else None
        target = catalog.catalog.get(self.chosen_target_code) if self.chosen_target_code else None
        # The learner is taken to hold what their current occupation requires (career_core.paths' model).
        profile = profile_in_role({}, current) if current is not None else {}
        context: dict[str, Any] = {
            "roles": sorted((role.title, role.code) for role in catalog.roles),
            "current_code": self.current_role_code,
            "target_code": self.chosen_target_code or self.target_role_code,
            "chosen": target is not None,
            "gap_reviewed": self.gap_reviewed,
            "completion": self.completion_fraction,
            "suggestions": [],
            "gap": None,
            "path": None,
            "charts_html": None,
            "popular": self.popular_targets(),
        }
        if current is not None:
            context["suggestions"] = [
                {"code": fit.role_code, "title": fit.title, "fit": round(fit.fit * 100)}
                for fit in rank_roles(profile, catalog.role_index, limit=SUGGESTIONS + 1)
                if fit.role_code != current.code
            ][:SUGGESTIONS]
        if current is not None and target is not None:
            report = gap_analysis(profile, target)
            context["gap"] = {
                "target": target.title,
                "fit": round(report.fit * 100),
                "top_gaps": [
                    {"name": framework.skill(g.skill_code).name, "current": g.current, "required": g.required}
                    for g in report.top_gaps
                ],
                "strengths": [framework.skill(g.skill_code).name for g in report.strengths[:SUGGESTIONS]],
            }
            route = cheapest_path(catalog.catalog, {}, current.code, target.code)
            context["path"] = [catalog.role(code).title for code in route.role_codes] if route else []
            context["charts_html"] = self.charts_html(framework.codes, profile, target)
        return context

    def popular_targets(self) -> list[dict[str, Any]]:
        catalog = onet().catalog
        ranked = sorted(self.target_counts.items(), key=lambda item: (-item[1], item[0]))[:SUGGESTIONS]
        return [{"title": catalog.role(code).title, "count": count} for code, count in ranked if code in catalog]

    @XBlock.json_handler
    def choose_target(self, data: Any, suffix: str = "") -> dict[str, Any]:
        """Set ``{"current_role_code", "target_role_code"}``. :raise 400: on an unknown or missing code."""
        body = require_object(data)
        current, target = body.get("current_role_code"), body.get("target_role_code")
        problems = []
        for key, code in (("current_role_code", current), ("target_role_code", target)):
            if not isinstance(code, str) or not code:
                problems.append(f"{key}: is required")
            else:
                problems.extend(role_code_problems(code, key))
        if not problems and current == target:
            problems.append("target_role_code: must differ from the current occupation")
        if problems:
            raise bad_request(problems)
        assert isinstance(current, str) and isinstance(target, str)
        if target != self.chosen_target_code:
            # A new target has a new gap the learner has not seen yet.
            self.gap_reviewed = False
            self._count_target(self.chosen_target_code, target)
        elif current != self.current_role_code:
            self.gap_reviewed = False
        self.current_role_code, self.chosen_target_code = current, target
        self.publish_progress()
        return self.answer(self.ugettext("Your target is saved. Review the gap below."))

    @XBlock.json_handler
    def review_gap(self, data: Any, suffix: str = "") -> dict[str, Any]:
        """Mark the gap to the chosen target as reviewed. :raise 400: when no target is chosen."""
        if not self.chosen_target_code:
            raise bad_request("target_role_code: choose a target occupation first")
        self.gap_reviewed = True
        self.publish_progress()
        return self.answer(self.ugettext("Gap reviewed."))

    def _count_target(self, old: str, new: str) -> None:
        counts = dict(self.target_counts)
        if old and counts.get(old, 0) > 0:
            counts[old] -= 1
        counts[new] = counts.get(new, 0) + 1
        self.target_counts = {code: n for code, n in counts.items() if n > 0}

    @staticmethod
    def workbench_scenarios() -> list[tuple[str, str]]:
        return [("Career path", '<career_path target_role_code="15-1253.00"/>')]
