"""A real LTI 1.3 platform peer for tests: its own RSA keys, a JWKS served over HTTP on localhost, signed id_tokens."""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
TOOL_BASE = "http://tool.test"


class PlatformKey:
    def __init__(self, kid: str | None = None) -> None:
        self.kid = kid or uuid.uuid4().hex
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    @property
    def public_jwk(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return jwk


class PlatformPeer:
    """One LMS: issuer, client id, deployments, and a JWKS endpoint that counts its fetches."""

    def __init__(self, issuer: str = "https://lms.example.edu", client_id: str = "career-toolkit-client") -> None:
        self.issuer = issuer
        self.client_id = client_id
        self.deployment_id = "deployment-1"
        self.keys = [PlatformKey()]
        self.jwks_fetches = 0
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if urlsplit(self.path).path == "/jwks":
                    peer.jwks_fetches += 1
                    body = json.dumps({"keys": [key.public_jwk for key in peer.keys]}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                else:
                    self.send_response(404)
                    self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def key_set_url(self) -> str:
        return self.base_url + "/jwks"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def register(self, deployment_ids: list[str] | None = None) -> Any:
        from lti_app.platforms import PlatformRegistration, add_platform

        return add_platform(
            PlatformRegistration(
                name="Example LMS",
                issuer=self.issuer,
                client_id=self.client_id,
                auth_login_url=self.issuer + "/auth",
                auth_token_url=self.issuer + "/token",
                key_set_url=self.key_set_url,
                deployment_ids=deployment_ids or [self.deployment_id],
            )
        )

    def login_params(self, **overrides: str) -> dict[str, str]:
        params = {
            "iss": self.issuer,
            "login_hint": "user-hint-42",
            "target_link_uri": TOOL_BASE + "/lti/launch",
            "lti_message_hint": "message-hint-7",
            "client_id": self.client_id,
            "lti_deployment_id": self.deployment_id,
        }
        params.update(overrides)
        return params

    def claims(
        self,
        nonce: str,
        *,
        sub: str = "learner-1",
        roles: list[str] | None = None,
        message_type: str = "LtiResourceLinkRequest",
        context_id: str = "course-1",
        resource_link_id: str = "link-1",
        custom: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        now = int(time.time())
        body: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": sub,
            "iat": now,
            "exp": now + 60,
            "nonce": nonce,
            "name": "Ada Learner",
            "email": "ada@example.edu",
            LTI + "message_type": message_type,
            LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id,
            LTI + "target_link_uri": TOOL_BASE + "/lti/launch",
            LTI + "roles": roles
            if roles is not None
            else ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
            LTI + "context": {"id": context_id, "title": "Career Design 101", "label": "CD101"},
        }
        if message_type == "LtiResourceLinkRequest":
            body[LTI + "resource_link"] = {"id": resource_link_id, "title": "My skills"}
        if message_type == "LtiDeepLinkingRequest":
            body["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": self.issuer + "/deep-link-return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "accept_multiple": True,
                "data": "opaque-platform-data",
            }
        if custom:
            body[LTI + "custom"] = custom
        return body

    def sign(self, body: dict[str, Any], key: PlatformKey | None = None, headers: dict[str, Any] | None = None) -> str:
        key = key or self.keys[0]
        return jwt.encode(body, key.private_key, algorithm="RS256", headers={"kid": key.kid, **(headers or {})})


def redirect_params(location: str) -> dict[str, str]:
    """The query of the tool's redirect to the platform's auth endpoint, one value per name."""
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}
