"""``/api/v1/roles``: O*NET occupations (from the packaged catalog), and the caller's gap to one."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from lti_app.api.auth import current_launch
from lti_app.api.base import Blueprint, errors
from lti_app.api.schemas import AttributedSchema, RoleSummarySchema, SkillGapSchema
from lti_app.career import careers

blp = Blueprint("roles", __name__, url_prefix="/api/v1/roles", description="Occupations from O*NET 29.3")


class SearchArgs(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=200))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=careers.MAX_RESULTS))


class FoundRoleSchema(RoleSummarySchema):
    rated = fields.Boolean(metadata={"description": "Whether O*NET rates this occupation's skills (gaps need it)"})
    matched_title = fields.String(
        allow_none=True, metadata={"description": "The other title the query matched (e.g. 'HR Manager'), if any"}
    )


class SearchResultSchema(FoundRoleSchema):
    stand_in = fields.Nested(
        RoleSummarySchema,
        allow_none=True,
        metadata={"description": "For an occupation without skill ratings: the closest rated one, for gaps"},
    )


class RoleListSchema(AttributedSchema):
    query = fields.String()
    roles = fields.List(fields.Nested(SearchResultSchema))


class RequirementSchema(Schema):
    skill_code = fields.String()
    skill_name = fields.String()
    category = fields.String()
    level = fields.Float()
    level_name = fields.String()
    level_meaning = fields.String(metadata={"description": "What this level looks like in this skill (O*NET anchors)"})
    importance = fields.Float()


class RelatedRoleSchema(RoleSummarySchema):
    strength = fields.Float()


class MoveSchema(FoundRoleSchema):
    tier = fields.String(metadata={"description": "O*NET relatedness tier: Primary-Short, Primary-Long, Supplemental"})


class StandInSchema(FoundRoleSchema):
    reason = fields.String()


class JobZoneSchema(Schema):
    number = fields.Integer()
    name = fields.String()
    education = fields.String()
    experience = fields.String()
    training = fields.String()


class ShareSchema(Schema):
    text = fields.String()
    percent = fields.Float(metadata={"description": "Share of respondents giving this answer"})


class TraitScoreSchema(Schema):
    name = fields.String()
    score = fields.Float(metadata={"description": "O*NET extent, 1 (not characteristic) to 7 (extremely)"})
    description = fields.String()


class TraitsSchema(Schema):
    high_points = fields.List(fields.String())
    code = fields.String(metadata={"description": "High points' initials, e.g. 'SI' (Social, Investigative)"})
    scores = fields.List(fields.Nested(TraitScoreSchema), metadata={"description": "Strongest first"})


class RoleSchema(AttributedSchema, FoundRoleSchema):
    description = fields.String()
    other_titles = fields.List(fields.String())
    tasks = fields.List(fields.String())
    job_zone_detail = fields.Nested(JobZoneSchema, allow_none=True)
    education = fields.Nested(ShareSchema, allow_none=True, metadata={"description": "Most common education"})
    experience = fields.Nested(ShareSchema, allow_none=True, metadata={"description": "Most common experience"})
    hot_technologies = fields.List(fields.String())
    requirements = fields.List(fields.Nested(RequirementSchema))
    related = fields.List(fields.Nested(RelatedRoleSchema))
    moves_out = fields.List(fields.Nested(MoveSchema))
    moves_in = fields.List(fields.Nested(MoveSchema))
    stand_ins = fields.List(fields.Nested(StandInSchema))
    work_values = fields.Nested(TraitsSchema, allow_none=True, metadata={"description": "O*NET Work Values"})
    interests = fields.Nested(TraitsSchema, allow_none=True, metadata={"description": "RIASEC interests"})


class GapArgs(Schema):
    top = fields.Integer(load_default=5, validate=validate.Range(min=0, max=35))


class GapSchema(AttributedSchema):
    role = fields.Nested(RoleSummarySchema)
    fit = fields.Float()
    total_weighted_gap = fields.Float()
    items = fields.List(fields.Nested(SkillGapSchema))
    strengths = fields.List(fields.Nested(SkillGapSchema))
    top_gaps = fields.List(fields.Nested(SkillGapSchema))
    unrated = fields.List(fields.String())


@blp.route("")
class Roles(MethodView):
    @blp.arguments(SearchArgs, location="query")
    @blp.response(200, RoleListSchema)
    @errors(blp, 400)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Search occupations by any title O*NET knows them by, or by code (all, by title, when ``q`` is empty).

        Word stems and small typos are tolerated; best matches first.
        """
        current_launch()
        return careers.search_roles(args["q"], args["limit"])


@blp.route("/<code>")
class RoleDetail(MethodView):
    @blp.response(200, RoleSchema)
    @errors(blp, 404)
    def get(self, code: str) -> dict[str, Any]:
        """What O*NET says about an occupation: tasks, Job Zone, education, technologies, skills, moves in and out.

        Occupations without skill ratings are answered too, with ``stand_ins`` to measure gaps against.
        """
        current_launch()
        return careers.role_detail(code)


@blp.route("/<code>/gap")
class RoleGap(MethodView):
    @blp.arguments(GapArgs, location="query")
    @blp.response(200, GapSchema)
    @errors(blp, 400, 403, 404)
    def get(self, args: dict[str, Any], code: str) -> dict[str, Any]:
        """The caller's gap to this occupation, skill by skill (unrated skills count as level 0)."""
        return careers.gap_to_role(current_launch(), code, top_n=args["top"])
