"""Who is calling: the launch session behind the ``Authorization: Bearer`` token."""

from __future__ import annotations

from flask import g, request
from flask_smorest import abort

from lti_app.launch_tokens import InvalidLaunchToken, session_for_token
from lti_app.models.people import LaunchSession


def current_launch() -> LaunchSession:
    """The caller's launch session. :raise 401: no token, or a bad or expired one."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        abort(401, message="Send the launch token as 'Authorization: Bearer <token>'.")
    # Cached with its token: ``g`` outlives a request when an app context was already pushed (tests, CLI).
    cached: tuple[str, LaunchSession] | None = g.get("launch_session")
    if cached is not None and cached[0] == token.strip():
        return cached[1]
    try:
        session = session_for_token(token.strip())
    except InvalidLaunchToken as error:
        abort(401, message=str(error))
    g.launch_session = (token.strip(), session)
    return session
