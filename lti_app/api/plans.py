"""``/api/v1/plans``: development plans, their goals and actions, the review workflow and check-ins."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from career_core.checkins import AGENDA_TEMPLATES, MAX_AGREED_ACTION_LENGTH, MAX_AGREED_ACTIONS, MAX_NOTES_LENGTH
from career_core.plan_workflow import PlanAction
from career_core.plans import (
    MAX_ACTIONS,
    MAX_GOALS,
    MAX_TITLE_LENGTH,
    MAX_URL_LENGTH,
    MAX_VISION_LENGTH,
    ActionKind,
    ActionStatus,
    PlanStatus,
)
from lti_app.api.auth import current_launch
from lti_app.api.base import Blueprint, errors
from lti_app.career import plans

blp = Blueprint("plans", __name__, url_prefix="/api/v1/plans", description="Development plans")

_ID = validate.Length(min=1, max=100)


class IsoDate(fields.Date):
    """Loads ``YYYY-MM-DD``; dumps the ISO text the stored plan already holds."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return value if value is None or isinstance(value, str) else super()._serialize(value, attr, obj, **kwargs)


class GoalInSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TITLE_LENGTH))
    skill_code = fields.String(allow_none=True, validate=validate.Length(max=100))
    target_level = fields.Integer(allow_none=True, strict=True)
    due_date = IsoDate(allow_none=True)


class GoalSchema(GoalInSchema):
    id = fields.String(validate=_ID)
    achieved = fields.Boolean()
    achieved_at = IsoDate(allow_none=True)


class ActionInSchema(Schema):
    goal_id = fields.String(required=True, validate=_ID)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in ActionKind]))
    title = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TITLE_LENGTH))
    status = fields.String(validate=validate.OneOf([s.value for s in ActionStatus]))
    due_date = IsoDate(allow_none=True)
    url = fields.String(allow_none=True, validate=validate.Length(max=MAX_URL_LENGTH))


class ActionSchema(ActionInSchema):
    id = fields.String(validate=_ID)


class PlanInSchema(Schema):
    target_role_code = fields.String(allow_none=True, validate=validate.Length(max=20))
    vision = fields.String(validate=validate.Length(max=MAX_VISION_LENGTH))
    goals = fields.List(fields.Nested(GoalSchema), validate=validate.Length(max=MAX_GOALS))
    actions = fields.List(fields.Nested(ActionSchema), validate=validate.Length(max=MAX_ACTIONS))


class OwnerSchema(Schema):
    user_id = fields.Integer()
    name = fields.String()


class PlanSchema(Schema):
    id = fields.Integer()
    owner = fields.Nested(OwnerSchema)
    target_role_code = fields.String(allow_none=True)
    vision = fields.String()
    status = fields.String(validate=validate.OneOf([s.value for s in PlanStatus]))
    requires_review = fields.Boolean()
    goals = fields.List(fields.Nested(GoalSchema))
    actions = fields.List(fields.Nested(ActionSchema))
    progress = fields.Float(metadata={"description": "Share of goals achieved"})
    completion = fields.Float()
    complete = fields.Boolean()
    overdue_goal_ids = fields.List(fields.String())
    allowed_actions = fields.List(fields.String(), metadata={"description": "Workflow actions open to the caller"})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class PlanListSchema(Schema):
    plans = fields.List(fields.Nested(PlanSchema))


class TransitionSchema(Schema):
    action = fields.String(required=True, validate=validate.OneOf([a.value for a in PlanAction]))


class CheckInInSchema(Schema):
    held_on = IsoDate(required=True)
    agenda_template = fields.String(allow_none=True, validate=validate.OneOf(list(AGENDA_TEMPLATES)))
    notes = fields.String(load_default="", validate=validate.Length(max=MAX_NOTES_LENGTH))
    agreed_actions = fields.List(
        fields.String(validate=validate.Length(max=MAX_AGREED_ACTION_LENGTH)),
        load_default=list,
        validate=validate.Length(max=MAX_AGREED_ACTIONS),
    )
    next_checkin_on = IsoDate(allow_none=True, metadata={"description": "When to meet next"})


