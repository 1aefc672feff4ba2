"""Third-party initiated OIDC login: remember state and nonce, send the browser back to the platform."""

from __future__ import annotations

import secrets
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Response, make_response, redirect
from pylti1p3.contrib.flask import FlaskOIDCLogin, FlaskRequest
from pylti1p3.exception import OIDCException

from lti_app.lti.launch import LaunchRefused, LoginState, nonce_key, state_key
from lti_app.lti.state_store import StateStore
from lti_app.lti.tool_conf import SqlToolConf

STATE_COOKIE_PREFIX = "lti1p3-"


def begin_login(
    request: FlaskRequest, tool_conf: SqlToolConf, store: StateStore, launch_url: str, ttl_seconds: int
) -> Response:
    """Answer a login initiation with the redirect to the platform's auth endpoint.

    :raise LaunchRefused: unknown platform, missing login_hint, or a target that is not this tool.
    """
    # pylti1p3 finds the registration; state, nonce and the redirect are ours (shared store, not the session).
    login = FlaskOIDCLogin(request, tool_conf)
    try:
        registration = login.validate_oidc_login()
    except OIDCException as error:
        raise LaunchRefused(f"Login refused: {error}.") from error
    target = request.get_param("target_link_uri")
    base = launch_url.rsplit("/lti/launch", 1)[0]
    if target and not (target == base or target.startswith(base + "/")):
        raise LaunchRefused("Login refused: target_link_uri does not point at this tool.")

    state = "state-" + secrets.token_urlsafe(24)
    nonce = secrets.token_urlsafe(24)
    issuer, client_id, auth_login_url = (
        registration.get_issuer(),
        registration.get_client_id(),
        registration.get_auth_login_url(),
    )
    assert issuer and client_id and auth_login_url, "registrations always carry these"
    login_state = LoginState(nonce=nonce, issuer=issuer, client_id=client_id)
    store.put_many({state_key(state): login_state.dumps(), nonce_key(nonce): "unused"}, ttl_seconds)

    params = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": client_id,
        "redirect_uri": launch_url,
        "state": state,
        "nonce": nonce,
        # Passed back unchanged: the platform uses them to find its own session and context.
        "login_hint": request.get_param("login_hint"),
    }
    message_hint = request.get_param("lti_message_hint")
    if message_hint is not None:
        params["lti_message_hint"] = message_hint

    response = make_response(redirect(_with_query(auth_login_url, params)))
    # Binds the flow to this browser where cookies are allowed; blocked cookies fall back to the server state.
    response.set_cookie(
        STATE_COOKIE_PREFIX + state,
        state,
        max_age=ttl_seconds,
        secure=request.is_secure(),
        httponly=True,
        samesite="None" if request.is_secure() else "Lax",
        path="/",
    )
    return response


def _with_query(url: str, params: dict[str, str]) -> str:
    """Add parameters to a URL that may already carry a query string."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))
