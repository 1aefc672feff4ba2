"""Schemas several career resources share."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lti_app.input_guard import MAX_DATABASE_ID


class DatabaseId(fields.Integer):
    """A record's id in a request body: a whole number the database's id columns can hold (else 400)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(strict=True, validate=validate.Range(min=1, max=MAX_DATABASE_ID), **kwargs)  # type: ignore[arg-type]


class AttributedSchema(Schema):
    """Every response that shows O*NET data carries its CC BY 4.0 attribution."""

    attribution = fields.String(allow_none=True, metadata={"description": "Attribution the data's licence requires"})
    license_url = fields.String(allow_none=True)


class RoleSummarySchema(Schema):
    code = fields.String(required=True, metadata={"description": "O*NET-SOC code"})
    title = fields.String(required=True)
    job_zone = fields.Integer(allow_none=True)


class SkillComparisonSchema(Schema):
    """A skill's level against what a role requires: the fields gaps and fit explanations share."""

    skill_code = fields.String()
    skill_name = fields.String()
    current = fields.Float()
    required = fields.Float()
    importance = fields.Float()
    gap = fields.Float()


class SkillGapSchema(SkillComparisonSchema):
    weighted_gap = fields.Float()
    rated = fields.Boolean()
    met = fields.Boolean()
