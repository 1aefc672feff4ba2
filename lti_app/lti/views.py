"""The LTI endpoints: OIDC login, launch, the tool's JWKS and the registration details for admins."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, jsonify, make_response, render_template, request, url_for
from pylti1p3.contrib.flask import FlaskRequest

from lti_app import keyring
from lti_app.career import partners
from lti_app.extensions import db
from lti_app.launch_tokens import issue_token
from lti_app.launches import DeploymentRemoved, record_launch
from lti_app.lti.claims import DEEP_LINKING_REQUEST, DEPLOYMENT_ID, ROLE_SCOPE_MENTOR, ROLES
from lti_app.lti.client_storage import (
    VERIFIED_HEADER,
    VERIFIED_HEADER_VALUE,
    PendingLaunch,
    hold_launch,
    origin_of,
    stored_values,
    take_pending_launch,
)
from lti_app.lti.launch import LaunchRefused, LoginState, SecureMessageLaunch, consume_state_and_nonce
from lti_app.lti.login import begin_login
from lti_app.lti.platform_keys import PlatformKeyCache
from lti_app.lti.registrations import RegisteredPlatform
from lti_app.lti.state_store import StateStore, state_store_for
from lti_app.lti.tool_conf import SqlToolConf, find_deployment_platform
from lti_app.models.platform import Platform
from lti_app.security_headers import frame_only_by

bp = Blueprint("lti", __name__)


def tool_url(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


def launch_url() -> str:
    return tool_url("/lti/launch")


def state_store() -> StateStore:
    return state_store_for(current_app.config.get("REDIS_URL"))


def tool_conf() -> SqlToolConf:
    return SqlToolConf(current_app.config["SECRET_KEY"])


@bp.errorhandler(LaunchRefused)
def launch_refused(error: LaunchRefused) -> tuple[str, int]:
    current_app.logger.info("launch refused: %s", error.message)
    return render_template("lti/error.html", message=error.message), error.status


@bp.route("/lti/login", methods=["GET", "POST"])
def login() -> Response:
    """:raise 400: unknown platform or incomplete login initiation."""
    return begin_login(
        FlaskRequest(),
        tool_conf(),
        state_store(),
        launch_url(),
        current_app.config["OIDC_STATE_TTL_SECONDS"],
    )


@bp.post("/lti/launch")
def launch() -> Response | tuple[str, int]:
    """Check the id_token, then make sure this browser ran the login before the launch counts.

    The state cookie is that proof where the browser keeps it. Without it, a login that stored its state in
    the platform's page (LTI client-side storage) gets a page that reads it back; any other login gets a
    page offering a new window, where the cookie is first-party.

    :raise 400/401: any failed check; nothing is written for a refused launch.
    """
    if "error" in request.form and "id_token" not in request.form:
        # Moodle posts its own failures here instead of an id_token.
        description = request.form.get("error_description") or request.form["error"]
        message = f"The learning platform could not complete the launch: {description}"
        return render_template("lti/error.html", message=message), 400
    store = state_store()
    config = current_app.config
    message_launch = SecureMessageLaunch(
        FlaskRequest(),
        tool_conf(),
        store=store,
        key_cache=PlatformKeyCache(store, config["PLATFORM_KEYS_TTL_SECONDS"], config["HTTP_TIMEOUT_SECONDS"]),
        leeway_seconds=config["JWT_LEEWAY_SECONDS"],
        tool_base_url=config["BASE_URL"],
    ).check()
    platform = message_launch.platform
    if message_launch.state_cookie_matches:
        message_launch.consume_state_and_nonce()
        return launched_response(message_launch.claims, platform)
    if message_launch.login_state.storage_target:
        return verifying_page(message_launch, store)
    # A refusal of this framed launch (nothing consumed or recorded) that the learner can act on.
    page = render_template("lti/new_window.html", relaunch_url=relaunch_url(message_launch.login_state))
    return frame_only_by(make_response(page, 403), [platform])


def verifying_page(message_launch: SecureMessageLaunch, store: StateStore) -> Response:
    """Hold a checked launch and answer with the page that asks the platform's frame to confirm it."""
    login_state, state = message_launch.login_state, message_launch.state
    # Nothing is consumed or recorded until the platform's frame gives back what the login stored.
    hold_launch(
        store,
        PendingLaunch(
            claims=message_launch.claims,
            issuer=login_state.issuer,
            client_id=login_state.client_id,
            state=state,
            nonce=login_state.nonce,
        ),
    )
    page = render_template(
        "lti/verify_launch.html",
        target=login_state.storage_target,
        platform_origin=origin_of(message_launch.platform.auth_login_url),
        stored=stored_values(state, login_state.nonce),
        state=state,
        header_name=VERIFIED_HEADER,
        header_value=VERIFIED_HEADER_VALUE,
        relaunch_url=relaunch_url(login_state),
    )
    # 202: the launch is accepted and waits for the page's second step.
    return frame_only_by(make_response(page, 202), [message_launch.platform])


