"""Real LTI launches for API tests: a signed id_token through /lti/login and /lti/launch, then the page's token."""

from __future__ import annotations

import re
from typing import Any

from tests.lti.conftest import login
from tests.lti.platform_peer import LTI, PlatformPeer

LEARNER = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]
INSTRUCTOR = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]
ADMIN = ["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"]
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


def launch(
    client: Any,
    peer: PlatformPeer,
    *,
    sub: str = "learner-1",
    roles: list[str] | None = None,
    context_id: str = "course-1",
    resource_link_id: str = "link-1",
    custom: dict[str, str] | None = None,
    line_item: str | None = None,
    extra_claims: dict[str, Any] | None = None,
) -> str:
    """Launch as ``sub`` and return the api-token the launched page carries (``extra_claims`` override any)."""
    params = login(client, peer)
    claims = peer.claims(
        params["nonce"],
        sub=sub,
        roles=roles or LEARNER,
        context_id=context_id,
        resource_link_id=resource_link_id,
        custom=custom,
    )
    if line_item:
        claims[AGS] = {"scope": [SCORE_SCOPE], "lineitem": line_item}
    claims.update(extra_claims or {})
    response = client.post("/lti/launch", data={"id_token": peer.sign(claims), "state": params["state"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    match = re.search(r'<meta name="api-token" content="([^"]+)">', response.get_data(as_text=True))
    assert match, "no api-token on the launched page"
    return match.group(1)


class Api:
    """The API as one launch's page calls it."""

    def __init__(self, client: Any, token: str) -> None:
        self.client = client
        self.token = token

    def call(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"}
        return self.client.open("/api/v1" + path, method=method, json=body, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, body: Any = None) -> Any:
        return self.call("POST", path, body)

    def put(self, path: str, body: Any = None) -> Any:
        return self.call("PUT", path, body)

    def patch(self, path: str, body: Any = None) -> Any:
        return self.call("PATCH", path, body)

    def me(self) -> dict[str, Any]:
        return self.get("/me").get_json()


__all__ = ["ADMIN", "INSTRUCTOR", "LEARNER", "LTI", "Api", "launch"]
