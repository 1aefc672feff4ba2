"""``/api/v1/career``: ranked next roles, the path to a target, and the caller's chosen target."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from lti_app.api.auth import current_launch
from lti_app.api.base import Blueprint, errors
from lti_app.api.schemas import AttributedSchema, RoleSummarySchema, SkillComparisonSchema, SkillGapSchema
from lti_app.career import careers

blp = Blueprint("career", __name__, url_prefix="/api/v1/career", description="Career moves for the caller")


class NextRolesArgs(Schema):
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=careers.MAX_RESULTS))
    explain = fields.Integer(load_default=5, validate=validate.Range(min=0, max=35))
    from_ = fields.String(
        data_key="from",
        validate=validate.Length(max=20),
        metadata={"description": "Rank only the roles related to this one"},
    )


class ContributionSchema(SkillComparisonSchema):
    fit_loss = fields.Float(metadata={"description": "Share of the role's fit this skill's gap costs"})


class RankedRoleSchema(RoleSummarySchema):
    fit = fields.Float()
    total_weighted_gap = fields.Float()
    strength = fields.Float(allow_none=True)
    explanation = fields.List(fields.Nested(ContributionSchema))


class NextRolesSchema(AttributedSchema):
    profile_size = fields.Integer(metadata={"description": "How many skills the caller has rated"})
    from_ = fields.Nested(RoleSummarySchema, data_key="from", attribute="from", allow_none=True)
    roles = fields.List(fields.Nested(RankedRoleSchema))


class PathArgs(Schema):
    to = fields.String(validate=validate.Length(max=20))
    from_ = fields.String(data_key="from", validate=validate.Length(max=20))


class PathStepSchema(Schema):
    from_ = fields.Nested(RoleSummarySchema, data_key="from", attribute="from")
    to = fields.Nested(RoleSummarySchema)
    strength = fields.Float()
    cost = fields.Float()
    gaps = fields.List(fields.Nested(SkillGapSchema))


class PathSchema(AttributedSchema):
    from_ = fields.Nested(RoleSummarySchema, data_key="from", attribute="from")
    to = fields.Nested(RoleSummarySchema)
    found = fields.Boolean()
    total_cost = fields.Float(allow_none=True)
    steps = fields.List(fields.Nested(PathStepSchema))


class TargetInSchema(Schema):
    role_code = fields.String(required=True, validate=validate.Length(min=1, max=20))
    current_role_code = fields.String(allow_none=True, validate=validate.Length(max=20))
    gap_reviewed = fields.Boolean(load_default=False)


class TargetSchema(AttributedSchema):
    target = fields.Nested(RoleSummarySchema, allow_none=True)
    current = fields.Nested(RoleSummarySchema, allow_none=True)
    gap_reviewed = fields.Boolean()
    updated_at = fields.DateTime(allow_none=True)
    completion = fields.Float()
    complete = fields.Boolean()


@blp.route("/next-roles")
class NextRoles(MethodView):
    @blp.arguments(NextRolesArgs, location="query")
    @blp.response(200, NextRolesSchema)
    @errors(blp, 400, 403, 404)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Roles ranked by fit to the caller's profile, each explained by the skills costing most fit."""
        return careers.next_roles(
            current_launch(), limit=args["limit"], from_code=args.get("from_"), explain=args["explain"]
        )


@blp.route("/path")
class Path(MethodView):
    @blp.arguments(PathArgs, location="query")
    @blp.response(200, PathSchema)
    @errors(blp, 400, 403, 404)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The cheapest route between two roles (default: the caller's current and target roles)."""
        return careers.career_path(current_launch(), to_code=args.get("to"), from_code=args.get("from_"))


@blp.route("/target")
class Target(MethodView):
    @blp.response(200, TargetSchema)
    @errors(blp, 403)
    def get(self) -> dict[str, Any]:
        """The caller's chosen target role (for this placement, else the latest in the course)."""
        return careers.target_of(current_launch())

    @blp.arguments(TargetInSchema)
    @blp.response(200, TargetSchema)
    @errors(blp, 400, 403)
    def put(self, body: dict[str, Any]) -> dict[str, Any]:
        """Choose the target role; ``gap_reviewed`` once the learner has looked at the gap (completes the path)."""
        return careers.set_target(
            current_launch(),
            body["role_code"],
            current_role_code=body.get("current_role_code"),
            gap_reviewed=body["gap_reviewed"],
        )
