"""``/api/v1/assessments``: the caller's self-assessment sittings (history kept) and submitting a new one."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from lti_app.api.auth import current_launch
from lti_app.api.base import Blueprint, errors
from lti_app.api.schemas import PageArgsSchema, PageSchema
from lti_app.career import assessments
from lti_app.career.paging import MAX_PER_PAGE

HISTORY_PER_PAGE = 20

blp = Blueprint(
    "assessments", __name__, url_prefix="/api/v1/assessments", description="The caller's skills self-assessments"
)


class RatingSchema(Schema):
    skill_code = fields.String(required=True, validate=validate.Length(min=1, max=100))
    level = fields.Integer(required=True, strict=True)
    confidence = fields.String(load_default="medium", validate=validate.OneOf(["low", "medium", "high"]))
    note = fields.String(load_default="", validate=validate.Length(max=1000))


class SubmitSchema(Schema):
    framework = fields.String(
        validate=validate.Length(max=255),
        metadata={"description": "Framework identifier; default the placement's framework, else O*NET"},
    )
    ratings = fields.List(fields.Nested(RatingSchema), required=True, validate=validate.Length(min=1, max=2000))


class SittingSchema(Schema):
    id = fields.Integer()
    framework = fields.String()
    taken_at = fields.DateTime()
    ratings = fields.List(fields.Nested(RatingSchema))


class SubmittedSchema(SittingSchema):
    completion = fields.Float(metadata={"description": "Share of the required skills rated (career_core)"})
    complete = fields.Boolean()


class ProfileSchema(Schema):
    framework = fields.String()
    levels = fields.Dict(keys=fields.String(), values=fields.Float())


class HistorySchema(PageSchema):
    assessments = fields.List(fields.Nested(SittingSchema))
    profiles = fields.List(fields.Nested(ProfileSchema))


class HistoryPageArgs(PageArgsSchema):
    # A sitting carries every rating it made (35 for O*NET): a page of 20 is already 700 ratings.
    per_page = fields.Integer(load_default=HISTORY_PER_PAGE, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class HistoryArgs(HistoryPageArgs):
    framework = fields.String(validate=validate.Length(max=255))


@blp.route("")
class Assessments(MethodView):
    @blp.arguments(HistoryArgs, location="query")
    @blp.response(200, HistorySchema)
    @errors(blp, 400, 403, 404)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """A page of the caller's sittings, oldest first, and their current profile per framework."""
        return assessments.my_history(current_launch(), args.get("framework"), args["paging"])

    @blp.arguments(SubmitSchema)
    @blp.response(201, SubmittedSchema)
    @errors(blp, 400, 403, 404)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Submit a sitting: ratings are checked against the framework's scale; evidence and score follow."""
        return assessments.submit_assessment(current_launch(), body["ratings"], framework=body.get("framework"))


class DraftRatingSchema(Schema):
    skill_code = fields.String(required=True, validate=validate.Length(min=1, max=100))
    level = fields.Integer(required=True, strict=True)


class DraftSchema(Schema):
    framework = fields.String(dump_only=True)
    ratings = fields.List(fields.Nested(DraftRatingSchema), required=True, validate=validate.Length(max=2000))
    updated_at = fields.DateTime(dump_only=True, allow_none=True)


@blp.route("/draft")
class Draft(MethodView):
    @blp.response(200, DraftSchema)
    @errors(blp, 403, 404)
    def get(self) -> dict[str, Any]:
        """The caller's unsubmitted levels for the placement's framework (restored when the page reloads)."""
        return assessments.my_draft(current_launch())

    @blp.arguments(DraftSchema)
    @blp.response(200, DraftSchema)
    @errors(blp, 400, 403, 404)
    def put(self, body: dict[str, Any]) -> dict[str, Any]:
        """Keep levels chosen but not submitted: not a sitting, so no score, completion or evidence."""
        return assessments.save_draft(current_launch(), body["ratings"])
