"""The deep-linking response's claims, built by pure functions: what every platform checks."""

from __future__ import annotations

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from lti_app.lti.deep_linking import (
    CONTENT_ITEMS,
    DATA,
    ActivitySelection,
    DeepLinkingRefused,
    DeepLinkingSettings,
    Grading,
    content_item,
    response_claims,
    sign_response,
)

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
LAUNCH = "https://tool.example/lti/launch"


def settings(**overrides: object) -> DeepLinkingSettings:
    raw = {
        "deep_link_return_url": "https://lms.example/return",
        "accept_types": ["link", "ltiResourceLink"],
        "accept_multiple": True,
        "data": "csrf-ish-data",
        **overrides,
    }
    return DeepLinkingSettings.from_claims({SETTINGS: {k: v for k, v in raw.items() if v is not None}})


def claims_for(selections: list[ActivitySelection], **overrides: object) -> dict[str, object]:
    return response_claims(
        client_id="client-1",
        issuer="https://lms.example",
        deployment_id="dep-1",
        settings=settings(**overrides),
        selections=selections,
        launch_url=LAUNCH,
        now=1_700_000_000,
    )


def test_response_names_us_as_issuer_and_the_platform_as_audience() -> None:
    claims = claims_for([ActivitySelection("self_assessment", "Rate your skills")])
    assert claims["iss"] == "client-1" and claims["aud"] == "https://lms.example"
    assert claims["iat"] == 1_700_000_000 and claims["exp"] == 1_700_000_300
    assert isinstance(claims["nonce"], str) and len(claims["nonce"]) >= 16
    assert claims[LTI + "message_type"] == "LtiDeepLinkingResponse"
    assert claims[LTI + "version"] == "1.3.0"
    assert claims[LTI + "deployment_id"] == "dep-1"
    assert claims[DATA] == "csrf-ish-data"


def test_data_is_left_out_when_the_platform_sent_none() -> None:
    assert DATA not in claims_for([ActivitySelection("career_path", "Paths")], data=None)


def test_a_graded_item_carries_a_line_item_and_string_custom_values() -> None:
    selection = ActivitySelection(
        "reflection", "Strengths", {"exercise": "strengths"}, Grading("on_progress", 10.0), resource_id="r-1"
    )
    item = content_item(selection, LAUNCH)
    assert item == {
        "type": "ltiResourceLink",
        "title": "Strengths",
        "url": LAUNCH,
        "custom": {"component": "reflection", "exercise": "strengths", "grading": "on_progress", "max_score": "10"},
        "lineItem": {"scoreMaximum": 10, "label": "Strengths", "resourceId": "r-1", "tag": "career-toolkit"},
    }
    assert all(isinstance(value, str) for value in item["custom"].values())


def test_an_ungraded_item_has_no_line_item() -> None:
    item = content_item(ActivitySelection("career_path", "Paths", {"target_role": "29-1141.00"}), LAUNCH)
    assert "lineItem" not in item and item["custom"] == {"component": "career_path", "target_role": "29-1141.00"}


def test_several_items_when_the_platform_accepts_several() -> None:
    picks = [ActivitySelection("self_assessment", "A"), ActivitySelection("career_path", "B")]
    assert [item["title"] for item in claims_for(picks)[CONTENT_ITEMS]] == ["A", "B"]  # type: ignore[union-attr]


def test_one_item_only_when_accept_multiple_is_false() -> None:
    picks = [ActivitySelection("self_assessment", "A"), ActivitySelection("career_path", "B")]
    with pytest.raises(DeepLinkingRefused, match="one activity at a time"):
        claims_for(picks, accept_multiple=False)
    assert len(claims_for(picks[:1], accept_multiple=False)[CONTENT_ITEMS]) == 1  # type: ignore[arg-type]


def test_refused_when_resource_links_are_not_accepted() -> None:
    with pytest.raises(DeepLinkingRefused, match="only accepts content of type file, html"):
        claims_for([ActivitySelection("self_assessment", "A")], accept_types=["file", "html"])


def test_refused_with_nothing_picked() -> None:
    with pytest.raises(DeepLinkingRefused, match="at least one"):
        claims_for([])


def test_settings_are_required() -> None:
    with pytest.raises(DeepLinkingRefused, match="not a deep-linking request"):
        DeepLinkingSettings.from_claims({})


def test_signed_with_the_kid_in_the_header() -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    token = sign_response(claims_for([ActivitySelection("career_path", "B")]), "kid-1", pem)
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "kid": "kid-1", "typ": "JWT"}
    decoded = jwt.decode(
        token, key.public_key(), algorithms=["RS256"], audience="https://lms.example", options={"verify_exp": False}
    )
    assert decoded["iss"] == "client-1"