@bp.post("/lti/launch/verified")
def launch_verified() -> Response:
    """The verifying page's second step: the state and nonce the platform's frame kept for this login.

    :raise 403: not sent by the verifying page (no custom header).
    :raise 400/401: unknown, expired or used launch; values that are not this login's; a replayed nonce.
    """
    # A cross-site page can post a form here but cannot add a header: only our own page's fetch can.
    if request.headers.get(VERIFIED_HEADER) != VERIFIED_HEADER_VALUE:
        raise LaunchRefused("This step of the launch is only accepted from the Career Toolkit's own page.", 403)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("state"), str) or not body["state"]:
        raise LaunchRefused("The launch's confirmation has no state.")
    state = body["state"]
    store = state_store()
    pending = take_pending_launch(store, state)
    if pending is None:
        raise LaunchRefused("The launch is unknown, expired or already used: start the activity again from the course.")
    if not pending.answered_by(body.get("stored_state"), body.get("stored_nonce")):
        db.session.commit()  # the waiting launch is spent: a wrong answer gets no second try
        raise LaunchRefused("The course page did not confirm this login: start the activity again from the course.")
    consume_state_and_nonce(store, pending.state, pending.nonce)
    # Read afresh if this worker's cached registration lacks the deployment (added since, in another worker).
    platform = find_deployment_platform(pending.issuer, pending.client_id, pending.claims[DEPLOYMENT_ID])
    if platform is None:
        raise LaunchRefused("The platform that started this launch is no longer registered with this tool.")
    return launched_response(pending.claims, platform)


def launched_response(claims: dict[str, Any], platform: RegisteredPlatform) -> Response:
    """Record a launch this browser is known to have started, and answer with its page.

    :raise LaunchRefused: the deployment was removed meanwhile.
    """
    try:
        session = record_launch(claims, platform, current_app.config["LAUNCH_TOKEN_TTL_SECONDS"])
    except DeploymentRemoved as error:
        raise LaunchRefused(str(error)) from error
    # A Mentor launch with role_scope_mentor is the mentor of exactly the users it lists (decision 0019).
    partners.sync_scope_mentor(session, claims.get(ROLES) or [], claims.get(ROLE_SCOPE_MENTOR))
    return frame_only_by(make_response(render_launch_page(session, issue_token(session))), [platform])


def relaunch_url(login_state: LoginState) -> str | None:
    """The login initiation again, to open in a new window; ``None`` for a login that did not keep it."""
    return url_for("lti.login") + "?" + urlencode(login_state.initiation) if login_state.initiation else None


def render_launch_page(session: Any, token: str) -> str:
    """Pick the page for the launch; pages register renderers keyed by message type and component."""
    renderers = current_app.extensions.get("career_toolkit_pages", {})
    if session.message_type == DEEP_LINKING_REQUEST and "deep_linking" in renderers:
        return str(renderers["deep_linking"](session, token))
    kind = session.resource_link.component_kind if session.resource_link else "home"
    renderer = renderers.get(kind) or renderers.get("home")
    if renderer is not None:
        return str(renderer(session, token))
    return render_template("lti/launched.html", session=session, api_token=token)


@bp.get("/lti/jwks")
@bp.get("/.well-known/jwks.json")
def jwks() -> Response:
    keyring.ensure_active_key(current_app.config["SECRET_KEY"])
    response = jsonify(keyring.published_jwks())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/lti/jwks/<kid>")
def published_key(kid: str) -> Response:
    """One published key as a JWK: what a signed credential's ``kid`` URL dereferences to.

    :raise 404: no active or retiring key has this kid.
    """
    key = next((jwk for jwk in keyring.published_jwks()["keys"] if jwk["kid"] == kid), None)
    if key is None:
        abort(404)
    response = jsonify(key)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def registration_details() -> dict[str, Any]:
    """Everything an admin pastes into Moodle or Open edX to register the tool by hand."""
    return {
        "title": "Career Toolkit",
        "description": "Individual development plans, skill self-assessment and career-path maps.",
        "oidc_initiation_url": tool_url("/lti/login"),
        "target_link_uri": launch_url(),
        "redirect_uris": [launch_url()],
        "deep_linking_url": launch_url(),
        "jwks_url": tool_url("/lti/jwks"),
        "dynamic_registration_url": tool_url("/lti/register"),
        "public_key_type": "Keyset URL",
        "messages": [
            {"type": "LtiResourceLinkRequest", "target_link_uri": launch_url()},
            {"type": "LtiDeepLinkingRequest", "target_link_uri": launch_url()},
        ],
        "claims": ["iss", "sub", "name", "given_name", "family_name", "email"],
        "scopes": [
            "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
            "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
            "https://purl.imsglobal.org/spec/lti-ags/scope/score",
            "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
        ],
        "custom_parameters": {"component": "self_assessment | career_path | development_plan | reflection"},
        "moodle": {
            "Tool URL": launch_url(),
            "LTI version": "LTI 1.3",
            "Public key type": "Keyset URL",
            "Public keyset": tool_url("/lti/jwks"),
            "Initiate login URL": tool_url("/lti/login"),
            "Redirection URI(s)": launch_url(),
            "Supports Deep Linking (Content-Item Message)": "yes",
            "Content Selection URL": launch_url(),
            "IMS LTI Assignment and Grade Services": "Use this service for grade sync and column management",
            "IMS LTI Names and Role Provisioning": "Use this service to retrieve members' information",
        },
        "open_edx": {
            "LTI Version": "LTI 1.3",
            "Tool Launch URL": launch_url(),
            "Tool Initiate Login URL": tool_url("/lti/login"),
            "Tool Public Key Mode": "Keyset URL",
            "Tool Keyset URL": tool_url("/lti/jwks"),
            "Deep Linking": "enabled, Deep Linking Launch URL " + launch_url(),
            "LTI Assignment and Grades Service": "Allow tools to manage and submit grade (programmatic)",
            "Names and Role Provisioning": "enabled",
        },
    }


@bp.get("/lti/config")
def config_page() -> Response | str:
    details = registration_details()
    wants_json = request.args.get("format") == "json" or (
        request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"
    )
    if wants_json:
        return jsonify(details)
    platforms = Platform.query.order_by(Platform.name).all()
    return render_template("lti/config.html", details=details, platforms=platforms)
