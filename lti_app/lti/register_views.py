"""``/lti/register``: the LTI Dynamic Registration endpoint a platform opens in a frame or a window."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, make_response, render_template, request

from lti_app.lti import dynamic_registration
from lti_app.lti.dynamic_registration import RegistrationRefused, ToolDetails
from lti_app.lti.views import registration_details
from lti_app.security_headers import platform_origins

bp = Blueprint("lti_register", __name__)


def tool_details() -> ToolDetails:
    details = registration_details()
    return ToolDetails(
        title=details["title"],
        description=details["description"],
        login_url=details["oidc_initiation_url"],
        launch_url=details["target_link_uri"],
        jwks_url=details["jwks_url"],
        claims=list(details["claims"]),
        scopes=list(details["scopes"]),
        logo_url=current_app.config.get("LOGO_URL") or None,
    )


@bp.get("/lti/register")
def register() -> Response:
    """Register the platform that sent us here. :raise 400: any failure; nothing is stored."""
    configuration_url = request.args.get("openid_configuration", "").strip()
    registration_token = request.args.get("registration_token", "").strip() or None
    try:
        result = dynamic_registration.register(
            configuration_url,
            registration_token,
            tool_details(),
            timeout=float(current_app.config.get("HTTP_TIMEOUT_SECONDS") or 10),
            allowed_issuers=dynamic_registration.parse_allowed_issuers(
                current_app.config.get("REGISTRATION_ALLOWED_ISSUERS")
            ),
        )
    except RegistrationRefused as error:
        current_app.logger.info("dynamic registration refused (%s): %s", configuration_url, error.message)
        page = render_template("registration/error.html", message=error.message)
        return _framable_by(make_response(page, error.status), configuration_url)
    current_app.logger.info(
        "dynamic registration: platform %s (%s, client id %s), deployment %s",
        result.platform_pk,
        result.issuer,
        result.client_id,
        result.deployment_id,
    )
    return _framable_by(
        make_response(render_template("registration/registered.html", result=result)), configuration_url
    )


def _framable_by(response: Response, configuration_url: str) -> Response:
    """The platform opening the registration is not registered yet (or its registration just failed), so the
    usual frame-ancestors (registered platforms only) would hide this page: admit the requesting platform."""
    origins = {"'self'", *platform_origins()}
    parts = urlsplit(configuration_url)
    if dynamic_registration.is_allowed_url(configuration_url):
        origins.add(f"{parts.scheme}://{parts.netloc}")
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        f"form-action *; base-uri 'none'; object-src 'none'; frame-ancestors {' '.join(sorted(origins))}"
    )
    response.headers["Cache-Control"] = "no-store"
    return response
