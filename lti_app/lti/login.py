"""Third-party initiated OIDC login: remember state and nonce, send the browser back to the platform.

Where the platform offers LTI client-side storage (``lti_storage_target``), the answer is a page that first
stores the state and nonce in the platform's frame, then goes on to the platform.
"""

from __future__ import annotations

import secrets
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Response, make_response, redirect, render_template
from pylti1p3.contrib.flask import FlaskOIDCLogin, FlaskRequest
from pylti1p3.exception import OIDCException

from lti_app.lti.client_storage import origin_of, stored_values
from lti_app.lti.launch import LOGIN_INITIATION_PARAMS, LaunchRefused, LoginState, nonce_key, state_key
from lti_app.lti.state_store import StateStore
from lti_app.lti.tool_conf import SqlToolConf, platform_of
from lti_app.security_headers import frame_only_by

STATE_COOKIE_PREFIX = "lti1p3-"


def begin_login(
    request: FlaskRequest, tool_conf: SqlToolConf, store: StateStore, launch_url: str, ttl_seconds: int
) -> Response:
    """Answer a login initiation with the redirect to the platform's auth endpoint.

    With ``lti_storage_target`` the answer is a page that stores state and nonce in that frame of the
    platform's page, then goes to the auth endpoint (whether or not the storing worked).

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
    storage_target = request.get_param("lti_storage_target") or None
    login_state = LoginState(
        nonce=nonce,
        issuer=issuer,
        client_id=client_id,
        storage_target=storage_target,
        initiation={name: value for name in LOGIN_INITIATION_PARAMS if (value := request.get_param(name)) is not None},
    )
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

    auth_url = _with_query(auth_login_url, params)
    if storage_target is None:
        response = make_response(redirect(auth_url))
    else:
        response = make_response(
            render_template(
                "lti/storage_login.html",
                auth_url=auth_url,
                target=storage_target,
                platform_origin=origin_of(auth_login_url),
                stored=stored_values(state, nonce),
            )
        )
        # The page talks to the platform's frame, so only that platform may frame it.
        frame_only_by(response, [platform_of(registration)])
    # Binds the flow to this browser where cookies are allowed; see ``views.launch`` for where they are not.
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
