"""What every career API blueprint shares: 400 (not 422) for invalid input, the service errors as JSON, and
the documented error responses.

Invalid input always answers ``400`` with ``errors`` keyed by location then field, e.g.
``{"errors": {"json": {"ratings[0].level": ["..."]}}}``, whether the schema or career_core found it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import flask_smorest
from flask import Flask, Response, jsonify
from webargs.flaskparser import FlaskParser
from werkzeug.http import HTTP_STATUS_CODES

from lti_app.career.errors import CareerServiceError, InvalidInput
from lti_app.extensions import db

F = TypeVar("F", bound=Callable[..., Any])

SECURITY: list[dict[str, list[str]]] = [{"launchToken": []}]


class _Parser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400


class Blueprint(flask_smorest.Blueprint):
    """A flask-smorest blueprint whose argument errors answer 400."""

    ARGUMENTS_PARSER = _Parser()


def errors(blp: Blueprint, *codes: int) -> Callable[[F], F]:
    """Document the error responses a view may give (401 always: every career endpoint needs a launch)."""

    def decorate(view: F) -> F:
        for code in sorted({401, *codes}):
            view = blp.alt_response(code, response=_response_name(code))(view)
        return blp.doc(security=SECURITY)(view)

    return decorate


def _response_name(code: int) -> str:
    from http import HTTPStatus

    return HTTPStatus(code).name


def init_app(app: Flask) -> None:
    @app.errorhandler(CareerServiceError)
    def service_error(error: CareerServiceError) -> tuple[Response, int]:
        db.session.rollback()
        body: dict[str, Any] = {
            "code": error.status,
            "status": HTTP_STATUS_CODES.get(error.status, "Error"),
            "message": error.message,
        }
        if isinstance(error, InvalidInput):
            body["errors"] = {"json": error.errors}
        return jsonify(body), error.status
