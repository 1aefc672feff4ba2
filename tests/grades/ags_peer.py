"""A real AGS platform peer for tests: a token endpoint checking our client assertion, line items, a gradebook.

It serves over HTTP on localhost (keep-alive), verifies the RFC 7523 assertion against the tool's JWKS, issues
expiring tokens, keeps the latest score per line item and user, answers like Moodle (409 when a timestamp is not
newer at 1-second resolution) or Open edX (400), and injects faults on demand. Run it as a module to serve it
from another process (the benchmark does): ``python -m tests.grades.ags_peer --jwks-file F --port-file P``.
"""

from __future__ import annotations

import argparse
import json
import secrets
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt

SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
LINE_ITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_RESULT = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


@dataclass
class Fault:
    """One injected answer to a score POST: ``kind`` is 500, timeout, 429, 401, 503-date, hang."""

    kind: str
    seconds: float = 0.0
    store: bool = False  # timeout: store the score before stalling (the platform saw it, the client did not)
    user: str | None = None  # only for this user's scores
    # Held until the test sets it: the score is in flight at the platform (``peer.holding`` is set meanwhile).
    hold: threading.Event | None = None


@dataclass
class Token:
    value: str
    scopes: set[str]
    expires: float


@dataclass
class Stored:
    payload: dict[str, Any]
    at: float


@dataclass
class PeerState:
    tokens: dict[str, Token] = field(default_factory=dict)
    token_requests: int = 0
    jtis: set[str] = field(default_factory=set)
    gradebook: dict[tuple[str, str], Stored] = field(default_factory=dict)
    accepted: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    score_requests: list[str] = field(default_factory=list)
    # Every score body in the order the platform received it (answered or not), for ordering checks.
    received: list[dict[str, Any]] = field(default_factory=list)
    refused: Counter[int] = field(default_factory=Counter)
    line_items: dict[str, dict[str, Any]] = field(default_factory=dict)
    puts: int = 0


