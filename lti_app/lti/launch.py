"""The id_token checks of a launch, on top of pylti1p3's message launch.

pylti1p3 2.0.0 accepts a replayed id_token within the same browser session and allows no clock leeway.
Here the nonce is consumed once in a store every worker sees, ``aud``/``azp`` follow OIDC Core, ``exp`` and
``iat`` get a configurable leeway, an unknown ``kid`` refreshes the platform's key set once, and
``target_link_uri`` must point at this tool.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
from pylti1p3.contrib.flask import FlaskCookieService, FlaskRequest, FlaskSessionService
from pylti1p3.exception import LtiException
from pylti1p3.message_launch import MessageLaunch

from lti_app.lti.claims import (
    DEEP_LINKING_REQUEST,
    DEPLOYMENT_ID,
    MESSAGE_TYPE,
    RESOURCE_LINK_REQUEST,
    TARGET_LINK_URI,
)
from lti_app.lti.platform_keys import PlatformKeyCache, PlatformKeyError
from lti_app.lti.registrations import RegisteredPlatform
from lti_app.lti.state_store import StateStore
from lti_app.lti.tool_conf import SqlToolConf, ToolRegistration, find_deployment_platform, platform_of

SUPPORTED_MESSAGE_TYPES = (RESOURCE_LINK_REQUEST, DEEP_LINKING_REQUEST)
SUPPORTED_ALGORITHMS = ("RS256", "RS384", "RS512")


class LaunchRefused(Exception):
    """A launch that must not go ahead; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


# The login initiation parameters a new-window launch sends again to restart the login top-level.
LOGIN_INITIATION_PARAMS = (
    "iss",
    "login_hint",
    "lti_message_hint",
    "target_link_uri",
    "client_id",
    "lti_deployment_id",
)


@dataclass(frozen=True)
class LoginState:
    """What the OIDC login remembered for the launch that follows it.

    ``storage_target`` is the frame the platform offered for LTI client-side storage (``lti_storage_target``),
    ``initiation`` the login initiation's own parameters, to restart the login in a new window.
    """

    nonce: str
    issuer: str
    client_id: str
    storage_target: str | None = None
    initiation: dict[str, str] = field(default_factory=dict)

    def dumps(self) -> str:
        data: dict[str, Any] = {"nonce": self.nonce, "iss": self.issuer, "client_id": self.client_id}
        if self.storage_target:
            data["storage_target"] = self.storage_target
        if self.initiation:
            data["initiation"] = self.initiation
        return json.dumps(data)

    @classmethod
    def loads(cls, raw: str) -> LoginState:
        # States written before a field existed lack it; they are read with its default.
        data = json.loads(raw)
        return cls(
            nonce=data["nonce"],
            issuer=data["iss"],
            client_id=data["client_id"],
            storage_target=data.get("storage_target") or None,
            initiation=dict(data.get("initiation") or {}),
        )


def state_key(state: str) -> str:
    return "oidc-state:" + state


def nonce_key(nonce: str) -> str:
    return "oidc-nonce:" + nonce


def consume_state_and_nonce(store: StateStore, state: str, nonce: str) -> None:
    """Use up a login's nonce and state; with the database store, in the caller's transaction.

    :raise LaunchRefused: the nonce was already used (a replayed id_token).
    """
    # Taking the nonce is the single atomic step that makes a replayed id_token fail everywhere; the state
    # goes in the same round trip.
    taken_nonce, _ = store.take_many([nonce_key(nonce), state_key(state)])
    if taken_nonce is None:
        raise LaunchRefused("The id_token has already been used (replayed nonce).", status=401)


