"""The demo LMS's pages and LTI platform endpoints (OIDC auth, JWKS, token, AGS, NRPS, deep-link return)."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import jwt
from flask import Blueprint, Response, abort, current_app, jsonify, make_response, render_template, request, url_for

from lti_app import keyring
from lti_app.demo_lms.keys import demo_private_key, demo_public_jwk
from lti_app.demo_lms.store import COURSE, DEMO_USERS, DemoStore

bp = Blueprint("demo_lms", __name__, url_prefix="/demo-lms", template_folder="templates", static_folder="static")

CLIENT_ID = "career-toolkit-demo"
DEPLOYMENT_ID = "demo-deployment"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS_SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
]
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
ROLE_URIS = {
    "learner": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
    "instructor": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"],
    "manager": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Manager"],
    "mentor": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"],
}
_access_tokens: dict[str, tuple[float, set[str]]] = {}


def lms_base() -> str:
    return str(current_app.config.get("DEMO_LMS_BASE_URL") or current_app.config["BASE_URL"]).rstrip("/")


def issuer() -> str:
    return lms_base() + "/demo-lms"


def tool_base() -> str:
    return str(current_app.config["BASE_URL"]).rstrip("/")


def store() -> DemoStore:
    return DemoStore(Path(current_app.instance_path) / "demo-lms.json")


def _page(html: str) -> Response:
    response = make_response(html)
    # The LMS frames the tool, which may live on another origin.
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; frame-src {tool_base()} 'self'; style-src 'self'; script-src 'self'; "
        "img-src 'self' data:; form-action *; base-uri 'none'"
    )
    return response


@bp.get("/")
def home() -> Response:
    state = store().read()
    user = request.args.get("user", "ada")
    if user not in DEMO_USERS:
        abort(404)
    return _page(
        render_template(
            "demo_lms/home.html",
            users=DEMO_USERS,
            user=user,
            course=COURSE,
            activities=state["activities"],
            line_items=state["line_items"],
            scores=state["scores"],
            issuer=issuer(),
        )
    )


@bp.get("/launch")
def launch() -> Response:
    """Show the tool in an iframe, starting with a third-party initiated login that offers client-side storage."""
    user = request.args.get("user", "ada")
    activity = request.args.get("activity")
    deep_link = request.args.get("deep_link") == "1"
    if user not in DEMO_USERS:
        abort(404)
    hint = "deeplink" if deep_link else "resource:" + (activity or "")
    login_url = (
        tool_base()
        + "/lti/login?"
        + urlencode(
            {
                "iss": issuer(),
                "login_hint": user,
                "target_link_uri": tool_base() + "/lti/launch",
                "lti_message_hint": hint,
                "client_id": CLIENT_ID,
                "lti_deployment_id": DEPLOYMENT_ID,
                # The frame's script answers lti.put_data / lti.get_data: LTI client-side storage.
                "lti_storage_target": "_parent",
            }
        )
    )
    title = "Add a career activity" if deep_link else _activity(activity)["title"] if activity else "Career Toolkit"
    return _page(
        render_template(
            "demo_lms/frame.html",
            login_url=login_url,
            tool_origin=origin_of(tool_base()),
            user=user,
            users=DEMO_USERS,
            title=title,
            course=COURSE,
        )
    )


def _activity(activity_id: str | None) -> dict[str, Any]:
    for activity in store().read()["activities"]:
        if activity["id"] == activity_id:
            return dict(activity)
    abort(404, "no such activity in the demo course")


@bp.route("/auth", methods=["GET", "POST"])
def auth() -> Response:
    """The platform's OIDC authorization endpoint: checks the tool's request, answers with a signed id_token."""
    params = request.values
    problems = []
    if params.get("client_id") != CLIENT_ID:
        problems.append("unknown client_id")
    if params.get("redirect_uri") != tool_base() + "/lti/launch":
        problems.append("redirect_uri is not the registered launch URL")
    if params.get("response_type") != "id_token" or params.get("scope") != "openid":
        problems.append("response_type must be id_token and scope openid")
    if params.get("response_mode") != "form_post" or params.get("prompt") != "none":
        problems.append("response_mode must be form_post and prompt none")
    if not params.get("nonce"):
        problems.append("nonce is required")
    user = params.get("login_hint", "")
    if user not in DEMO_USERS:
        problems.append("login_hint names no demo user")
    redirect_uri = tool_base() + "/lti/launch"
    if problems:
        # Like Moodle: tell the tool what went wrong with a form post of error + error_description.
        fields = {
            "error": "invalid_request",
            "error_description": "; ".join(problems),
            "state": params.get("state", ""),
        }
        return _page(render_template("demo_lms/autopost.html", action=redirect_uri, fields=fields))
    claims = _claims(user, params.get("lti_message_hint", ""), params["nonce"])
    id_token = jwt.encode(
        claims,
        demo_private_key(current_app.instance_path),
        algorithm="RS256",
        headers={"kid": demo_public_jwk(current_app.instance_path)["kid"]},
    )
    fields = {"id_token": id_token, "state": params.get("state", "")}
    return _page(render_template("demo_lms/autopost.html", action=redirect_uri, fields=fields))


def _claims(user: str, message_hint: str, nonce: str) -> dict[str, Any]:
    person = DEMO_USERS[user]
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer(),
        "aud": CLIENT_ID,
        "sub": "demo-user-" + user,
        "iat": now,
        "exp": now + 60,  # as short as Moodle's
        "nonce": nonce,
        "name": person["name"],
        "given_name": person["given_name"],
        "family_name": person["family_name"],
        "email": person["email"],
        LTI + "version": "1.3.0",
        LTI + "deployment_id": DEPLOYMENT_ID,
        LTI + "target_link_uri": tool_base() + "/lti/launch",
        LTI + "roles": ROLE_URIS[person["role"]],
        LTI + "context": {**COURSE, "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"]},
        LTI + "tool_platform": {
            "name": "Career Toolkit demo LMS",
            "product_family_code": "career-toolkit-demo",
            "guid": "demo-lms",
        },
        LTI + "launch_presentation": {"document_target": "iframe", "return_url": lms_base() + "/demo-lms/"},
        "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
            "context_memberships_url": issuer() + "/memberships",
            "service_versions": ["2.0"],
        },
    }
    if person.get("mentors"):
        claims[LTI + "role_scope_mentor"] = ["demo-user-" + key for key in person["mentors"]]
    if message_hint == "deeplink":
        data = secrets.token_urlsafe(16)
        store().update(lambda state: state.setdefault("deep_link_data", []).append(data))
        claims[LTI + "message_type"] = "LtiDeepLinkingRequest"
        claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
            "deep_link_return_url": issuer() + "/deep-link-return",
            "accept_types": ["ltiResourceLink"],
            "accept_presentation_document_targets": ["iframe", "window"],
            "accept_multiple": True,
            "auto_create": True,
            "title": "Add a career activity",
            "data": data,
        }
        claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] = {
            "scope": AGS_SCOPES,
            "lineitems": issuer() + "/lineitems",
        }
        return claims
    activity = _activity(message_hint.removeprefix("resource:"))
    claims[LTI + "message_type"] = "LtiResourceLinkRequest"
    claims[LTI + "resource_link"] = {"id": activity["id"], "title": activity["title"]}
    claims[LTI + "custom"] = activity.get("custom", {})
    ags: dict[str, Any] = {"scope": AGS_SCOPES, "lineitems": issuer() + "/lineitems"}
    if activity.get("line_item"):
        ags["lineitem"] = issuer() + "/lineitems/" + activity["line_item"] + "?type_id=1"
    claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] = ags
    return claims


@bp.get("/jwks")
def jwks() -> Response:
    return jsonify({"keys": [demo_public_jwk(current_app.instance_path)]})


def _verify_tool_jwt(token: str, audience: str) -> dict[str, Any]:
    """Check a JWT the tool signed, against the tool's published JWKS. :raise 400/401:"""
    keyring.ensure_active_key(current_app.config["SECRET_KEY"])
    key_set = jwt.PyJWKSet.from_dict(keyring.published_jwks())
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        key = next(k for k in key_set.keys if k.key_id == kid)
        return dict(jwt.decode(token, key, algorithms=["RS256"], audience=audience, leeway=30))
    except (StopIteration, jwt.InvalidTokenError) as error:
        abort(401, f"the tool's JWT was refused: {error}")


