"""``/api/v1/frameworks``: skills frameworks, their CASE and CSV exports, and CASE import by staff."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app
from flask.views import MethodView
from marshmallow import INCLUDE, Schema, fields, validate

from lti_app.api.auth import current_launch
from lti_app.api.base import Blueprint, errors
from lti_app.api.schemas import AttributedSchema
from lti_app.career import frameworks

blp = Blueprint(
    "frameworks",
    __name__,
    url_prefix="/api/v1/frameworks",
    description="Skills frameworks: the shared O*NET framework and frameworks imported from CASE packages",
)


class LevelSchema(Schema):
    value = fields.Integer()
    name = fields.String()
    descriptor = fields.String()


class ScaleSchema(Schema):
    id = fields.String()
    name = fields.String()
    levels = fields.List(fields.Nested(LevelSchema))


class SkillSchema(Schema):
    code = fields.String()
    name = fields.String()
    description = fields.String()
    category = fields.String()
    parent_code = fields.String(allow_none=True)


class FrameworkSummarySchema(AttributedSchema):
    identifier = fields.String(required=True)
    title = fields.String(required=True)
    version = fields.String()
    source = fields.String(metadata={"description": "onet or case_import"})
    skill_count = fields.Integer()
    scale = fields.Nested(ScaleSchema)


class FrameworkSchema(FrameworkSummarySchema):
    skills = fields.List(fields.Nested(SkillSchema))


class FrameworkListSchema(Schema):
    frameworks = fields.List(fields.Nested(FrameworkSummarySchema))


class FormatArgs(Schema):
    format = fields.String(
        load_default="json",
        validate=validate.OneOf(["json", "case", "csv"]),
        metadata={"description": "json (default), case (a CASE 1.1 package) or csv (the skills)"},
    )


class CasePackageSchema(Schema):
    """A CASE 1.1 package; career_core checks everything past these top-level shapes."""

    class Meta:
        unknown = INCLUDE

    CFDocument = fields.Dict(required=True)
    CFItems = fields.List(fields.Dict(), load_default=list, validate=validate.Length(max=frameworks.MAX_SKILLS))
    CFAssociations = fields.List(
        fields.Dict(), load_default=list, validate=validate.Length(max=10 * frameworks.MAX_SKILLS)
    )
    CFRubrics = fields.List(fields.Dict(), load_default=list, validate=validate.Length(max=20))


@blp.route("")
class Frameworks(MethodView):
    @blp.response(200, FrameworkListSchema)
    @errors(blp, 403)
    def get(self) -> dict[str, Any]:
        """The frameworks this deployment may use."""
        return {"frameworks": frameworks.list_frameworks(current_launch())}

    @blp.arguments(CasePackageSchema)
    @blp.response(201, FrameworkSchema)
    @blp.alt_response(200, schema=FrameworkSchema, description="The identical framework already existed", success=True)
    @errors(blp, 400, 403, 409)
    def post(self, package: dict[str, Any]) -> tuple[dict[str, Any], int]:
        """Import a CASE 1.1 package (instructors and administrators). It lands whole or not at all."""
        detail, created = frameworks.import_framework(current_launch(), package)
        return detail, 201 if created else 200


# The three formats share one operation, so the document lists each: the framework or a CASE package as JSON,
# the skills as CSV.
_FORMATS_RESPONSE = {
    "description": "The framework (format=json), a CASE 1.1 package (format=case) or its skills (format=csv)",
    "content": {
        "application/json": {
            "schema": {
                "anyOf": [
                    {"$ref": "#/components/schemas/Framework"},
                    {"$ref": "#/components/schemas/CasePackage"},
                ]
            }
        },
        "text/csv": {"schema": {"type": "string"}},
    },
}


@blp.route("/<path:identifier>")
class Framework(MethodView):
    @blp.arguments(FormatArgs, location="query")
    @blp.doc(responses={"200": _FORMATS_RESPONSE})
    @errors(blp, 400, 403, 404)
    def get(self, args: dict[str, str], identifier: str) -> Any:
        """A framework (``?format=case`` for CASE 1.1 JSON, ``?format=csv`` or a ``.csv`` suffix for CSV)."""
        session = current_launch()
        fmt = args["format"]
        if identifier.endswith(".csv"):
            identifier, fmt = identifier.removesuffix(".csv"), "csv"
        if fmt == "case":
            base_uri = current_app.config["BASE_URL"] + "/api/v1/frameworks/case"
            return _json_response(frameworks.framework_case(session, identifier, base_uri=base_uri))
        if fmt == "csv":
            text, attribution = frameworks.framework_csv(session, identifier)
            headers = {"Content-Disposition": "attachment; filename=framework.csv"}
            if attribution:
                headers["X-Attribution"] = attribution.encode("ascii", "replace").decode()
            return Response(text, mimetype="text/csv", headers=headers)
        return _json_response(FrameworkSchema().dump(frameworks.framework_detail(session, identifier)))


def _json_response(body: dict[str, Any]) -> Response:
    """CASE packages go out as they are: their keys are not the framework schema's."""
    return Response(current_app.json.dumps(body), mimetype="application/json")
