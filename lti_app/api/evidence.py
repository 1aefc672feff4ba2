"""``/api/v1/evidence``: the caller's skill evidence, as records, xAPI statements and Open Badges 3.0."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields

from lti_app.api.auth import current_launch
from lti_app.api.base import Blueprint, errors
from lti_app.api.schemas import AttributedSchema, PageArgsSchema, PageSchema
from lti_app.career import evidence

blp = Blueprint("evidence", __name__, url_prefix="/api/v1/evidence", description="Skill evidence (append-only)")


class EvidenceSchema(Schema):
    id = fields.String()
    skill_code = fields.String()
    skill_name = fields.String()
    framework = fields.String(allow_none=True)
    level = fields.Integer(allow_none=True)
    source = fields.String(metadata={"description": "self_assessment, completed_activity, ..."})
    recorded_at = fields.DateTime()
    activity_id = fields.String(allow_none=True)
    activity_url = fields.String(allow_none=True)
    note = fields.String()


class EvidenceListSchema(AttributedSchema, PageSchema):
    evidence = fields.List(fields.Nested(EvidenceSchema))


class StatementsSchema(AttributedSchema):
    version = fields.String(metadata={"description": "Send as X-Experience-API-Version"})
    statements = fields.List(fields.Dict(), metadata={"description": "xAPI 1.0.3 statements"})


class CredentialsSchema(AttributedSchema):
    credentials = fields.List(fields.Dict(), metadata={"description": "Unsigned OB 3.0 AchievementCredentials"})


@blp.route("")
class Evidence(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, EvidenceListSchema)
    @errors(blp, 400, 403)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """A page of the caller's evidence from every course and linked platform, oldest first."""
        return evidence.my_evidence(current_launch(), args["paging"])


@blp.route("/xapi")
class Xapi(MethodView):
    @blp.response(200, StatementsSchema)
    @errors(blp, 403)
    def get(self) -> dict[str, Any]:
        """The caller's evidence as xAPI statements (the learner as an opaque account, never an email)."""
        return evidence.my_xapi_statements(current_launch())


@blp.route("/badges")
class Badges(MethodView):
    @blp.response(200, CredentialsSchema)
    @errors(blp, 403)
    def get(self) -> dict[str, Any]:
        """One Open Badges 3.0 credential per skill the caller has evidence for."""
        return evidence.my_badges(current_launch())
