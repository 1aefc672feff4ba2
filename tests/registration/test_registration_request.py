"""The registration the tool posts and the checks on a platform's configuration, without HTTP."""

from __future__ import annotations

import time

import jwt
import pytest

from lti_app.lti.dynamic_registration import (
    RegistrationRefused,
    ToolDetails,
    _token_ttl,
    is_allowed_url,
    tool_registration_request,
    validate_platform_configuration,
)


def tool(base: str) -> ToolDetails:
    return ToolDetails(
        title="Career Toolkit",
        description="Career development.",
        login_url=base + "/lti/login",
        launch_url=base + "/lti/launch",
        jwks_url=base + "/lti/jwks",
        claims=["iss", "sub"],
        scopes=["a", "b"],
        logo_url=base + "/static/logo.png",
    )


@pytest.mark.parametrize(
    ("base", "domain"),
    [
        ("https://careers.example.edu", "careers.example.edu"),
        ("https://careers.example.edu:443", "careers.example.edu"),
        ("https://Careers.Example.edu:8443", "careers.example.edu:8443"),
        ("http://127.0.0.1:5000", "127.0.0.1:5000"),
    ],
)
def test_the_domain_matches_the_target_link_uri_as_moodle_compares_them(base: str, domain: str) -> None:
    body = tool_registration_request(tool(base))
    assert body["https://purl.imsglobal.org/spec/lti-tool-configuration"]["domain"] == domain
    assert body["logo_uri"] == base + "/static/logo.png"
    assert body["scope"] == "a b"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://lms.example.edu", True),
        ("http://localhost:8000/x", True),
        ("http://127.0.0.1/x", True),
        ("http://lms.example.edu", False),
        ("https://user:pw@lms.example.edu", False),
        ("https://", False),
        ("https://lms.example.edu:99999", False),
        ("file:///etc/passwd", False),
    ],
)
def test_allowed_urls(url: str, allowed: bool) -> None:
    assert is_allowed_url(url) is allowed


def test_the_configuration_must_be_a_json_object() -> None:
    with pytest.raises(RegistrationRefused, match="not a JSON object"):
        validate_platform_configuration("https://lms.example.edu/c", ["issuer"])


def test_a_subdirectory_moodle_is_accepted() -> None:
    configuration = validate_platform_configuration(
        "https://example.edu/moodle/mod/lti/openid-configuration.php",
        {
            "issuer": "https://example.edu/moodle",
            "authorization_endpoint": "https://example.edu/moodle/mod/lti/auth.php",
            "token_endpoint": "https://example.edu/moodle/mod/lti/token.php",
            "jwks_uri": "https://example.edu/moodle/mod/lti/certs.php",
            "registration_endpoint": "https://example.edu/moodle/mod/lti/openid-registration.php",
            "https://purl.imsglobal.org/spec/lti-platform-configuration": {"product_family_code": "moodle"},
        },
    )
    assert configuration.authorization_server is None
    assert configuration.product_family_code == "moodle"


def test_a_used_jwt_token_is_remembered_past_its_own_expiry() -> None:
    token = jwt.encode({"exp": int(time.time()) + 3600}, "k" * 32, algorithm="HS256")
    assert 24 * 3600 + 3500 < _token_ttl(token) <= 25 * 3600
    assert _token_ttl("opaque-token") == 30 * 24 * 3600
