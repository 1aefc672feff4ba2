"""``/api/v1/reflections``: reflection exercises and the caller's answers to them."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields

from lti_app.api.auth import current_launch
from lti_app.api.base import Blueprint, errors
from lti_app.career import reflections

blp = Blueprint("reflections", __name__, url_prefix="/api/v1/reflections", description="Reflection exercises")


class PartSchema(Schema):
    key = fields.String()
    label = fields.String()
    min_words = fields.Integer()
    max_length = fields.Integer()


class FieldSchema(Schema):
    key = fields.String()
    label = fields.String()
    prompt = fields.String()
    kind = fields.String(metadata={"description": "text, text_list, choices or entries"})
    min_words = fields.Integer()
    min_items = fields.Integer()
    max_items = fields.Integer()
    max_length = fields.Integer()
    options = fields.List(fields.String())
    parts = fields.List(fields.Nested(PartSchema))
    criterion = fields.String(allow_none=True)


class TemplateSchema(Schema):
    key = fields.String()
    title = fields.String()
    intro = fields.String()
    fields_ = fields.List(fields.Nested(FieldSchema), data_key="fields", attribute="fields")


class CriterionSchema(Schema):
    field_key = fields.String()
    description = fields.String()
    fraction = fields.Float()
    met = fields.Boolean()
    message = fields.String()
    problems = fields.List(fields.String())


class EvaluationSchema(Schema):
    completion = fields.Float()
    complete = fields.Boolean()
    criteria = fields.List(fields.Nested(CriterionSchema))


class ReflectionSchema(Schema):
    template = fields.Nested(TemplateSchema)
    answers = fields.Dict(keys=fields.String())
    evaluation = fields.Nested(EvaluationSchema)
    updated_at = fields.DateTime(allow_none=True)


class AnswersSchema(Schema):
    answers = fields.Dict(
        keys=fields.String(),
        required=True,
        metadata={"description": "Answers keyed by the template's field keys; lengths are checked per field"},
    )


class ReflectionSummarySchema(Schema):
    key = fields.String()
    title = fields.String()
    completion = fields.Float()
    complete = fields.Boolean()
    updated_at = fields.DateTime(allow_none=True)


class ReflectionListSchema(Schema):
    reflections = fields.List(fields.Nested(ReflectionSummarySchema))


@blp.route("")
class Reflections(MethodView):
    @blp.response(200, ReflectionListSchema)
    @errors(blp, 403)
    def get(self) -> dict[str, Any]:
        """Every exercise with the caller's completion of it."""
        return {"reflections": reflections.list_reflections(current_launch())}


@blp.route("/<template>")
class Reflection(MethodView):
    @blp.response(200, ReflectionSchema)
    @errors(blp, 403, 404)
    def get(self, template: str) -> dict[str, Any]:
        """The exercise, the caller's answers and what is still missing."""
        return reflections.reflection_of(current_launch(), template)

    @blp.arguments(AnswersSchema)
    @blp.response(200, ReflectionSchema)
    @errors(blp, 400, 403, 404)
    def put(self, body: dict[str, Any], template: str) -> dict[str, Any]:
        """Save the caller's answers (whole); a complete exercise earns its score."""
        return reflections.save_answers(current_launch(), template, body["answers"])
