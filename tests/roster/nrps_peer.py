"""A platform's OAuth 2 token endpoint and Names and Role Provisioning service, on localhost, for roster tests.

The token endpoint verifies the tool's client assertion against the tool's published JWKS. The membership
pages link to each other with mixed-case paths and query strings and are served only at their exact URL, so
a client that changes the case of a paging URL gets a 404.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import jwt

MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"

FIRST_PAGE = "/api/Courses/CD101/Members"
SECOND_PAGE = "/api/Courses/CD101/Members?Page=2&Sig=AbC-xYz"
# A comma and a semicolon inside the URL, and a relative link: the parser must keep all of it.
THIRD_PAGE = "/api/Courses/CD101/Members/PageThree?After=Ada,Lovelace;v=1&Limit=2"

PAGES: dict[str, list[dict[str, Any]]] = {
    FIRST_PAGE: [
        {"user_id": "teacher-1", "name": "Grace Teacher", "email": "grace@example.edu", "roles": [ROLE + "Instructor"]},
        {"user_id": "learner-1", "name": "Ada Learner", "email": "ada@example.edu", "roles": [ROLE + "Learner"]},
    ],
    SECOND_PAGE: [
        {"user_id": "learner-2", "given_name": "Alan", "family_name": "Turing", "roles": ["Learner"]},
        {"user_id": "learner-3", "name": "Inactive Ida", "roles": [ROLE + "Learner"], "status": "Inactive"},
    ],
    THIRD_PAGE: [
        {"user_id": "learner-4", "roles": [ROLE + "Learner"]},
        {"user_id": "ta-1", "name": "Tom Assistant", "roles": [ROLE + "Instructor#TeachingAssistant"]},
        {"user_id": "gone-1", "name": "Deleted Dan", "roles": [ROLE + "Learner"], "status": "Deleted"},
    ],
}


class NrpsPeer:
    """Token endpoint at ``/oauth2/Token``, memberships from ``/api/Courses/CD101/Members``."""

    def __init__(self, tool_jwks: dict[str, Any], client_id: str = "nrps-client") -> None:
        self.tool_jwks = tool_jwks
        self.client_id = client_id
        self.member_status = 200  # set to 403 / 500 to refuse the membership requests
        self.reject_tokens: set[str] = set()  # tokens the membership service answers 401 to
        self.next_link_override: str | None = None  # a Link header for the first page instead of the usual
        self.issued: list[str] = []
        self.assertions: list[dict[str, Any]] = []
        self.token_requests: list[dict[str, list[str]]] = []
        self.member_requests: list[tuple[str, str, str]] = []  # (raw path, Authorization, Accept)
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                if self.path != "/oauth2/Token":
                    return self._send(404, {"error": "not_found"})
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                peer.token_requests.append(form)
                problem = peer.check_token_request(form)
                if problem:
                    return self._send(400, {"error": "invalid_client", "error_description": problem})
                token = f"token-{len(peer.issued) + 1}"
                peer.issued.append(token)
                return self._send(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600})

            def do_GET(self) -> None:
                authorization = self.headers.get("Authorization", "")
                accept = self.headers.get("Accept", "")
                peer.member_requests.append((self.path, authorization, accept))
                if self.path not in PAGES:
                    return self._send(404, {"error": "no such page (was the URL's case changed?)"})
                token = authorization.removeprefix("Bearer ")
                if token not in peer.issued or token in peer.reject_tokens:
                    return self._send(401, {"error": "invalid_token"})
                if accept != MEDIA_TYPE:
                    return self._send(406, {"error": "not acceptable"})
                if peer.member_status != 200:
                    return self._send(peer.member_status, {"error": "refused"})
                headers = {"Content-Type": MEDIA_TYPE}
                links = peer.links_for(self.path)
                body = {"id": peer.base_url + self.path, "context": {"id": "course-1"}, "members": PAGES[self.path]}
                return self._send(200, body, headers, links)

            def _send(
                self,
                status: int,
                body: dict[str, Any],
                headers: dict[str, str] | None = None,
                links: list[str] | None = None,
            ) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                for name, value in (headers or {"Content-Type": "application/json"}).items():
                    self.send_header(name, value)
                for link in links or []:
                    self.send_header("Link", link)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def token_url(self) -> str:
        return self.base_url + "/oauth2/Token"

    @property
    def memberships_url(self) -> str:
        return self.base_url + FIRST_PAGE

    def links_for(self, path: str) -> list[str]:
        if path == FIRST_PAGE:
            if self.next_link_override is not None:
                return [self.next_link_override]
            # Two links in one header, the next one second, with a quoted multi-valued rel.
            return [f'<{self.base_url}{FIRST_PAGE}>; rel="first", <{self.base_url}{SECOND_PAGE}>; rel="next"']
        if path == SECOND_PAGE:
            # Two Link headers (joined with a comma by the client); the next one relative, rel unquoted.
            return [
                f'<{self.base_url}/api/Courses/CD101/Members/Differences?Since=2026>; rel="differences"',
                f'<{THIRD_PAGE}>; title="Page, three"; rel=next',
            ]
        return [f'<{self.base_url}{FIRST_PAGE}>; rel="first prev"']

    def check_token_request(self, form: dict[str, list[str]]) -> str | None:
        """Why a client-credentials request is refused, or ``None``: the assertion must be signed by the tool."""
        if form.get("grant_type") != ["client_credentials"]:
            return "grant_type must be client_credentials"
        if form.get("client_assertion_type") != ["urn:ietf:params:oauth:client-assertion-type:jwt-bearer"]:
            return "client_assertion_type must be jwt-bearer"
        if NRPS_SCOPE not in (form.get("scope") or [""])[0].split():
            return "the NRPS scope was not requested"
        assertion = (form.get("client_assertion") or [""])[0]
        try:
            kid = jwt.get_unverified_header(assertion)["kid"]
            jwk = next(key for key in self.tool_jwks["keys"] if key["kid"] == kid)
            claims = jwt.decode(
                assertion,
                jwt.PyJWK(jwk).key,
                algorithms=["RS256"],
                audience=self.token_url,
                issuer=self.client_id,
            )
        except (jwt.PyJWTError, KeyError, StopIteration) as error:
            return f"bad client assertion: {error!r}"
        if claims.get("sub") != self.client_id:
            return "the assertion's sub is not the client id"
        self.assertions.append(claims)
        return None

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
