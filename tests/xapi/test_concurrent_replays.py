"""Idempotency under races: the same batch sent at once by several clients (a block retrying while its first
request is still in flight) is stored once, over real HTTP against the tool served in threads."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import make_server

from lti_app.extensions import db
from lti_app.models.career import EvidenceRecordRow
from lti_app.models.people import LtiUser
from lti_app.models.xapi import XapiStatementRow
from tests.xapi.conftest import Source, statement


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def send(url: str, source: Source, body: Any) -> tuple[int, Any]:
    request = urllib.request.Request(
        url + "/xapi/statements",
        data=json.dumps(body).encode(),
        method="POST",
        headers={**source.headers, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_the_same_batch_sent_at_once_is_stored_once(served: str, sources: dict[str, Source]) -> None:
    db.session.commit()  # the sources are visible to the server's threads
    batch = [statement("racer", skill=f"2.B.{n}", level=3) for n in range(24)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: send(served, sources["a"], batch), range(6)))
    assert answers == [(200, [s["id"] for s in batch])] * 6
    db.session.rollback()
    assert db.session.scalar(select(func.count(XapiStatementRow.id))) == 24
    assert db.session.scalar(select(func.count(EvidenceRecordRow.id))) == 24
    assert db.session.scalar(select(func.count(LtiUser.id)).where(LtiUser.sub == "racer")) == 1
