"""The xAPI 1.0.3 statements resource (the LRS subset the toolkit needs): POST, PUT and GET by id.

Every answer carries ``X-Experience-API-Version``; every request but ``/xapi/about`` must send it (1.0.x) and
authenticate as a registered source with HTTP Basic.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request

from career_core.errors import ValidationError
from career_core.xapi import XAPI_VERSION, xapi_timestamp
from career_core.xapi_inbox import MAX_BATCH, MAX_STATEMENT_BYTES, is_statement_id, parse_batch, parse_statement
from lti_app.extensions import db
from lti_app.input_guard import json_problem
from lti_app.xapi.sources import authenticate
from lti_app.xapi.statements import ForeignLearner, StatementConflict, find_statement, store_statements

bp = Blueprint("xapi", __name__, url_prefix="/xapi")
VERSION_HEADER = "X-Experience-API-Version"
# A full batch of the largest statements, with room for JSON whitespace.
MAX_BODY = MAX_BATCH * MAX_STATEMENT_BYTES // 4


def _error(status: int, message: str, errors: list[str] | None = None) -> Response:
    body: dict[str, Any] = {"error": message}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="Career Toolkit xAPI"'
    return response


@bp.after_request
def version_header(response: Response) -> Response:
    response.headers[VERSION_HEADER] = XAPI_VERSION
    return response


@bp.before_request
def require_version_and_source() -> Response | None:
    """:raise 400: no or an unsupported version header. :raise 401: no or wrong credentials."""
    if request.endpoint == "xapi.about":
        return None
    version = request.headers.get(VERSION_HEADER, "")
    if not version:
        return _error(400, f"send the {VERSION_HEADER} header (1.0.3)")
    if version != "1.0" and not version.startswith("1.0."):
        return _error(400, f"{VERSION_HEADER} {version!r} is not supported; this LRS speaks 1.0.3")
    source = authenticate(request.headers.get("Authorization"))
    if source is None:
        db.session.rollback()
        return _error(401, "authenticate with the key and secret of a registered source (HTTP Basic)")
    g.xapi_source = source
    return None


@bp.get("/about")
def about() -> Response:
    return jsonify({"version": [XAPI_VERSION]})


def _json_body() -> tuple[Any, Response | None]:
    if (request.content_length or 0) > MAX_BODY:
        return None, _error(413, f"at most {MAX_BODY} bytes per request")
    if request.mimetype != "application/json":
        return None, _error(400, "send the statements as application/json")
    raw = request.get_data(cache=False)
    if len(raw) > MAX_BODY:
        return None, _error(413, f"at most {MAX_BODY} bytes per request")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None, _error(400, "the body is not JSON")
    except RecursionError:
        return None, _error(400, "the body is nested too deeply")
    problem = json_problem(body)
    return (None, _error(400, problem)) if problem else (body, None)


def _store(statements: list[Any]) -> tuple[list[str] | None, Response | None]:
    try:
        return store_statements(g.xapi_source, statements, home_page=current_app.config["BASE_URL"]), None
    except ForeignLearner as error:
        db.session.rollback()
        return None, _error(403, str(error))
    except StatementConflict as error:
        db.session.rollback()
        return None, _error(409, str(error))


@bp.post("/statements")
def post_statements() -> Response:
    """One statement or an array; answers the array of their ids. A replay answers the same ids."""
    if request.args:
        return _error(400, "POST /xapi/statements takes no query parameters")
    body, problem = _json_body()
    if problem is not None:
        return problem
    try:
        statements = parse_batch(body)
    except ValidationError as error:
        return _error(400, "invalid statements", error.errors)
    ids, problem = _store(statements)
    return problem if problem is not None else jsonify(ids)


@bp.put("/statements")
def put_statement() -> Response:
    """One statement under the id given as ``statementId``; 204 when stored (or already held as it is)."""
    statement_id = request.args.get("statementId", "")
    if set(request.args) != {"statementId"}:
        return _error(400, "PUT /xapi/statements takes exactly the statementId parameter")
    body, problem = _json_body()
    if problem is not None:
        return problem
    if not isinstance(body, dict):
        return _error(400, "invalid statement", ["statement: must be a JSON object"])
    if "id" in body and body["id"] != statement_id:
        return _error(400, "invalid statement", ["statement.id: differs from the statementId parameter"])
    try:
        statement = parse_statement({"id": statement_id, **body})
    except ValidationError as error:
        return _error(400, "invalid statement", error.errors)
    _, problem = _store([statement])
    return problem if problem is not None else Response(status=204)


@bp.get("/statements")
def get_statement() -> Response:
    """The statement with ``statementId``, as stored (with ``stored``, ``authority`` and ``version``).

    Queries other than by id are not part of the subset this toolkit implements.
    """
    if set(request.args) - {"statementId", "format", "attachments"} or "statementId" not in request.args:
        return _error(400, "this LRS answers GET /xapi/statements?statementId=<id> only")
    if not is_statement_id(request.args["statementId"]):
        return _error(400, "statementId: must be a UUID")
    statement = find_statement(g.xapi_source, request.args["statementId"].lower())
    db.session.commit()
    if statement is None:
        return _error(404, "no statement with that id for this source's platform")
    response = jsonify(statement)
    # Every statement is stored in the request that sends it: all are visible as soon as they are answered.
    response.headers["X-Experience-API-Consistent-Through"] = xapi_timestamp(datetime.now(UTC))
    return response
