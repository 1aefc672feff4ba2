"""The individual development plan block: goals tied to O*NET skills, actions, status and check-ins."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Integer, List, Scope, String

from career_core.charts import progress_bar_svg
from career_core.checkins import AGENDA_TEMPLATES, CheckInAuthorRole, checkin_to_dict, latest_first, parse_checkin
from career_core.errors import ValidationError
from career_core.evidence_rules import goal_evidence
from career_core.plan_workflow import PlanAction, PlanActor, WorkflowError, allowed_actions, apply_transition
from career_core.plans import ActionKind, ActionStatus, DevelopmentPlan, parse_plan, plan_progress, plan_to_dict
from career_core.scoring import NOT_STARTED, Completion, development_plan_completion
from xblocks.base import CareerBlock
from xblocks.common import bad_request, now, onet, require_object, role_code_problems

MAX_CHECKINS = 100
STAFF_ROLES = ("staff", "instructor")  # Open edX's course roles that may coach a learner
# The fields of a plan the learner edits; owner, status and review are the block's to set.
EDITABLE_PLAN_KEYS = ("target_role_code", "vision", "goals", "actions")


class DevelopmentPlanXBlock(CareerBlock):
    """A learner's plan, through its workflow; complete when the plan is (career_core.scoring)."""

    template = "development_plan.html"
    js_class = "CareerDevelopmentPlanXBlock"
    editable_fields = ("display_name", "target_role_code", "requires_review", "weight", "grading_mode")

    display_name = String(
        display_name="Display name",
        help="The title learners see.",
        default="Individual development plan",
        scope=Scope.settings,
    )
    target_role_code = String(
        display_name="Suggested target role",
        help="Optional O*NET-SOC code (e.g. 15-1253.00) a new plan starts with.",
        default="",
        scope=Scope.settings,
    )
    requires_review = Boolean(
        display_name="Requires review",
        help="When on, a learner cannot activate their own plan: a reviewer must approve it. Open edX has no "
        "reviewer step inside the block, so leave it off unless reviews happen in the LTI tool.",
        default=False,
        scope=Scope.settings,
    )

    plan = Dict(
        help="The learner's plan as career_core.plans.plan_to_dict; empty before the first save.",
        default={},
        scope=Scope.user_state,
    )
    checkins = List(
        help="The learner's check-ins (checkin_to_dict), in the order recorded.", default=[], scope=Scope.user_state
    )
    counted_complete = Boolean(
        help="Whether this learner is counted in completed_plans.", default=False, scope=Scope.user_state
    )
    completed_plans = Integer(help="How many learners completed their plan.", default=0, scope=Scope.user_state_summary)

    def development_plan(self) -> DevelopmentPlan | None:
        return parse_plan(self.plan, scale=onet().scale) if self.plan else None

    def current_completion(self) -> Completion:
        plan = self.development_plan()
        return development_plan_completion(plan) if plan is not None else NOT_STARTED

    def settings_problems(self, settings: Mapping[str, Any]) -> list[str]:
        return super().settings_problems(settings) + role_code_problems(
            settings["target_role_code"], "target_role_code"
        )

    def view_context(self) -> dict[str, Any]:
        """Everything the learner's view shows, as plain data."""
        catalog = onet()
        plan = self.development_plan()
        data = (
            plan_to_dict(plan)
            if plan is not None
            else {
                "target_role_code": self.target_role_code or None,
                "vision": "",
                "goals": [],
                "actions": [],
                "status": "draft",
            }
        )
        role = catalog.catalog.get(data["target_role_code"] or "")
        status = plan.status if plan is not None else None
        progress = plan_progress(plan) if plan is not None else 0.0
        return {
            "plan": data,
            "saved": plan is not None,
            "status": data["status"],
            "actions_allowed": [
                a.value for a in allowed_actions(status, PlanActor.OWNER, requires_review=self.requires_review)
            ]
            if status
            else [],
            "role_title": role.title if role is not None else None,
            "roles": sorted((r.title, r.code) for r in catalog.roles),
            "skills": [(skill.code, skill.name) for skill in catalog.framework.skills],
            "levels": [(level.value, level.name) for level in catalog.scale.levels],
            "action_kinds": [kind.value for kind in ActionKind],
            "action_statuses": [s.value for s in ActionStatus],
            "new_goal_id": _fresh_id("goal", [g["id"] for g in data["goals"]]),
            "new_action_id": _fresh_id("action", [a["id"] for a in data["actions"]]),
            "progress_svg": progress_bar_svg(progress, self.ugettext("Goals achieved")),
            "completion": self.completion_fraction,
            "checkins": [checkin_to_dict(c) for c in latest_first(parse_checkin(item) for item in self.checkins)],
            "agenda_templates": [(t.key, t.title) for t in AGENDA_TEMPLATES.values()],
            "today": date.today().isoformat(),
        }

    @XBlock.json_handler
    def save_plan(self, data: Any, suffix: str = "") -> dict[str, Any]:
        """Save ``{"plan": {"target_role_code", "vision", "goals", "actions"}}``, keeping the status.

        :raise 400: on any rule the plan breaks (career_core.plans), an unknown skill or role.
        """
        submitted = require_object(data, "plan")
        stored = self.plan or {"status": "draft"}
        merged = {key: submitted[key] for key in EDITABLE_PLAN_KEYS if key in submitted}
        merged |= {"owner": self.learner_id(), "status": stored["status"], "requires_review": self.requires_review}
        try:
            plan = parse_plan(merged, scale=onet().scale)
        except ValidationError as error:
            raise bad_request(error) from None
        problems = role_code_problems(plan.target_role_code or "", "target_role_code")
        framework = onet().framework
        problems.extend(
            f"goals[{i}].skill_code: {goal.skill_code!r} is not an O*NET skill code"
            for i, goal in enumerate(plan.goals)
            if goal.skill_code is not None and goal.skill_code not in framework
        )
        if problems:
            raise bad_request(problems)
        self._store(plan)
        return self.answer(self.ugettext("Your plan is saved."))

    @XBlock.json_handler
    def change_plan_status(self, data: Any, suffix: str = "") -> dict[str, Any]:
        """Take a workflow action ``{"action": "activate"}`` as the plan's owner.

        :raise 400: when there is no plan, the action is unknown or the workflow refuses it.
        """
        plan = self.development_plan()
        if plan is None:
            raise bad_request("plan: save your plan first")
        value = require_object(data).get("action")
        if not isinstance(value, str) or value not in {a.value for a in PlanAction}:
            raise bad_request(f"action: must be one of {', '.join(a.value for a in PlanAction)}")
        action = PlanAction(value)
        try:
            plan = apply_transition(plan, action, PlanActor.OWNER)
        except WorkflowError as error:
            raise bad_request(str(error)) from None
        self._store(plan)
        return self.answer(self.ugettext("The plan's status is now: {status}.").format(status=plan.status.value))

    @XBlock.json_handler
    def add_checkin(self, data: Any, suffix: str = "") -> dict[str, Any]:
        """Record a check-in ``{"checkin": {"held_on", "agenda_template", "notes", "agreed_actions", ...}}``.

        Who wrote it comes from Open edX's user service, never from the request: course staff write as the
        learner's mentor in their own name, anyone else as the learner (decision 0019).

        :raise 400: when there is no plan yet, the check-in is invalid, or there are too many.
        """
        if not self.plan:
            raise bad_request("plan: save your plan before recording a check-in")
        if len(self.checkins) >= MAX_CHECKINS:
            raise bad_request(f"checkins: at most {MAX_CHECKINS} check-ins per plan")
        role, name = self.checkin_author()
        submitted = {**require_object(data, "checkin"), "author_role": role.value, "author_name": name}
        try:
            checkin = parse_checkin(submitted)
        except ValidationError as error:
            raise bad_request(error) from None
        self.checkins = [*self.checkins, checkin_to_dict(checkin)]
        return self.answer(self.ugettext("Check-in recorded."))

    def checkin_author(self) -> tuple[CheckInAuthorRole, str]:
        """The author of a check-in recorded now: the current user as Open edX's user service describes them.

        Staff (``edx-platform.user_is_staff``, or the staff or instructor course role) write as mentor; the
        name is the user's full name, else their username, else a neutral word.
        """
        service = self.runtime.service(self, "user")
        user = service.get_current_user() if service is not None else None
        attrs = getattr(user, "opt_attrs", None) or {}
        staff = bool(attrs.get("edx-platform.user_is_staff")) or attrs.get("edx-platform.user_role") in STAFF_ROLES
        name = str(getattr(user, "full_name", "") or attrs.get("edx-platform.username") or "").strip()
        if staff:
            return CheckInAuthorRole.MENTOR, name or self.ugettext("Course staff")
        return CheckInAuthorRole.LEARNER, name or self.ugettext("You")

    def _store(self, plan: DevelopmentPlan) -> None:
        was_complete = self.current_completion().complete
        before = self.development_plan()
        self.plan = plan_to_dict(plan)
        completion = self.publish_progress()
        self.add_evidence(
            goal_evidence(
                learner_id=self.learner_id(),
                before=before,
                after=plan,
                recorded_at=now(),
                activity_id=str(self.scope_ids.usage_id),
            )
        )
        if completion.complete and not was_complete and not self.counted_complete:
            self.counted_complete = True
            self.completed_plans += 1

    @staticmethod
    def workbench_scenarios() -> list[tuple[str, str]]:
        return [("Career development plan", '<career_development_plan target_role_code="15-1253.00"/>')]


def _fresh_id(prefix: str, taken: list[str]) -> str:
    n = len(taken) + 1
    while f"{prefix}-{n}" in taken:
        n += 1
    return f"{prefix}-{n}"
