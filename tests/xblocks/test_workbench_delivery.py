"""A block in the xblock-sdk workbench sends its evidence to the tool over real HTTP, as xAPI statements.

The tool is served on a localhost port in a thread (werkzeug); the workbench runs in a subprocess (Django) with
``XBLOCK_SETTINGS["CareerToolkit"]`` pointing at it. The tool is down at first (the evidence is queued), then up
but losing its first answer (the block resends; the tool keeps one copy), then a statement is replayed.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import make_server

from lti_app.extensions import db
from lti_app.models.career import EvidenceRecordRow
from lti_app.models.people import LtiUser
from lti_app.models.xapi import XapiStatementRow
from lti_app.xapi.sources import add_source
from tests.xapi.conftest import ISSUER_A, register_platform

pytest.importorskip("workbench")

LEARNER = "ext-lti-id-42"  # the workbench's ?student=, standing in for Open edX's external LTI id

SCRIPT = textwrap.dedent(
    r"""
    import json, re, sys, time, warnings
    warnings.simplefilter("ignore")
    import django
    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", run_syncdb=True, verbosity=0)
    client = Client()
    student = sys.argv[1]
    page = client.get(f"/scenario/career_self_assessment.0/?student={student}").content.decode()
    usage = re.search(r"data-usage=['\"]([^'\"]+)", page).group(1)

    def handler(name, body):
        started = time.monotonic()
        answer = client.post(
            f"/handler/{usage}/{name}/?student={student}", json.dumps(body), content_type="application/json"
        )
        return {"status": answer.status_code, "body": answer.json(), "seconds": time.monotonic() - started}

    def status():
        return handler("deliver_evidence", {})["body"]

    def say(label, value):
        print(label + " " + json.dumps(value), flush=True)

    rate = lambda *pairs: handler("submit_ratings", {"ratings": [{"skill_code": c, "level": l} for c, l in pairs]})
    say("down", {"submit": rate(("2.A.1.a", 4), ("2.A.1.b", 3), ("2.A.1.c", 5)), "status": status()})
    sys.stdin.readline()  # the tool is up now, and will lose its first answer
    lost = status()
    resent = status()
    changed = rate(("2.A.1.a", 5), ("2.A.1.b", 3))
    say("up", {"lost": lost, "resent": resent, "changed": changed, "after": status()})
    """
)


class CountingFront:
    """Counts POSTs to the statements resource; can let the tool store a batch and then lose its answer."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.posts = 0
        self.lose_next_answer = False

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"] == "/xapi/statements":
            self.posts += 1
            if self.lose_next_answer:
                self.lose_next_answer = False
                body = b"".join(self.app(environ, lambda *args: None))  # stored; the answer never arrives
                del body
                start_response("503 Service Unavailable", [("Content-Type", "application/json")])
                return [b'{"error": "lost"}']
        return self.app(environ, start_response)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def tool(app: Flask) -> Iterator[tuple[CountingFront, int, Callable[[], None]]]:
    """The tool's port (nothing listens yet) and a function that starts serving it there."""
    port = free_port()
    app.config["BASE_URL"] = f"http://127.0.0.1:{port}"
    front = CountingFront(app)
    servers = []

    def start() -> None:
        server = make_server("127.0.0.1", port, front, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)

    yield front, port, start
    for server in servers:
        server.shutdown()
        server.server_close()


