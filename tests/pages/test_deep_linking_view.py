"""Deep linking end to end in the tool: the picker after a real LtiDeepLinkingRequest, the signed response
posted back, and every refusal."""

from __future__ import annotations

import html
import re
from typing import Any

import jwt
from flask import Flask

from lti_app import keyring
from tests.lti.platform_peer import PlatformPeer
from tests.pages.conftest import INSTRUCTOR, launch_page

DL_REQUEST = "LtiDeepLinkingRequest"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"


def dl_settings(**overrides: Any) -> dict[str, Any]:
    return {
        "deep_link_return_url": "https://lms.example.edu/deep-link-return",
        "accept_types": ["ltiResourceLink"],
        "accept_presentation_document_targets": ["iframe"],
        "accept_multiple": True,
        "data": "opaque-platform-data",
        **overrides,
    }


def picker(client: Any, peer: PlatformPeer, **overrides: Any) -> Any:
    return launch_page(
        client, peer, sub="author", roles=INSTRUCTOR, message_type=DL_REQUEST, settings=dl_settings(**overrides)
    )


def returned_jwt(app: Flask, response: Any) -> dict[str, Any]:
    text = response.get_data(as_text=True)
    assert 'action="https://lms.example.edu/deep-link-return"' in text
    assert "autosubmit.js" in text and "data-autosubmit" in text
    token = html.unescape(re.search(r'name="JWT" value="([^"]+)"', text).group(1))
    key = jwt.PyJWKSet.from_dict(keyring.published_jwks()).keys[0]
    assert jwt.get_unverified_header(token)["kid"] == key.key_id
    return dict(jwt.decode(token, key, algorithms=["RS256"], audience="https://lms.example.edu"))


def test_picker_lists_components_and_settings(client: Any, peer: PlatformPeer, onet: str) -> None:
    page = picker(client, peer)
    for kind in ("self_assessment", "career_path", "development_plan", "reflection"):
        assert f'id="pick-{kind}"' in page.html
    assert 'type="checkbox" name="pick"' in page.html
    assert 'name="self_assessment-skills"' in page.html and 'name="reflection-exercise"' in page.html
    assert "Strengths: at least 3 complete" in page.html  # the exercises' completion criteria
    assert 'name="token"' in page.html


def test_single_pick_when_the_platform_accepts_one(client: Any, peer: PlatformPeer, onet: str) -> None:
    page = picker(client, peer, accept_multiple=False)
    assert 'type="radio" name="pick"' in page.html and 'type="checkbox" name="pick"' not in page.html
    both = client.post(
        "/lti/deep-linking/response", data={"token": page.token, "pick": ["self_assessment", "career_path"]}
    )
    assert both.status_code == 400 and "one activity at a time" in both.get_data(as_text=True)


