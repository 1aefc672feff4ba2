"""Logging: a request id for every request (and the grade deliveries it causes), JSON lines on request.

``CAREER_TOOLKIT_LOG_FORMAT=json`` writes each record as one JSON object (timestamp, level, logger, message,
request_id and any ``extra`` fields); the default stays plain text. The id comes from a well-formed
``X-Request-ID`` header or is made here, is returned in the response's ``X-Request-ID``, and is stored on the
outbox rows the request enqueues, so a delivery's log lines carry the id of the request that caused it.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar

from flask import Flask, Response, g, request

from lti_app.config import PREFIX

REQUEST_ID_HEADER = "X-Request-ID"
# Well-formed: what proxies and load balancers send (UUIDs, hex, base64url), short enough to log and store.
_WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_HANDLER_NAME = "career-toolkit"

_request_id: ContextVar[str | None] = ContextVar("career_toolkit_request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request (or the delivery of its scores) this code runs for, if any."""
    return _request_id.get()


@contextmanager
def request_id_bound(value: str | None) -> Iterator[None]:
    """Log under ``value`` inside the block (a grade delivery for the request that caused it)."""
    token = _request_id.set(value)
    try:
        yield
    finally:
        _request_id.reset(token)


def incoming_request_id(header: str | None) -> str:
    """The caller's id when it is well-formed, else a new one."""
    if header and _WELL_FORMED.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` on every record (None outside a request), for any formatter to use."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


def json_formatter() -> logging.Formatter:
    """python-json-logger with the field names operators search by; extra fields are kept as they are."""
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(
        "{asctime}{levelname}{name}{message}{request_id}",
        style="{",
        rename_fields={"asctime": "timestamp", "levelname": "level", "name": "logger"},
        timestamp=False,
        datefmt="%Y-%m-%dT%H:%M:%S%z",
    )


def configure_logging(log_format: str | None) -> None:
    """Install one handler on the root logger: JSON lines for ``json``, text otherwise. Idempotent."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.addFilter(RequestIdFilter())
    if (log_format or "").lower() == "json":
        handler.setFormatter(json_formatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    root.addHandler(handler)
    if root.level == logging.WARNING or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)


def init_app(app: Flask) -> None:
    """Give each request an id (kept in ``g.request_id`` and the logging context) and answer it in a header."""
    log_format = app.config.get("LOG_FORMAT") or os.environ.get(PREFIX + "LOG_FORMAT")
    if log_format:
        configure_logging(log_format)

    @app.before_request
    def _bind_request_id() -> None:
        g.request_id = incoming_request_id(request.headers.get(REQUEST_ID_HEADER))
        g._request_id_token = _request_id.set(g.request_id)

    @app.after_request
    def _answer_request_id(response: Response) -> Response:
        request_id = g.get("request_id")
        if request_id:
            response.headers[REQUEST_ID_HEADER] = request_id
        return response

    @app.teardown_request
    def _unbind_request_id(_error: BaseException | None) -> None:
        token = g.pop("_request_id_token", None)
        if token is not None:
            # Torn down in another context (a streamed response): nothing to undo here.
            with suppress(ValueError):
                _request_id.reset(token)
