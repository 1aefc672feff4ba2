"""``/api/v1/career``: recommended roles, ranked next roles, the path to a target, and the caller's target."""

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
    fit = fields.Float(
        metadata={"description": "Share of the role's weighted requirements met; being above a need earns nothing"}
    )
    band = fields.String(metadata={"description": "How close the role is, in words (see /career/recommendations)"})
    total_weighted_gap = fields.Float()
    strength = fields.Float(allow_none=True)
    explanation = fields.List(fields.Nested(ContributionSchema))


class NextRolesSchema(AttributedSchema):
    profile_size = fields.Integer(metadata={"description": "How many skills the caller has rated"})
    from_ = fields.Nested(RoleSummarySchema, data_key="from", attribute="from", allow_none=True)
    roles = fields.List(fields.Nested(RankedRoleSchema))


BANDS = ("very close", "close", "some gaps", "big gaps")


class RecommendationsArgs(Schema):
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=careers.MAX_RESULTS))
    explain = fields.Integer(load_default=5, validate=validate.Range(min=0, max=35))
    current = fields.String(
        validate=validate.Length(min=1, max=20),
        metadata={"description": "The caller's current role (default: the one saved with their target)"},
    )


class SkillNoteSchema(Schema):
    skill_code = fields.String()
    skill_name = fields.String()
    current = fields.Float(allow_none=True, metadata={"description": "The caller's level; null when unrated"})
    required = fields.Float()
    importance = fields.Float()
    gap = fields.Float()
    standing = fields.String(validate=validate.OneOf(("carries over", "to grow", "above needs", "minor", "unrated")))


class RecommendationSchema(RoleSummarySchema):
    band = fields.String(
        validate=validate.OneOf(BANDS),
        metadata={"description": "Closeness of the role's skill profile to the caller's, in words"},
    )
    typical_difference = fields.Float(
        metadata={"description": "Importance-weighted typical difference in levels (surplus counted at 0.7)"}
    )
    strength = fields.Float(allow_none=True, metadata={"description": "O*NET relatedness, for related moves"})
    drivers = fields.List(
        fields.String(validate=validate.OneOf(("skills", "interests", "values"))),
        metadata={"description": "What drove the suggestion, strongest first"},
    )
    matched_interests = fields.List(fields.String())
    matched_values = fields.List(fields.String())
    carries_over = fields.List(fields.Nested(SkillNoteSchema))
    to_grow = fields.List(fields.Nested(SkillNoteSchema))
    above_needs = fields.List(fields.Nested(SkillNoteSchema))


class SkillNameSchema(Schema):
    skill_code = fields.String()
    skill_name = fields.String()


class RecommendationsSchema(AttributedSchema):
    profile_size = fields.Integer(metadata={"description": "How many skills the caller has rated"})
    current = fields.Nested(RoleSummarySchema, allow_none=True)
    estimated_zone = fields.Float(allow_none=True, metadata={"description": "Job Zone estimated from the profile"})
    level_zone = fields.Integer(allow_none=True, metadata={"description": "The Job Zone lists start from"})
    level_zone_name = fields.String(allow_none=True)
    zone_from_current_role = fields.Boolean()
    strongest_skills = fields.List(fields.Nested(SkillNameSchema))
    uses_values = fields.Boolean()
    uses_interests = fields.Boolean()
    closest = fields.List(fields.Nested(RecommendationSchema), metadata={"description": "Closest to you now"})
    step_up = fields.List(fields.Nested(RecommendationSchema), metadata={"description": "The next Job Zone"})
    strongest = fields.List(fields.Nested(RecommendationSchema), metadata={"description": "Uses your strongest skills"})
    related_moves = fields.List(
        fields.Nested(RecommendationSchema), metadata={"description": "O*NET's related occupations of the current role"}
    )
    combined = fields.List(
        fields.Nested(RecommendationSchema), metadata={"description": "Skills, values and interests together"}
    )


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


@blp.route("/recommendations")
class RecommendationsView(MethodView):
    @blp.arguments(RecommendationsArgs, location="query")
    @blp.response(200, RecommendationsSchema)
    @errors(blp, 400, 403, 404)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Roles for the caller: closest now, a step up, using their strongest skills, related moves from
        their current role, and combined with what they value and enjoy; each explained skill by skill."""
        return careers.recommendations(
            current_launch(), limit=args["limit"], current_code=args.get("current"), explain=args["explain"]
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