class CheckInSchema(Schema):
    id = fields.Integer()
    plan_id = fields.Integer()
    author_role = fields.String()
    author_name = fields.String()
    held_on = fields.String()
    agenda_template = fields.String(allow_none=True)
    notes = fields.String()
    agreed_actions = fields.List(fields.String())
    next_checkin_on = fields.String(allow_none=True)
    created_at = fields.DateTime()


class CheckInListSchema(Schema):
    checkins = fields.List(fields.Nested(CheckInSchema))


@blp.route("")
class Plans(MethodView):
    @blp.response(200, PlanListSchema)
    @errors(blp, 403)
    def get(self) -> dict[str, Any]:
        """The caller's plans in this course."""
        return {"plans": plans.list_plans(current_launch())}

    @blp.arguments(PlanInSchema)
    @blp.response(201, PlanSchema)
    @errors(blp, 400, 403)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Start a draft plan (goals and actions may come with it)."""
        return plans.create_plan(current_launch(), body)


@blp.route("/<int:plan_id>")
class Plan(MethodView):
    @blp.response(200, PlanSchema)
    @errors(blp, 403, 404)
    def get(self, plan_id: int) -> dict[str, Any]:
        """A plan: the owner's, or any in the course for its instructors."""
        return plans.get_plan(current_launch(), plan_id)

    @blp.arguments(PlanInSchema)
    @blp.response(200, PlanSchema)
    @errors(blp, 400, 403, 404)
    def patch(self, body: dict[str, Any], plan_id: int) -> dict[str, Any]:
        """Replace the given fields of the caller's own plan (status moves only through transitions)."""
        return plans.update_plan(current_launch(), plan_id, body)


@blp.route("/<int:plan_id>/goals")
class Goals(MethodView):
    @blp.arguments(GoalInSchema)
    @blp.response(201, PlanSchema)
    @errors(blp, 400, 403, 404)
    def post(self, body: dict[str, Any], plan_id: int) -> dict[str, Any]:
        """Add a goal to the caller's plan; returns the plan."""
        return plans.add_goal(current_launch(), plan_id, body)


@blp.route("/<int:plan_id>/actions")
class Actions(MethodView):
    @blp.arguments(ActionInSchema)
    @blp.response(201, PlanSchema)
    @errors(blp, 400, 403, 404)
    def post(self, body: dict[str, Any], plan_id: int) -> dict[str, Any]:
        """Add an action towards one of the plan's goals; returns the plan."""
        return plans.add_action(current_launch(), plan_id, body)


@blp.route("/<int:plan_id>/transitions")
class Transitions(MethodView):
    @blp.arguments(TransitionSchema)
    @blp.response(200, PlanSchema)
    @errors(blp, 400, 403, 404, 409)
    def post(self, body: dict[str, Any], plan_id: int) -> dict[str, Any]:
        """Take a workflow action: 403 when it is not open to the caller, 409 when not possible from the status."""
        return plans.take_action(current_launch(), plan_id, body["action"])


@blp.route("/<int:plan_id>/checkins")
class CheckIns(MethodView):
    @blp.response(200, CheckInListSchema)
    @errors(blp, 403, 404)
    def get(self, plan_id: int) -> dict[str, Any]:
        """Check-ins on the plan, newest first."""
        return {"checkins": plans.list_checkins(current_launch(), plan_id)}

    @blp.arguments(CheckInInSchema)
    @blp.response(201, CheckInSchema)
    @errors(blp, 400, 403, 404)
    def post(self, body: dict[str, Any], plan_id: int) -> dict[str, Any]:
        """Record a check-in in the caller's own name (the owner as learner, the course's staff as mentor)."""
        return plans.add_checkin(current_launch(), plan_id, body)
