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


class RoleListSchema(AttributedSchema):
    roles = fields.List(fields.Nested(RoleSummarySchema))


class RequirementSchema(Schema):
    skill_code = fields.String()
    skill_name = fields.String()
    level = fields.Float()
    level_name = fields.String()
    importance = fields.Float()


class RelatedRoleSchema(RoleSummarySchema):
    strength = fields.Float()


class RoleSchema(AttributedSchema, RoleSummarySchema):
    description = fields.String()
    requirements = fields.List(fields.Nested(RequirementSchema))
    related = fields.List(fields.Nested(RelatedRoleSchema))


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
        """Search occupations by title or code (all, by title, when ``q`` is empty)."""
        current_launch()
        return careers.search_roles(args["q"], args["limit"])


@blp.route("/<code>")
class RoleDetail(MethodView):
    @blp.response(200, RoleSchema)
    @errors(blp, 404)
    def get(self, code: str) -> dict[str, Any]:
        """An occupation's skill requirements and related occupations."""
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
