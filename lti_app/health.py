"""``GET /healthz``: whether this worker can serve, for load balancers. No auth, no personal data."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from lti_app.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """200 when the database answers a trivial query. :raise 503: it does not (the body says so in JSON)."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        db.session.rollback()
        # The reason goes to the log, not to an unauthenticated caller.
        current_app.logger.warning("health check: database unavailable: %s", type(error).__name__)
        response = jsonify({"status": "unavailable", "checks": {"database": "unavailable"}})
        status = 503
    else:
        response = jsonify({"status": "ok", "checks": {"database": "ok"}})
        status = 200
    response.headers["Cache-Control"] = "no-store"
    return response, status