@bp.post("/token")
def token() -> Response:
    """OAuth 2 client credentials with a JWT client assertion (RFC 7523), as LTI Advantage requires."""
    form = request.form
    if form.get("grant_type") != "client_credentials" or form.get("client_assertion_type") != (
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    ):
        return make_response(jsonify({"error": "unsupported_grant_type"}), 400)
    claims = _verify_tool_jwt(form.get("client_assertion", ""), audience=issuer() + "/token")
    if claims.get("iss") != CLIENT_ID or claims.get("sub") != CLIENT_ID:
        return make_response(jsonify({"error": "invalid_client"}), 401)
    scopes = set(form.get("scope", "").split())
    access_token = secrets.token_urlsafe(24)
    _access_tokens[access_token] = (time.time() + 3600, scopes)
    return jsonify(
        {"access_token": access_token, "token_type": "Bearer", "expires_in": 3600, "scope": " ".join(sorted(scopes))}
    )


def _require_scope(scope: str) -> None:
    header = request.headers.get("Authorization", "")
    entry = _access_tokens.get(header.removeprefix("Bearer ").strip())
    if entry is None or entry[0] < time.time():
        abort(401, "invalid or expired access token")
    if scope not in entry[1]:
        abort(403, f"the token lacks the scope {scope}")


