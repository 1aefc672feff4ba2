"""Hostile input stops at the door: what no request may carry, checked once for every route.

A path id the database cannot hold finds no route (404); a NUL character anywhere in the path, the query or a
form, and a JSON body nested too deeply or holding text the database cannot store, answer 400. The JSON body
checks run in the API's argument parser (``lti_app.api.base``) through :func:`json_problem`.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

# Primary keys are 32-bit on PostgreSQL (SQLite's are 64-bit): the smaller bound holds on both.
MAX_DATABASE_ID = 2**31 - 1
# Past this a JSON number loses precision in browsers, and no integer column here holds it.
MAX_JSON_INTEGER = 2**53 - 1
# No request body of the API nests deeper than a CASE package does (about five levels).
MAX_JSON_DEPTH = 32

UNSTORABLE_TEXT = "Text the database can't store (a NUL character or an unpaired UTF-16 surrogate)."


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in a route: a non-negative integer the database's id columns can hold, else no match."""

    def __init__(self, map: Any, fixed_digits: int = 0, min: int | None = None, max: int | None = None) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_DATABASE_ID if max is None else max)


def storable_text(text: str) -> bool:
    """False for text with a NUL (PostgreSQL refuses it) or a lone surrogate (no encoding can write it)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def json_problem(document: Any) -> str | None:
    """What makes a parsed JSON document unacceptable, or None. Walks it without recursion."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if not storable_text(value):
                return UNSTORABLE_TEXT
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            if abs(value) > MAX_JSON_INTEGER:
                return f"A number is out of range (at most {MAX_JSON_INTEGER} either side of zero)."
        elif isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                return f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep."
            if isinstance(value, dict):
                stack.extend((key, depth) for key in value)
                stack.extend((item, depth + 1) for item in value.values())
            else:
                stack.extend((item, depth + 1) for item in value)
    return None


def init_app(app: Flask) -> None:
    """Install the id converter (before any blueprint adds a rule) and the request check."""
    app.url_map.converters["int"] = DatabaseIdConverter

    @app.before_request
    def refuse_unstorable_text() -> None:
        """:raise 400: a NUL or lone surrogate in the path, the query string or a submitted form."""
        texts = [request.path, *request.args.keys(), *request.args.values()]
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            texts += [*request.form.keys(), *request.form.values()]
        if not all(storable_text(text) for text in texts):
            raise BadRequest(UNSTORABLE_TEXT)
