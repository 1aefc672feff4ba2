"""``GET /api/v1/me``: whose launch token this is."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields

from lti_app.api.auth import current_launch
from lti_app.api.base import Blueprint, errors

blp = Blueprint("me", __name__, url_prefix="/api/v1", description="The caller's own launch")


class MeSchema(Schema):
    sub = fields.String(required=True)
    name = fields.String(allow_none=True)
    role = fields.String(required=True)
    platform = fields.String(required=True)
    context_id = fields.String(allow_none=True)
    context_title = fields.String(allow_none=True)
    resource_link_id = fields.String(allow_none=True)
    component = fields.String(allow_none=True)
    expires_at = fields.DateTime(required=True)


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, MeSchema)
    @errors(blp)
    def get(self) -> dict[str, Any]:
        """Who the launch token belongs to. :raise 401: no token or a bad one."""
        session = current_launch()
        return {
            "sub": session.user.sub,
            "name": session.user.name,
            "role": session.role,
            "platform": session.platform.name,
            "context_id": session.context.lti_context_id if session.context else None,
            "context_title": session.context.title if session.context else None,
            "resource_link_id": session.resource_link.lti_resource_link_id if session.resource_link else None,
            "component": session.resource_link.component_kind if session.resource_link else None,
            "expires_at": session.expires_at,
        }