def _line_item_json(item_id: str, item: dict[str, Any]) -> dict[str, Any]:
    return {"id": issuer() + "/lineitems/" + item_id + "?type_id=1", **item}


@bp.route("/lineitems", methods=["GET", "POST"])
def line_items() -> Response:
    _require_scope(AGS_SCOPES[0])
    if request.method == "POST":
        body = request.get_json(silent=True) or {}
        if not isinstance(body.get("scoreMaximum"), int | float) or not body.get("label"):
            abort(400, "a line item needs a label and a numeric scoreMaximum")

        def create(state: dict[str, Any]) -> str:
            item_id = f"lineitem-{state['next_id']}"
            state["next_id"] += 1
            state["line_items"][item_id] = {
                k: body[k] for k in ("label", "scoreMaximum", "resourceId", "tag", "resourceLinkId") if k in body
            }
            return item_id

        item_id = store().update(create)
        response = jsonify(_line_item_json(item_id, store().read()["line_items"][item_id]))
        response.status_code = 201
        response.mimetype = "application/vnd.ims.lis.v2.lineitem+json"
        return response
    items = store().read()["line_items"]
    wanted = {k: request.args[k] for k in ("resource_id", "tag", "resource_link_id") if k in request.args}
    rename = {"resource_id": "resourceId", "tag": "tag", "resource_link_id": "resourceLinkId"}
    listed = [
        _line_item_json(item_id, item)
        for item_id, item in items.items()
        if all(item.get(rename[k]) == v for k, v in wanted.items())
    ]
    response = jsonify(listed)
    response.mimetype = "application/vnd.ims.lis.v2.lineitemcontainer+json"
    return response


@bp.route("/lineitems/<item_id>", methods=["GET", "PUT"])
def line_item(item_id: str) -> Response:
    _require_scope(AGS_SCOPES[0])
    items = store().read()["line_items"]
    if item_id not in items:
        abort(404)
    if request.method == "PUT":
        body = request.get_json(silent=True) or {}

        def change(state: dict[str, Any]) -> None:
            state["line_items"][item_id].update(
                {k: body[k] for k in ("label", "scoreMaximum", "resourceId", "tag") if k in body}
            )

        store().update(change)
        items = store().read()["line_items"]
    return jsonify(_line_item_json(item_id, items[item_id]))