def test_response_jwt_carries_the_picks(app: Flask, client: Any, peer: PlatformPeer, onet: str) -> None:
    page = picker(client, peer)
    response = client.post(
        "/lti/deep-linking/response",
        data={
            "token": page.token,
            "pick": ["self_assessment", "reflection", "career_path"],
            "self_assessment-title": "Rate your skills",
            "self_assessment-skills": ["2.A.1.a", "2.A.1.b", "2.A.1.c"],
            "self_assessment-target_role": "Registered Nurses",
            "self_assessment-grading": "on_completion",
            "self_assessment-max_score": "50",
            "reflection-exercise": "personal_vision",
            "reflection-title": "Reflection exercise",
            "reflection-grading": "on_progress",
            "reflection-max_score": "10",
            "career_path-grading": "none",
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "frame-ancestors 'self' https://lms.example.edu" in response.headers["Content-Security-Policy"]
    claims = returned_jwt(app, response)
    assert claims["iss"] == peer.client_id and claims["aud"] == peer.issuer
    assert claims[LTI + "message_type"] == "LtiDeepLinkingResponse" and claims[LTI + "version"] == "1.3.0"
    assert claims[LTI + "deployment_id"] == peer.deployment_id
    assert claims[DL + "data"] == "opaque-platform-data"
    assert claims["exp"] > claims["iat"] and claims["nonce"]
    rate, reflect, path = claims[DL + "content_items"]
    assert rate["type"] == "ltiResourceLink" and rate["url"] == "http://tool.test/lti/launch"
    assert rate["custom"] == {
        "component": "self_assessment",
        "target_role": "29-1141.00",
        "skills": "2.A.1.a,2.A.1.b,2.A.1.c",
        "grading": "on_completion",
        "max_score": "50",
    }
    assert rate["lineItem"]["scoreMaximum"] == 50 and rate["lineItem"]["label"] == "Rate your skills"
    assert rate["lineItem"]["tag"] == "career-toolkit" and rate["lineItem"]["resourceId"]
    assert reflect["title"] == "Reflection: Personal vision" and reflect["custom"]["exercise"] == "personal_vision"
    assert reflect["custom"]["grading"] == "on_progress" and reflect["lineItem"]["scoreMaximum"] == 10
    assert path["title"] == "Career-path explorer" and "lineItem" not in path


def test_data_omitted_when_the_platform_sent_none(app: Flask, client: Any, peer: PlatformPeer, onet: str) -> None:
    page = picker(client, peer, data=None)
    response = client.post("/lti/deep-linking/response", data={"token": page.token, "pick": "career_path"})
    assert DL + "data" not in returned_jwt(app, response)


def test_refused_when_links_are_not_accepted(app: Flask, client: Any, peer: PlatformPeer, onet: str) -> None:
    # The launch itself refuses such a request (pylti1p3); the picker and the response refuse it again, in words.
    from lti_app.extensions import db
    from lti_app.launch_tokens import session_for_token
    from lti_app.pages.views import render_deep_linking

    refused_launch = None
    try:
        picker(client, peer, accept_types=["file"])
    except AssertionError as error:
        refused_launch = error
    assert refused_launch is not None, "a launch accepting no resource links must be refused"

    page = picker(client, peer)
    session = session_for_token(page.token)
    session.claims = {**session.claims, DL + "deep_linking_settings": dl_settings(accept_types=["file"])}
    db.session.commit()
    with app.test_request_context():
        shown = render_deep_linking(session, page.token)
    assert "only accepts content of type file" in shown and 'id="deep-link-form"' not in shown
    refused = client.post("/lti/deep-linking/response", data={"token": page.token, "pick": "career_path"})
    assert refused.status_code == 400 and "only accepts content of type file" in refused.get_data(as_text=True)


def test_refused_for_a_resource_link_launch(client: Any, peer: PlatformPeer, onet: str) -> None:
    page = launch_page(client, peer, roles=INSTRUCTOR, custom={"component": "career_path"})
    refused = client.post("/lti/deep-linking/response", data={"token": page.token, "pick": "career_path"})
    assert refused.status_code == 403 and "not a deep-linking request" in refused.get_data(as_text=True)


def test_refused_without_a_valid_token(client: Any, peer: PlatformPeer, onet: str) -> None:
    assert client.post("/lti/deep-linking/response", data={"pick": "career_path"}).status_code == 401
    assert client.post("/lti/deep-linking/response", data={"token": "x.y.z", "pick": "career_path"}).status_code == 401


def test_bad_settings_are_refused_with_a_reason(client: Any, peer: PlatformPeer, onet: str) -> None:
    page = picker(client, peer)
    cases = [
        ({"pick": "nonsense"}, "not a Career Toolkit component"),
        ({"pick": "career_path", "career_path-target_role": "Wizard"}, "not an O*NET occupation"),
        ({"pick": "self_assessment", "self_assessment-skills": ["2.A.1.a"]}, "at least three skills"),
        ({"pick": "reflection", "reflection-exercise": "nope"}, "Choose which reflection"),
        ({"pick": "career_path", "career_path-grading": "on_progress", "career_path-max_score": "-1"}, "above 0"),
        ({}, "at least one activity"),
    ]
    for form, reason in cases:
        response = client.post("/lti/deep-linking/response", data={"token": page.token, **form})
        assert response.status_code == 400 and reason in response.get_data(as_text=True), reason
