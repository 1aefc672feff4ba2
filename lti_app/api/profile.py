"""``/api/v1/profile``: the caller's person-level profile: linked platforms, sharing, record reads, export."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from lti_app.api.auth import current_launch
from lti_app.api.base import Blueprint, errors
from lti_app.career import profile
from lti_app.models.profile import SHARE_KINDS

blp = Blueprint(
    "profile",
    __name__,
    url_prefix="/api/v1/profile",
    description="The learner's own profile across courses and platforms, and their data",
)


class PlatformIdentitySchema(Schema):
    id = fields.Integer()
    platform = fields.String()
    issuer = fields.String()
    this_launch = fields.Boolean()


class LearnerProfileSchema(Schema):
    identities = fields.List(fields.Nested(PlatformIdentitySchema))
    linked = fields.Boolean()
    shares = fields.Dict(
        keys=fields.String(),
        values=fields.Boolean(),
        metadata={"description": f"Per kind ({', '.join(SHARE_KINDS)}): shared with this course's staff"},
    )


class LinkCodeSchema(Schema):
    code = fields.String(metadata={"description": "Enter it in a launch from your other platform"})
    expires_at = fields.DateTime()


class RedeemSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=40))


class SharesSchema(Schema):
    shares = fields.Dict(keys=fields.String(), values=fields.Boolean(), required=True)


class RecordReadSchema(Schema):
    read_at = fields.DateTime()
    reader = fields.String()
    reader_role = fields.String()
    course = fields.String(allow_none=True)
    what = fields.String()
    via = fields.String(metadata={"description": "api or page"})


class RecordReadsSchema(Schema):
    reads = fields.List(fields.Nested(RecordReadSchema))


@blp.route("")
class Profile(MethodView):
    @blp.response(200, LearnerProfileSchema)
    @errors(blp)
    def get(self) -> dict[str, Any]:
        """The caller's identities (linked platforms) and what they share with this course."""
        return profile.profile_of(current_launch())


@blp.route("/link-code")
class LinkCode(MethodView):
    @blp.response(201, LinkCodeSchema)
    @errors(blp)
    def post(self) -> dict[str, Any]:
        """A one-time code (ten minutes) to enter in a launch from the learner's other platform."""
        return profile.create_link_code(current_launch())


@blp.route("/links")
class Links(MethodView):
    @blp.arguments(RedeemSchema)
    @blp.response(200, LearnerProfileSchema)
    @errors(blp, 400, 409)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Link the identity that showed the code with the caller's."""
        return profile.redeem_link_code(current_launch(), body["code"])


@blp.route("/identities/<int:identity_id>")
class Identity(MethodView):
    @blp.response(200, LearnerProfileSchema)
    @errors(blp, 404, 409)
    def delete(self, identity_id: int) -> dict[str, Any]:
        """Unlink an identity from the rest of the caller's profile (records stay with the identity that made them)."""
        return profile.unlink(current_launch(), identity_id)


@blp.route("/shares")
class Shares(MethodView):
    @blp.arguments(SharesSchema)
    @blp.response(200, LearnerProfileSchema)
    @errors(blp, 400, 403)
    def put(self, body: dict[str, Any]) -> dict[str, Any]:
        """Share kinds of records (from every course) with this course's staff, or stop sharing them."""
        return profile.set_shares(current_launch(), body["shares"])


@blp.route("/record-reads")
class RecordReads(MethodView):
    @blp.response(200, RecordReadsSchema)
    @errors(blp)
    def get(self) -> dict[str, Any]:
        """Which staff member read which of the caller's private records, when, newest first."""
        return profile.my_record_reads(current_launch())


def export_response(document: dict[str, Any]) -> Response:
    """The export as a download, never cached."""
    response = current_app.response_class(profile.export_json(document), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{profile.EXPORT_FILENAME}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("/export")
class Export(MethodView):
    @blp.doc(responses={"200": {"description": "One JSON file (evidence as xAPI, credentials as OB 3.0)"}})
    @errors(blp)
    def get(self) -> Response:
        """Everything the toolkit holds about the caller, every linked platform included, as one JSON file."""
        return export_response(profile.export(current_launch()))