@bp.post("/lineitems/<item_id>/scores")
def scores(item_id: str) -> Response:
    """Keep the latest score per learner; like Moodle, refuse a timestamp not newer at one-second resolution."""
    _require_scope(AGS_SCOPES[2])
    if request.mimetype != "application/vnd.ims.lis.v1.score+json":
        abort(415, "scores must be application/vnd.ims.lis.v1.score+json")
    body = request.get_json(force=True, silent=True) or {}
    if not body.get("userId") or not body.get("timestamp"):
        abort(400, "a score needs userId and timestamp")
    timestamp = datetime.fromisoformat(str(body["timestamp"]).replace("Z", "+00:00")).astimezone(UTC)

    def record(state: dict[str, Any]) -> int:
        if item_id not in state["line_items"]:
            return 404
        book = state["scores"].setdefault(item_id, {})
        previous = book.get(body["userId"])
        if previous is not None:
            seen = datetime.fromisoformat(previous["timestamp"].replace("Z", "+00:00")).astimezone(UTC)
            if int(timestamp.timestamp()) <= int(seen.timestamp()):
                return 409
        book[body["userId"]] = {
            k: body.get(k)
            for k in ("scoreGiven", "scoreMaximum", "activityProgress", "gradingProgress", "timestamp", "comment")
        }
        return 200

    status = store().update(record)
    if status != 200:
        abort(status, "the score's timestamp is not newer than the last one" if status == 409 else None)
    return make_response("", 204)


@bp.get("/memberships")
def memberships() -> Response:
    _require_scope(NRPS_SCOPE)
    members = [
        {
            "user_id": "demo-user-" + key,
            "name": person["name"],
            "given_name": person["given_name"],
            "family_name": person["family_name"],
            "email": person["email"],
            "status": "Active",
            "roles": ROLE_URIS[person["role"]],
        }
        for key, person in DEMO_USERS.items()
    ]
    response = jsonify({"id": issuer() + "/memberships", "context": COURSE, "members": members})
    response.mimetype = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
    return response


@bp.post("/deep-link-return")
def deep_link_return() -> Response:
    """Receive the author's selection, signed by the tool, and add the activities to the course."""
    claims = _verify_tool_jwt(request.form.get("JWT", ""), audience=issuer())
    settings_data = claims.get("https://purl.imsglobal.org/spec/lti-dl/claim/data")
    if claims.get(LTI + "message_type") != "LtiDeepLinkingResponse" or claims.get(LTI + "deployment_id") != (
        DEPLOYMENT_ID
    ):
        abort(400, "not a deep linking response for this deployment")
    if settings_data not in store().read().get("deep_link_data", []):
        abort(400, "the deep linking response does not echo a data value this LMS sent")
    items = claims.get("https://purl.imsglobal.org/spec/lti-dl/claim/content_items", [])

    def add(state: dict[str, Any]) -> list[str]:
        state["deep_link_data"].remove(settings_data)
        added = []
        for item in items:
            if item.get("type") != "ltiResourceLink":
                continue
            activity_id = f"activity-{state['next_id']}"
            state["next_id"] += 1
            activity: dict[str, Any] = {
                "id": activity_id,
                "title": item.get("title") or "Career activity",
                "custom": item.get("custom", {}),
            }
            if item.get("lineItem"):
                line_item_id = f"lineitem-{state['next_id']}"
                state["next_id"] += 1
                state["line_items"][line_item_id] = {
                    "label": item["lineItem"].get("label") or activity["title"],
                    "scoreMaximum": item["lineItem"].get("scoreMaximum", 100),
                    "resourceId": item["lineItem"].get("resourceId"),
                    "tag": item["lineItem"].get("tag"),
                    "resourceLinkId": activity_id,
                }
                activity["line_item"] = line_item_id
            state["activities"].append(activity)
            added.append(activity["title"])
        return added

    added = store().update(add)
    return _page(
        render_template("demo_lms/deep_link_done.html", added=added, home=url_for("demo_lms.home", user="grace"))
    )


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
