"""The blocks' delivery of evidence to the toolkit, against a small local HTTP peer that records what it gets:
nothing without settings, the retry delay after a failure, what is dropped and what is kept."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.xblocks.runtime import RecordingRuntime, call_json
from xblocks.lrs import settings_from_bucket
from xblocks.self_assessment import SelfAssessmentXBlock


class Peer(ThreadingHTTPServer):
    """Answers each POST with the next (status, body) of ``answers``; records requests."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.answers: list[tuple[int, Any]] = []
        self.requests: list[dict[str, Any]] = []


class Handler(BaseHTTPRequestHandler):
    server: Peer

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(
            {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
        )
        status, answer = self.server.answers.pop(0) if self.server.answers else (200, None)
        if answer is None:
            answer = [statement["id"] for statement in body]
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def peer() -> Iterator[Peer]:
    server = Peer()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


class Settings:
    def __init__(self, bucket: dict[str, Any]) -> None:
        self.bucket = bucket

    def get_settings_bucket(self, block: Any, default: Any = None) -> dict[str, Any]:
        return self.bucket


def block_for(bucket: dict[str, Any]) -> Any:
    runtime = RecordingRuntime(services={"settings": Settings(bucket)})
    return runtime.make_block(SelfAssessmentXBlock, skill_codes=["2.A.1.a", "2.A.1.b"])


def bucket_for(port: int) -> dict[str, Any]:
    return {
        "lrs_endpoint": f"http://127.0.0.1:{port}/xapi/",
        "lrs_key": "k",
        "lrs_secret": "s",
        "lrs_platform_issuer": "https://courses.example.org",
    }


def rate(block: Any, level: int) -> None:
    call_json(block, "submit_ratings", {"ratings": [{"skill_code": "2.A.1.a", "level": level}]})


def test_without_settings_evidence_is_kept_and_nothing_is_sent() -> None:
    block = block_for({"lrs_endpoint": "http://127.0.0.1:9/xapi/"})  # incomplete
    rate(block, 3)
    assert call_json(block, "deliver_evidence", {}) == {
        "configured": False,
        "pending": 1,
        "delivered": 0,
        "last_error": "",
    }
    assert settings_from_bucket({**bucket_for(9), "lrs_endpoint": "file:///etc/passwd"}) is None


def test_statements_name_the_platforms_learner_in_the_toolkits_vocabulary(peer: Peer) -> None:
    block = block_for(bucket_for(peer.server_address[1]))
    rate(block, 3)
    (sent,) = peer.requests
    assert sent["path"] == "/xapi/statements"
    assert sent["headers"]["x-experience-api-version"] == "1.0.3"
    assert sent["headers"]["authorization"] == "Basic azpz"  # k:s
    (statement,) = sent["body"]
    assert statement["actor"]["account"] == {"homePage": "https://courses.example.org", "name": "learner-1"}
    base = f"http://127.0.0.1:{peer.server_address[1]}"
    assert statement["verb"]["id"] == f"{base}/xapi/verbs/self-assessed"
    assert statement["result"]["extensions"][f"{base}/xapi/extensions/skill-level"] == 3
    assert block.delivery_status()["pending"] == 0


def test_after_a_failure_later_interactions_wait_but_the_handler_tries_at_once(peer: Peer) -> None:
    block = block_for(bucket_for(peer.server_address[1]))
    peer.answers = [(503, {"message": "maintenance"})]
    rate(block, 3)
    assert block.delivery_status() == {
        "configured": True,
        "pending": 1,
        "delivered": 0,
        "last_error": "503: maintenance",
    }
    rate(block, 4)  # within the retry delay: recorded, not sent
    assert len(peer.requests) == 1 and block.delivery_status()["pending"] == 2
    assert call_json(block, "deliver_evidence", {})["pending"] == 0
    assert len(peer.requests) == 2 and len(peer.requests[1]["body"]) == 2


def test_refused_statements_are_dropped_with_the_reason_and_partial_answers_keep_the_rest(peer: Peer) -> None:
    block = block_for(bucket_for(peer.server_address[1]))
    peer.answers = [(400, {"message": "invalid statements"})]
    rate(block, 3)
    assert block.delivery_status() == {
        "configured": True,
        "pending": 0,
        "delivered": 1,
        "last_error": "400: invalid statements",
    }
    peer.answers = [(200, [])]  # an answer that acknowledges nothing
    rate(block, 4)
    assert block.delivery_status()["pending"] == 1
    assert call_json(block, "deliver_evidence", {})["pending"] == 0


def test_a_hanging_toolkit_costs_the_learner_one_short_timeout_then_nothing(peer: Peer) -> None:
    # A socket that accepts connections (the kernel's backlog) but never answers: the worst kind of down.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        block = block_for({**bucket_for(silent.getsockname()[1]), "lrs_timeout": 0.5})
        started = time.monotonic()
        rate(block, 3)
        first = time.monotonic() - started
        started = time.monotonic()
        rate(block, 4)
        second = time.monotonic() - started
    assert 0.4 < first < 2.0, first
    assert second < 0.3, second  # within the retry delay: no attempt at all
    status = block.delivery_status()
    assert status["pending"] == 2 and status["last_error"].startswith("unreachable")


def test_a_learner_id_that_looks_like_an_address_is_never_sent(peer: Peer) -> None:
    runtime = RecordingRuntime(services={"settings": Settings(bucket_for(peer.server_address[1]))})
    block = runtime.make_block(SelfAssessmentXBlock, user_id="someone@example.org", skill_codes=["2.A.1.a"])
    rate(block, 3)  # the learner's work is saved; the handler does not fail
    assert peer.requests == []
    status = block.delivery_status()
    assert status["pending"] == 0 and status["last_error"].startswith("not sent: ")
    assert len(block.evidence) == 1