def _timestamp(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class AgsPeer:
    """One LMS's AGS side. ``style`` is "moodle" (409 on a not-newer timestamp), "openedx" (400), or "lenient"
    (stores whatever arrives last, older timestamp or not: a late old score rolls the grade back)."""

    def __init__(
        self,
        jwks: dict[str, Any] | None = None,
        *,
        client_id: str = "career-toolkit-client",
        style: str = "moodle",
        token_lifetime: float = 3600,
        granted_scopes: set[str] | None = None,
        port: int = 0,
        page_size: int = 2,
    ) -> None:
        self.jwks = jwks or {"keys": []}
        self.client_id = client_id
        self.style = style
        self.token_lifetime = token_lifetime
        self.granted_scopes = granted_scopes or {SCOPE_SCORE, SCOPE_LINEITEM, SCOPE_RESULT}
        self.page_size = page_size
        self.state = PeerState()
        self.faults: deque[Fault] = deque()
        self.ungradeable: set[str] = set()
        self.delay = 0.0  # seconds each score POST takes, like a busy LMS
        self.failing: int | None = None  # answer every score POST with this status (a platform that fails fast)
        self.release = threading.Event()  # ends every "hang" fault
        self.hung = threading.Event()  # set when a "hang" fault holds a request
        self.holding = threading.Event()  # set when a fault with ``hold`` holds a request
        self.lock = threading.Lock()
        peer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out as separate writes: without this, Nagle meets delayed ACKs (40 ms stalls).
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                peer._dispatch(self, "POST")

            def do_GET(self) -> None:
                peer._dispatch(self, "GET")

            def do_PUT(self) -> None:
                peer._dispatch(self, "PUT")

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    # --- addresses -------------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def token_url(self) -> str:
        return self.base_url + "/token"

    @property
    def lineitems_url(self) -> str:
        return self.base_url + "/lineitems"

    def line_item_url(self, item_id: str) -> str:
        """Moodle's shape: the line item URL carries a ``?type_id=`` query string."""
        return f"{self.base_url}/lineitems/{item_id}/lineitem?type_id=1"

    def add_line_item(self, item_id: str, score_maximum: float = 100, **fields: Any) -> str:
        url = self.line_item_url(item_id)
        self.state.line_items[item_id] = {
            "id": url,
            "label": f"Item {item_id}",
            "scoreMaximum": score_maximum,
            **fields,
        }
        return url

    def close(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    # --- what the tests read ---------------------------------------------------------------------------------

    def scores(self) -> dict[tuple[str, str], float]:
        """The gradebook: (line item id, user) -> scoreGiven of the latest score."""
        with self.lock:
            return {key: stored.payload["scoreGiven"] for key, stored in self.state.gradebook.items()}

    def accepted_counts(self) -> Counter[tuple[str, str, str]]:
        """How often each (line item, user, timestamp) change was accepted: exactly once each, always."""
        with self.lock:
            return Counter((item, user, payload["timestamp"]) for item, user, payload in self.state.accepted)

    # --- HTTP ------------------------------------------------------------------------------------------------

    def _dispatch(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        segments = [segment for segment in parts.path.split("/") if segment]
        try:
            if method == "POST" and parts.path == "/token":
                self._token(handler, body)
            elif method == "POST" and len(segments) == 4 and segments[0] == "lineitems" and segments[3] == "scores":
                self._score(handler, segments[1], parts.query, body)
            elif parts.path == "/_stats" and method == "GET":
                with self.lock:
                    stats = {
                        "token_requests": self.state.token_requests,
                        "accepted": len(self.state.accepted),
                        "refused": dict(self.state.refused),
                    }
                self._send(handler, 200, stats)
            elif segments == ["lineitems"] and method == "GET":
                self._list_line_items(handler, parse_qs(parts.query))
            elif segments == ["lineitems"] and method == "POST":
                self._create_line_item(handler, body)
            elif len(segments) == 3 and segments[0] == "lineitems" and segments[2] == "lineitem":
                self._line_item(handler, method, segments[1], body)
            else:
                self._send(handler, 404, {"error": "not found"})
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        body: Any,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
    ) -> None:
        data = json.dumps(body).encode() if not isinstance(body, bytes) else body
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _token(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        form = {name: values[0] for name, values in parse_qs(body.decode()).items()}
        with self.lock:
            self.state.token_requests += 1
        if form.get("grant_type") != "client_credentials" or form.get("client_assertion_type") != ASSERTION_TYPE:
            return self._send(handler, 400, {"error": "unsupported_grant_type"})
        assertion = form.get("client_assertion", "")
        try:
            kid = jwt.get_unverified_header(assertion).get("kid")
            jwk = next(key for key in self.jwks["keys"] if key.get("kid") == kid)
            claims = jwt.decode(
                assertion,
                jwt.PyJWK(jwk).key,
                algorithms=["RS256"],
                audience=self.token_url,
                options={"require": ["iss", "sub", "aud", "iat", "exp", "jti"]},
            )
        except (StopIteration, jwt.PyJWTError) as error:
            return self._send(handler, 401, {"error": "invalid_client", "error_description": str(error)})
        with self.lock:
            replay = claims["jti"] in self.state.jtis
            self.state.jtis.add(claims["jti"])
        if claims["iss"] != self.client_id or claims["sub"] != self.client_id or replay:
            return self._send(handler, 401, {"error": "invalid_client"})
        scopes = set(form.get("scope", "").split()) & self.granted_scopes
        token = Token(secrets.token_urlsafe(16), scopes, time.time() + self.token_lifetime)
        with self.lock:
            self.state.tokens[token.value] = token
        self._send(
            handler,
            200,
            {
                "access_token": token.value,
                "token_type": "Bearer",
                "expires_in": self.token_lifetime,
                "scope": " ".join(sorted(scopes)),
            },
        )

    def _authorized(self, handler: BaseHTTPRequestHandler, scope: str) -> bool:
        value = handler.headers.get("Authorization", "")
        token = self.state.tokens.get(value.removeprefix("Bearer "))
        if token is None or token.expires < time.time():
            self._send(handler, 401, {"error": "invalid_token"})
            return False
        if scope not in token.scopes:
            self._send(handler, 403, {"error": "insufficient_scope"})
            return False
        return True

    def expire_tokens(self) -> None:
        """Every issued token stops working now (the platform restarted, or they ran out)."""
        with self.lock:
            self.state.tokens.clear()

    def _next_fault(self, user: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.user is None or fault.user == user:
                    self.faults.remove(fault)
                    return fault
        return None

    def _score(self, handler: BaseHTTPRequestHandler, item_id: str, query: str, body: bytes) -> None:
        with self.lock:
            self.state.score_requests.append(f"/lineitems/{item_id}/lineitem/scores?{query}")
        if not self._authorized(handler, SCOPE_SCORE):
            return
        if handler.headers.get("Content-Type") != SCORE_TYPE:
            return self._send(handler, 415, {"error": "expected " + SCORE_TYPE})
        payload = json.loads(body)
        user = str(payload.get("userId"))
        with self.lock:
            self.state.received.append(payload)
        if self.failing is not None:
            return self._send(handler, self.failing, {"error": "failing on purpose"})
        if self.delay:
            time.sleep(self.delay)
        fault = self._next_fault(user)
        if fault is not None:
            if fault.hold is not None:
                self.holding.set()
                fault.hold.wait(timeout=30)
            if fault.kind == "timeout":
                if fault.store:
                    self._store(item_id, user, payload)
                time.sleep(fault.seconds)
                return self._send(handler, 200, {})
            if fault.kind == "hang":
                self.hung.set()
                self.release.wait(timeout=fault.seconds or 60)
                return None  # the client is gone by now; nothing stored
            if fault.kind == "429":
                return self._send(handler, 429, {"error": "slow down"}, {"Retry-After": str(int(fault.seconds))})
            if fault.kind == "503-date":
                moment = time.gmtime(time.time() + fault.seconds)
                date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", moment)
                return self._send(handler, 503, {"error": "maintenance"}, {"Retry-After": date})
            if fault.kind == "401":
                return self._send(handler, 401, {"error": "invalid_token"})
            return self._send(handler, int(fault.kind), {"error": "injected"})
        if item_id not in self.state.line_items:
            return self._send(handler, 404, {"error": "no such line item"})
        if user in self.ungradeable:
            return self._send(handler, 400, {"error": "User is not gradeable in this course"})
        status, message = self._store(item_id, user, payload)
        self._send(handler, status, message)

    def _store(self, item_id: str, user: str, payload: dict[str, Any]) -> tuple[int, Any]:
        with self.lock:
            last = self.state.gradebook.get((item_id, user))
            if last is not None:
                new, old = _timestamp(payload["timestamp"]), _timestamp(last.payload["timestamp"])
                if self.style == "moodle" and int(old) >= int(new):
                    self.state.refused[409] += 1
                    return 409, {"error": "Refusing score with an earlier timestamp"}
                if self.style == "openedx" and old > new:
                    self.state.refused[400] += 1
                    return 400, {"timestamp": ["Score timestamp can only be updated to a later point in time"]}
                if self.style == "openedx" and old == new:
                    self.state.refused[400] += 1
                    return 400, {"timestamp": ["Score already exists for the provided timestamp"]}
            self.state.gradebook[(item_id, user)] = Stored(payload, time.time())
            self.state.accepted.append((item_id, user, payload))
        return 200, {}

    def _list_line_items(self, handler: BaseHTTPRequestHandler, query: dict[str, list[str]]) -> None:
        if not self._authorized(handler, SCOPE_LINEITEM):
            return
        items = list(self.state.line_items.values())
        for param, name in (("resource_id", "resourceId"), ("tag", "tag"), ("resource_link_id", "resourceLinkId")):
            if param in query:
                items = [item for item in items if item.get(name) == query[param][0]]
        page = int(query.get("Page", ["0"])[0])
        chunk = items[page * self.page_size : (page + 1) * self.page_size]
        headers = {}
        if (page + 1) * self.page_size < len(items):
            # Mixed-case query name: a client lower-casing the Link header would lose the next page.
            kept = {name: values[0] for name, values in query.items() if name != "Page"}
            headers["Link"] = f'<{self.lineitems_url}?{urlencode({**kept, "Page": page + 1})}>; rel="next"'
        self._send(handler, 200, chunk, headers, "application/vnd.ims.lis.v2.lineitemcontainer+json")

    def _create_line_item(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        if not self._authorized(handler, SCOPE_LINEITEM):
            return
        item = json.loads(body)
        item_id = str(len(self.state.line_items) + 100)
        url = self.add_line_item(item_id, **item)
        self._send(handler, 201, dict(self.state.line_items[item_id], id=url), content_type=LINE_ITEM_TYPE)

    def _line_item(self, handler: BaseHTTPRequestHandler, method: str, item_id: str, body: bytes) -> None:
        if not self._authorized(handler, SCOPE_LINEITEM):
            return
        if item_id not in self.state.line_items:
            return self._send(handler, 404, {"error": "no such line item"})
        if method == "PUT":
            update = json.loads(body)
            with self.lock:
                self.state.puts += 1
                self.state.line_items[item_id].update(update, id=self.line_item_url(item_id))
        self._send(handler, 200, self.state.line_items[item_id], content_type=LINE_ITEM_TYPE)


def main() -> None:
    """Serve a peer from its own process until killed; its port is written to ``--port-file``."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--jwks-file", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--client-id", default="career-toolkit-client")
    parser.add_argument("--line-items", type=int, default=20)
    parser.add_argument("--failing", type=int, help="answer every score POST with this HTTP status")
    args = parser.parse_args()
    peer = AgsPeer(json.loads(Path(args.jwks_file).read_text()), client_id=args.client_id)
    peer.failing = args.failing
    for index in range(args.line_items):
        peer.add_line_item(str(index))
    Path(args.port_file).write_text(peer.base_url)
    threading.Event().wait()


if __name__ == "__main__":
    main()
