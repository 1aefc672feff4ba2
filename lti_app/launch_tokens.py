"""The bearer token a launched page uses for its API calls: a signed, expiring pointer to a launch session.

The page carries it in ``<meta name="api-token">``, so nothing after the launch needs a third-party cookie.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.people import LaunchSession

_SALT = "career-toolkit/launch-token"


class InvalidLaunchToken(Exception):
    """The token is missing, forged, expired or its launch session is gone."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def issue_token(session: LaunchSession) -> str:
    return _serializer().dumps(session.id)


def session_for_token(token: str) -> LaunchSession:
    """The launch session a token stands for. :raise InvalidLaunchToken:"""
    try:
        session_id = _serializer().loads(token, max_age=current_app.config["LAUNCH_TOKEN_TTL_SECONDS"])
    except BadSignature as error:
        raise InvalidLaunchToken("the launch token is invalid or has expired") from error
    session = db.session.get(LaunchSession, session_id)
    if session is None or session.expires_at < utcnow():
        raise InvalidLaunchToken("the launch session has ended; launch the activity again")
    return session
