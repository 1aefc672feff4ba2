"""Schemas several career resources share."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from lti_app.career.paging import DEFAULT_PER_PAGE, MAX_PER_PAGE, Paging
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


class PageArgsSchema(Schema):
    """``?page=&per_page=`` on every list; anything else than whole numbers in range answers 400."""

    page = fields.Integer(load_default=1, strict=False, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=DEFAULT_PER_PAGE, validate=validate.Range(min=1, max=MAX_PER_PAGE))

    @post_load
    def paging(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return {**data, "paging": Paging(data.pop("page"), data.pop("per_page"))}


class PageSchema(Schema):
    """The envelope beside a page of items: how many there are, and where the neighbouring pages are."""

    total = fields.Integer(metadata={"description": "Items in the whole list"})
    page = fields.Integer()
    per_page = fields.Integer()
    pages = fields.Integer(metadata={"description": "Pages in the whole list (at least 1)"})
    next_page = fields.Integer(allow_none=True, metadata={"description": "null on the last page"})
    previous_page = fields.Integer(allow_none=True)
