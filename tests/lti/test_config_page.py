"""`/lti/config`: what an admin pastes into Moodle or Open edX, readable and as JSON."""

from __future__ import annotations


def test_config_json_names_every_endpoint(client) -> None:
    details = client.get("/lti/config?format=json").get_json()
    assert details["oidc_initiation_url"] == "http://tool.test/lti/login"
    assert details["target_link_uri"] == "http://tool.test/lti/launch"
    assert details["redirect_uris"] == ["http://tool.test/lti/launch"]
    assert details["jwks_url"] == "http://tool.test/lti/jwks"
    assert details["deep_linking_url"] == "http://tool.test/lti/launch"
    assert {m["type"] for m in details["messages"]} == {"LtiResourceLinkRequest", "LtiDeepLinkingRequest"}
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in details["scopes"]
    assert details["moodle"]["Initiate login URL"] == "http://tool.test/lti/login"
    assert details["open_edx"]["Tool Keyset URL"] == "http://tool.test/lti/jwks"


def test_config_json_by_accept_header(client) -> None:
    response = client.get("/lti/config", headers={"Accept": "application/json"})
    assert response.is_json


def test_config_page_is_readable_html(client, peer) -> None:
    response = client.get("/lti/config")
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    for text in ("Initiate login URL", "http://tool.test/lti/jwks", "Open edX", peer.issuer, "lti_storage_target"):
        assert text in html