class SecureMessageLaunch(MessageLaunch):
    """Validates one launch request; after ``validate()`` the pylti1p3 services (AGS, NRPS, deep link) work."""

    def __init__(
        self,
        request: FlaskRequest,
        tool_config: SqlToolConf,
        *,
        store: StateStore,
        key_cache: PlatformKeyCache,
        leeway_seconds: int,
        tool_base_url: str,
    ) -> None:
        super().__init__(request, tool_config, FlaskSessionService(request), FlaskCookieService(request))
        self._store = store
        self._key_cache = key_cache
        self._leeway = leeway_seconds
        self._tool_base_url = tool_base_url.rstrip("/")
        self._login_state: LoginState | None = None
        self._state_cookie_matches = False

    def _get_request_param(self, key: str) -> str:
        return self._request.get_param(key)

    @property
    def platform(self) -> RegisteredPlatform:
        """The registered platform the launch came from (after registration was validated)."""
        return platform_of(self._registration)

    def validate(self) -> SecureMessageLaunch:
        """Run every check, then consume the login's state and nonce. :raise LaunchRefused:"""
        self.check()
        try:
            self.consume_state_and_nonce()
        except LaunchRefused:
            self._validated = False
            raise
        return self

    def check(self) -> SecureMessageLaunch:
        """Run every check and consume nothing, for a launch still to be bound to the browser. :raise LaunchRefused:"""
        if self._restored:
            raise LaunchRefused("a restored launch cannot be validated again")
        self._validated = True
        try:
            self.validate_state()
            self.validate_jwt_format()
            self.validate_registration()
            self.validate_jwt_signature()
            self.validate_deployment()
            self.validate_message()
            self.validate_nonce()
        except LtiException as error:
            self._validated = False
            raise LaunchRefused(str(error)) from error
        except LaunchRefused:
            self._validated = False
            raise
        return self

    @property
    def login_state(self) -> LoginState:
        """What the login remembered (after ``check``)."""
        assert self._login_state is not None
        return self._login_state

    @property
    def state(self) -> str:
        return self._get_request_param("state")

    @property
    def state_cookie_matches(self) -> bool:
        """Whether this browser sent back the state cookie its login set (the browser binding)."""
        return self._state_cookie_matches

    def validate_state(self) -> SecureMessageLaunch:
        state = self._get_request_param("state")
        if not state:
            raise LaunchRefused("The launch has no state parameter.")
        raw = self._store.get(state_key(state))
        if raw is None:
            raise LaunchRefused(
                "The launch's state is unknown, expired or already used: start the activity again from the course."
            )
        cookie = self._cookie_service.get_cookie(state)
        # Where the browser kept our state cookie it must match; where cookies are blocked the launch
        # is bound to the browser another way (client-side storage or a new window) before it counts.
        if cookie is not None and cookie != state:
            raise LaunchRefused("The launch's state does not match this browser's login.")
        self._state_cookie_matches = cookie is not None
        self._login_state = LoginState.loads(raw)
        return self

    def get_client_id(self) -> str:
        body = self._get_jwt_body()
        audience = body.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        expected = self._login_state.client_id if self._login_state else (audiences[:1] or [""])[0]
        if expected not in audiences:
            raise LaunchRefused("The id_token's audience (aud) does not include this tool's client id.")
        azp = body.get("azp")
        if len(audiences) > 1 and azp is None:
            raise LaunchRefused("The id_token has several audiences but no authorized party (azp).")
        if azp is not None and azp != expected:
            raise LaunchRefused("The id_token's authorized party (azp) is not this tool's client id.")
        return expected

    def validate_registration(self) -> SecureMessageLaunch:
        if self._login_state and self._get_jwt_body().get("iss") != self._login_state.issuer:
            raise LaunchRefused("The id_token's issuer (iss) is not the platform that started the login.")
        super().validate_registration()
        return self

    def validate_jwt_signature(self) -> SecureMessageLaunch:
        header = self._jwt.get("header", {})
        kid, alg = header.get("kid"), header.get("alg")
        if not kid:
            raise LaunchRefused("The id_token header has no key id (kid).")
        if alg not in SUPPORTED_ALGORITHMS:
            raise LaunchRefused(f"The id_token is signed with {alg!r}; RS256, RS384 or RS512 is required.")
        registration = self._registration
        assert registration is not None
        platform = self.platform
        try:
            key = self._key_cache.signing_key(platform.key_set_url, platform.key_set, kid, alg)
            claims = jwt.decode(
                self._get_id_token(),
                key,
                algorithms=[alg],
                audience=registration.get_client_id(),
                issuer=registration.get_issuer(),
                leeway=self._leeway,
                options={"require": ["exp", "iat", "iss", "aud", "nonce"]},
            )
        except PlatformKeyError as error:
            raise LaunchRefused(str(error), status=401) from error
        except jwt.ExpiredSignatureError as error:
            raise LaunchRefused("The id_token has expired.", status=401) from error
        except jwt.ImmatureSignatureError as error:
            raise LaunchRefused("The id_token was issued in the future (iat).", status=401) from error
        except jwt.InvalidTokenError as error:
            raise LaunchRefused(f"The id_token was refused: {error}.", status=401) from error
        if claims["iat"] > time.time() + self._leeway:
            raise LaunchRefused("The id_token was issued in the future (iat).", status=401)
        return self

    def validate_deployment(self) -> SecureMessageLaunch:
        deployment_id = self._get_jwt_body().get(DEPLOYMENT_ID)
        platform = self.platform
        found = (
            find_deployment_platform(platform.issuer, platform.client_id, deployment_id)
            if isinstance(deployment_id, str) and deployment_id
            else None
        )
        if found is None:
            raise LaunchRefused("The launch's deployment is not registered with this tool (Unable to find deployment).")
        # A deployment added since the registration was cached comes with the registration read afresh.
        assert isinstance(self._registration, ToolRegistration)
        self._registration.platform = found
        return self

    def validate_message(self) -> SecureMessageLaunch:
        body = self._get_jwt_body()
        message_type = body.get(MESSAGE_TYPE)
        if message_type not in SUPPORTED_MESSAGE_TYPES:
            raise LaunchRefused(f"This tool does not handle the message type {message_type!r}.")
        super().validate_message()
        target = body.get(TARGET_LINK_URI, "")
        if not isinstance(target, str) or not (
            target == self._tool_base_url or target.startswith(self._tool_base_url + "/")
        ):
            raise LaunchRefused("The launch's target_link_uri does not point at this tool.")
        return self

    def validate_nonce(self) -> SecureMessageLaunch:
        assert self._login_state is not None
        if self._get_jwt_body().get("nonce") != self._login_state.nonce:
            raise LaunchRefused("The id_token's nonce does not belong to this login.", status=401)
        return self

    def consume_state_and_nonce(self) -> None:
        """:raise LaunchRefused: the nonce was already used."""
        consume_state_and_nonce(self._store, self.state, self.login_state.nonce)

    @property
    def claims(self) -> dict[str, Any]:
        return dict(self._get_jwt_body())