def workbench(tmp_path: Path, port: int, key: str, secret: str) -> subprocess.Popen[str]:
    (tmp_path / "var").mkdir()
    settings = {
        "CareerToolkit": {
            "lrs_endpoint": f"http://127.0.0.1:{port}/xapi/",
            "lrs_key": key,
            "lrs_secret": secret,
            "lrs_platform_issuer": ISSUER_A,
            "lrs_timeout": 2,
        }
    }
    (tmp_path / "careertoolkit_workbench.py").write_text(
        f"from workbench.settings import *  # noqa\nXBLOCK_SETTINGS = {settings!r}\n"
    )
    env = {
        **{key: value for key, value in os.environ.items() if key != "PYTHONPATH"},
        "PYTHONPATH": str(tmp_path),  # the settings module only; the blocks come from their entry points
        "DJANGO_SETTINGS_MODULE": "careertoolkit_workbench",
        "EXCLUDE_SAMPLE_XBLOCKS": "yes",
        "WORKBENCH_DATABASES": json.dumps(
            {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "var" / "workbench.db")}}
        ),
    }
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, LEARNER],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_line(process: subprocess.Popen[str], label: str) -> dict[str, Any]:
    assert process.stdout is not None
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if line.startswith(label + " "):
            return dict(json.loads(line[len(label) + 1 :]))
    process.kill()
    _, errors = process.communicate()
    raise AssertionError(f"the workbench said no {label!r}: {errors[-3000:]}")


def ledger() -> list[tuple[str, int | None, str]]:
    db.session.rollback()  # see what the server threads committed
    user = db.session.scalars(select(LtiUser).filter_by(issuer=ISSUER_A, sub=LEARNER)).one()
    rows = db.session.scalars(
        select(EvidenceRecordRow)
        .filter_by(user_id=user.id)
        .order_by(EvidenceRecordRow.recorded_at, EvidenceRecordRow.skill_code)
    )
    return [(row.skill_code, row.level, row.source) for row in rows]


def test_evidence_is_queued_while_the_tool_is_down_and_delivered_once(
    app: Flask, tool: tuple[CountingFront, int, Callable[[], None]], tmp_path: Path
) -> None:
    front, port, start = tool
    register_platform("Open edX", ISSUER_A)
    created = add_source("open-edx", ISSUER_A)
    key, secret = created.source.key, created.secret
    db.session.commit()
    process = workbench(tmp_path, port, key, secret)
    try:
        down = read_line(process, "down")
        # The learner's ratings are saved at once although the tool is unreachable; the evidence waits.
        assert down["submit"]["status"] == 200 and down["submit"]["seconds"] < 3
        assert down["status"]["pending"] == 3 and down["status"]["delivered"] == 0
        assert down["status"]["last_error"].startswith("unreachable")
        assert db.session.scalar(select(func.count(XapiStatementRow.id))) == 0

        start()
        front.lose_next_answer = True
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
        up = read_line(process, "up")
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()  # closes the pipes
    # The first answer was lost after the tool stored the batch: the block still counts it pending ...
    assert up["lost"]["pending"] == 3 and up["lost"]["last_error"].startswith("503")
    # ... resends it, and the tool recognises the same statements.
    assert up["resent"] == {**up["resent"], "pending": 0, "delivered": 3}
    # A changed level is evidence at once; the unchanged one is not (the sitting rule).
    assert up["changed"]["status"] == 200
    assert up["after"]["pending"] == 0 and up["after"]["delivered"] == 4
    assert front.posts == 3  # lost, resent, the changed level; nothing once all was delivered
    assert ledger() == [
        ("2.A.1.a", 4, "self_assessment"),
        ("2.A.1.b", 3, "self_assessment"),
        ("2.A.1.c", 5, "self_assessment"),
        ("2.A.1.a", 5, "self_assessment"),
    ]
    rows = db.session.scalars(select(XapiStatementRow)).all()
    assert len(rows) == 4 and all(row.outcome == "evidence" for row in rows)

    # A replay of a delivered statement (an LRS forwarder sending it again) changes nothing.
    replayed = {k: v for k, v in rows[0].statement.items() if k not in ("stored", "authority", "version")}
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/xapi/statements",
        data=json.dumps(replayed).encode(),
        method="POST",
        headers={
            "Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode(),
            "Content-Type": "application/json",
            "X-Experience-API-Version": "1.0.3",
        },
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.status == 200 and json.loads(answer.read()) == [rows[0].statement_id]
    assert len(ledger()) == 4
    assert db.session.scalar(select(func.count(XapiStatementRow.id))) == 4
