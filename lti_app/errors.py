"""Error pages: JSON for API callers, HTML for browsers; a 500 rolls the session back first."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from lti_app.extensions import db


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response | str, int]:
        status = error.code or 500
        if _wants_json():
            body = {"code": status, "status": error.name, "message": error.description}
            errors = getattr(error, "data", {}).get("messages") if hasattr(error, "data") else None
            if errors:
                body["errors"] = errors
            return jsonify(body), status
        return render_template("error.html", title=error.name, message=error.description), status

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> tuple[Response | str, int]:
        db.session.rollback()
        app.logger.exception("unhandled error")
        if isinstance(error, HTTPException):
            return http_error(error)
        return http_error(InternalServerError())
