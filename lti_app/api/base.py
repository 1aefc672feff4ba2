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
from webargs import core
from webargs.flaskparser import FlaskParser, abort, is_json_request
from werkzeug.http import HTTP_STATUS_CODES

from lti_app.career.errors import CareerServiceError, InvalidInput
from lti_app.extensions import db
from lti_app.input_guard import json_problem

F = TypeVar("F", bound=Callable[..., Any])

SECURITY: list[dict[str, list[str]]] = [{"launchToken": []}]


class _Parser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400

    def _raw_load_json(self, req: Any) -> Any:
        """The JSON body, checked before any schema sees it.

        :raise 415: a body that is not ``application/json`` (webargs would ignore it and act on no input).
        :raise 400: nested too deeply, text the database can't store, a number out of range.
        """
        if not is_json_request(req):
            if req.content_length or req.headers.get("Transfer-Encoding"):
                abort(415, messages={"json": ["Send the body as application/json."]})
            return core.missing
        try:
            document = core.parse_json(req.get_data(cache=True))
        except RecursionError:
            abort(400, messages={"json": ["The JSON body is nested too deeply."]})
        problem = json_problem(document)
        if problem:
            abort(400, messages={"json": [problem]})
        return document


class Blueprint(flask_smorest.Blueprint):
    """A flask-smorest blueprint whose argument errors answer 400, and whose JSON-body operations document
    413 (too large) and 415 (not JSON)."""

    ARGUMENTS_PARSER = _Parser()

    def arguments(self, schema: Any, *, location: str = "json", **kwargs: Any) -> Callable[[F], F]:
        decorate = super().arguments(schema, location=location, **kwargs)
        if location != "json":
            return decorate

        def with_body_errors(view: F) -> F:
            view = decorate(view)
            for code in (413, 415):
                view = self.alt_response(code, response=_response_name(code))(view)
            return view

        return with_body_errors


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
