"""A platform that registers tools dynamically, as Moodle 4.x does, served on localhost for the tests.

It serves its OpenID configuration and a registration endpoint that records each request and answers with a
client id and a deployment id. Its issuer is its own base URL; its signing keys and JWKS are a ``PlatformPeer``'s,
so the registered platform can launch the tool right away.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.lti.platform_peer import PlatformPeer

CONFIG_PATH = "/mod/lti/openid-configuration.php"
REGISTER_PATH = "/mod/lti/openid-registration.php"
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"


class RegisteringPlatform:
    def __init__(self) -> None:
        self.client_id = "dyn-client-1"
        self.deployment_id = "17"
        self.registration_status = 200
        self.include_deployment_id = True
        # Changes a test makes to the served configuration: called with the document before it is sent.
        self.edit_configuration: Callable[[dict[str, Any]], None] = lambda document: None
        self.configuration_requests: list[dict[str, str]] = []
        self.registrations: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.peer = PlatformPeer(client_id=self.client_id)
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path != CONFIG_PATH:
                    return self._send(404, {"error": "not found"})
                platform.configuration_requests.append(dict(self.headers))
                document = platform.configuration()
                platform.edit_configuration(document)
                return self._send(200, document)

            def do_POST(self) -> None:
                if self.path != REGISTER_PATH:
                    return self._send(404, {"error": "not found"})
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                platform.registrations.append((dict(self.headers), body))
                if platform.registration_status != 200:
                    return self._send(platform.registration_status, {"error": "invalid_request"})
                answer = dict(body)
                answer["client_id"] = platform.client_id
                tool_configuration = dict(body.get(TOOL_CONFIGURATION) or {})
                if platform.include_deployment_id:
                    tool_configuration["deployment_id"] = platform.deployment_id
                answer[TOOL_CONFIGURATION] = tool_configuration
                return self._send(200, answer)

            def _send(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.peer.issuer = self.issuer

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def configuration_url(self) -> str:
        return self.issuer + CONFIG_PATH

    def configuration(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": self.issuer + "/mod/lti/auth.php",
            "token_endpoint": self.issuer + "/mod/lti/token.php",
            "jwks_uri": self.peer.key_set_url,
            "registration_endpoint": self.issuer + REGISTER_PATH,
            "authorization_server": self.issuer + "/mod/lti/token.php#aud",
            "scopes_supported": ["openid"],
            "response_types_supported": ["id_token"],
            "subject_types_supported": ["public", "pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "claims_supported": ["sub", "iss", "name", "given_name", "family_name", "email"],
            PLATFORM_CONFIGURATION: {
                "product_family_code": "moodle",
                "version": "4.3",
                "messages_supported": [{"type": "LtiResourceLinkRequest"}, {"type": "LtiDeepLinkingRequest"}],
            },
        }

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self.peer.close()
