"""LTI Dynamic Registration 1.0: read the platform's OpenID configuration, register the tool there, keep the
platform it answers with. Every refusal is a ``RegistrationRefused`` and leaves the database as it was."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import jwt
import requests
import urllib3
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.platform import Platform
from lti_app.models.state import ExpiringValue
from lti_app.platforms import PlatformError, PlatformRegistration, add_deployment, add_platform

PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri", "registration_endpoint")
# Plain http is accepted on the loopback interface only: the tests and the bundled demo LMS.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_DOCUMENT_BYTES = 256 * 1024
TOKEN_KEY_PREFIX = "lti-registration-token:"  # noqa: S105  (a key prefix, not a secret)
# How long a used registration token is remembered when it carries no expiry of its own.
USED_TOKEN_TTL_SECONDS = 30 * 24 * 3600


class RegistrationRefused(Exception):
    """Why the registration did not happen, in words an LMS administrator can act on."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class PlatformConfiguration:
    """The parts of a platform's OpenID configuration the tool needs."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    registration_endpoint: str
    authorization_server: str | None = None
    product_family_code: str | None = None
    version: str | None = None


@dataclass(frozen=True)
class ToolDetails:
    """What the tool tells the platform about itself (see ``lti.views.registration_details``)."""

    title: str
    description: str
    login_url: str
    launch_url: str
    jwks_url: str
    claims: list[str]
    scopes: list[str]
    logo_url: str | None = None


@dataclass(frozen=True)
class RegistrationResult:
    platform_pk: int
    name: str
    issuer: str
    client_id: str
    deployment_id: str
    new_platform: bool
    scopes: list[str] = field(default_factory=list)


def is_allowed_url(url: str) -> bool:
    """https, or http on the loopback interface; a host is required and no credentials are allowed."""
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        parts.port  # noqa: B018  (raises ValueError for a malformed port)
    except ValueError:
        return False
    if not hostname or parts.username or parts.password or any(char.isspace() for char in url):
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and hostname in LOCAL_HOSTS)


def _host(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, parts.hostname, parts.port or default


def validate_platform_configuration(configuration_url: str, document: Any) -> PlatformConfiguration:
    """Check an OpenID configuration against the URL it came from. :raise RegistrationRefused: what is wrong."""
    if not isinstance(document, dict):
        raise RegistrationRefused("The platform's OpenID configuration is not a JSON object.")
    issuer = document.get("issuer")
    if not isinstance(issuer, str) or not issuer:
        raise RegistrationRefused("The platform's OpenID configuration has no issuer.")
    if not is_allowed_url(issuer):
        raise RegistrationRefused(
            f"The platform's issuer {issuer!r} must be an https URL (plain http is accepted for localhost only)."
        )
    parts = urlsplit(issuer)
    if parts.query or parts.fragment:
        raise RegistrationRefused(f"The platform's issuer {issuer!r} must not have a query or fragment.")
    if _host(configuration_url) != _host(issuer):
        raise RegistrationRefused(
            f"The OpenID configuration URL {configuration_url!r} is not on the issuer's host ({issuer!r})."
        )
    missing = [name for name in REQUIRED_ENDPOINTS if not document.get(name)]
    if missing:
        raise RegistrationRefused(
            "The platform's OpenID configuration lacks " + ", ".join(missing) + "; it cannot register tools."
        )
    for name in REQUIRED_ENDPOINTS:
        value = document[name]
        if not isinstance(value, str) or not is_allowed_url(value):
            raise RegistrationRefused(f"The platform's {name} {value!r} must be an https URL.")
    platform_claim = document.get(PLATFORM_CONFIGURATION)
    if not isinstance(platform_claim, dict):
        raise RegistrationRefused(
            f"The platform's OpenID configuration has no {PLATFORM_CONFIGURATION} claim: it is not an LTI platform."
        )
    audience = document.get("authorization_server") or platform_claim.get("authorization_server")
    return PlatformConfiguration(
        issuer=issuer,
        authorization_endpoint=document["authorization_endpoint"],
        token_endpoint=document["token_endpoint"],
        jwks_uri=document["jwks_uri"],
        registration_endpoint=document["registration_endpoint"],
        authorization_server=audience if isinstance(audience, str) and audience else None,
        product_family_code=_text(platform_claim.get("product_family_code")),
        version=_text(platform_claim.get("version")),
    )


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int | float) and str(value) else None


def fetch_platform_configuration(
    configuration_url: str, registration_token: str | None, timeout: float
) -> PlatformConfiguration:
    """GET and validate the platform's OpenID configuration. :raise RegistrationRefused:"""
    if not configuration_url:
        raise RegistrationRefused(
            "The openid_configuration parameter is missing: start the registration from the platform "
            "(for Moodle: Site administration > Plugins > Manage tools > Tool URL)."
        )
    if not is_allowed_url(configuration_url):
        raise RegistrationRefused(
            f"The OpenID configuration URL {configuration_url!r} must be an https URL "
            "(plain http is accepted for localhost only)."
        )
    headers = {"Accept": "application/json"}
    if registration_token:
        # Canvas requires the registration token here too; it only goes to the URL it came with.
        headers["Authorization"] = f"Bearer {registration_token}"
    response = _http("GET", configuration_url, timeout, headers=headers)
    if response.status_code != 200:
        raise RegistrationRefused(
            f"The platform's OpenID configuration could not be read: {configuration_url} answered "
            f"{response.status_code}."
        )
    return validate_platform_configuration(configuration_url, _json(response, "OpenID configuration"))


def tool_registration_request(tool: ToolDetails) -> dict[str, Any]:
    """The OpenID Connect client registration the tool posts, with its LTI tool configuration."""
    launch = urlsplit(tool.launch_url)
    default_port = {"http": 80, "https": 443}.get(launch.scheme)
    # Moodle compares the domain with the target link URI's host, port included when it is not the default.
    domain = (launch.hostname or "") + (f":{launch.port}" if launch.port and launch.port != default_port else "")
    request: dict[str, Any] = {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": tool.login_url,
        "redirect_uris": [tool.launch_url],
        "client_name": tool.title,
        "jwks_uri": tool.jwks_url,
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(tool.scopes),
        TOOL_CONFIGURATION: {
            "domain": domain,
            "target_link_uri": tool.launch_url,
            "claims": list(tool.claims),
            "messages": [
                {"type": "LtiResourceLinkRequest", "target_link_uri": tool.launch_url, "label": tool.title},
                {
                    "type": "LtiDeepLinkingRequest",
                    "target_link_uri": tool.launch_url,
                    "label": f"Add a {tool.title} activity",
                },
            ],
            "description": tool.description,
        },
    }
    if tool.logo_url:
        request["logo_uri"] = tool.logo_url
    return request


def post_registration(
    configuration: PlatformConfiguration, body: dict[str, Any], registration_token: str | None, timeout: float
) -> tuple[str, str]:
    """POST the registration; the client id and deployment id the platform assigned. :raise RegistrationRefused:"""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if registration_token:
        headers["Authorization"] = f"Bearer {registration_token}"
    response = _http("POST", configuration.registration_endpoint, timeout, headers=headers, data=json.dumps(body))
    if response.status_code not in (200, 201):
        detail = _error_detail(response)
        raise RegistrationRefused(
            f"The platform refused the registration ({response.status_code}{': ' + detail if detail else ''})."
        )
    answer = _json(response, "registration response")
    if not isinstance(answer, dict):
        raise RegistrationRefused("The platform's registration response is not a JSON object.")
    client_id = answer.get("client_id")
    if not isinstance(client_id, str | int) or not str(client_id).strip():
        raise RegistrationRefused("The platform's registration response has no client_id.")
    tool_configuration = answer.get(TOOL_CONFIGURATION)
    deployment_id = tool_configuration.get("deployment_id") if isinstance(tool_configuration, dict) else None
    if not isinstance(deployment_id, str | int) or not str(deployment_id).strip():
        raise RegistrationRefused(
            "The platform registered the tool but named no deployment id; add the platform with "
            "`career-toolkit platforms add` and the deployment id the platform shows."
        )
    return str(client_id).strip(), str(deployment_id).strip()


def _http(method: str, url: str, timeout: float, **kwargs: Any) -> requests.Response:
    try:
        # No redirects: every URL followed here has been checked, a redirect target would not be.
        response = requests.request(method, url, timeout=timeout, allow_redirects=False, stream=True, **kwargs)
        with response:
            body = response.raw.read(MAX_DOCUMENT_BYTES + 1, decode_content=True)
    except (requests.RequestException, urllib3.exceptions.HTTPError) as error:
        raise RegistrationRefused(f"The platform could not be reached at {url}: {error}") from error
    if len(body) > MAX_DOCUMENT_BYTES:
        raise RegistrationRefused(f"The platform's answer from {url} is too large.")
    response._content = body
    return response


def _json(response: requests.Response, what: str) -> Any:
    try:
        return json.loads(response.content)
    except ValueError as error:
        raise RegistrationRefused(f"The platform's {what} is not JSON.") from error


def _error_detail(response: requests.Response) -> str:
    try:
        body = json.loads(response.content)
    except ValueError:
        return ""
    if isinstance(body, dict):
        return " ".join(str(body[key]) for key in ("error", "error_description") if body.get(key))[:300]
    return ""


# A registration token is good for one registration: its hash is remembered in ``expiring_value``.


def token_key(registration_token: str) -> str:
    return TOKEN_KEY_PREFIX + hashlib.sha256(registration_token.encode()).hexdigest()


def token_was_used(registration_token: str) -> bool:
    expires_at = db.session.scalar(
        select(ExpiringValue.expires_at).where(ExpiringValue.key == token_key(registration_token))
    )
    return expires_at is not None and expires_at >= utcnow()


def claim_token(registration_token: str) -> bool:
    """Mark the token used; ``False`` when another registration already did (the primary key arbitrates)."""
    key = token_key(registration_token)
    now = utcnow()
    db.session.execute(delete(ExpiringValue).where(ExpiringValue.key == key, ExpiringValue.expires_at < now))
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    claimed = db.session.execute(
        insert(ExpiringValue)
        .values(key=key, value="used", expires_at=now + timedelta(seconds=_token_ttl(registration_token)))
        .on_conflict_do_nothing()
        .returning(ExpiringValue.key)
    ).first()
    db.session.commit()
    return claimed is not None


def release_token(registration_token: str) -> None:
    """Forget a claim whose registration failed, so nothing of the attempt stays behind."""
    db.session.rollback()
    db.session.execute(delete(ExpiringValue).where(ExpiringValue.key == token_key(registration_token)))
    db.session.commit()


def _token_ttl(registration_token: str) -> int:
    """Until a day after the token's own expiry when it is a JWT with one (Moodle's and Canvas's are)."""
    try:
        expiry = jwt.decode(registration_token, options={"verify_signature": False}).get("exp")
    except jwt.PyJWTError:
        expiry = None
    if isinstance(expiry, int | float):
        remaining = int(expiry - time.time())
        return max(remaining, 0) + 24 * 3600
    return USED_TOKEN_TTL_SECONDS


def parse_allowed_issuers(setting: str | None) -> frozenset[str]:
    """The ``REGISTRATION_ALLOWED_ISSUERS`` setting (issuers separated by spaces or commas); empty: any."""
    return frozenset(issuer.rstrip("/") for issuer in (setting or "").replace(",", " ").split())


def check_issuer_allowed(allowed: frozenset[str], *, configuration_url: str = "", issuer: str = "") -> None:
    """:raise RegistrationRefused 403: the configuration URL is on no allowed issuer's host, or the issuer is
    not one of them. Checked on the URL before anything is fetched, so a refused platform is never contacted."""
    if not allowed:
        return
    if configuration_url and not any(_host(configuration_url) == _host(known) for known in allowed):
        raise RegistrationRefused(
            f"Dynamic Registration is not open to {urlsplit(configuration_url).netloc!r}: ask the tool's "
            "administrator to add the platform's issuer to CAREER_TOOLKIT_REGISTRATION_ALLOWED_ISSUERS.",
            status=403,
        )
    if issuer and issuer.rstrip("/") not in allowed:
        raise RegistrationRefused(
            f"Dynamic Registration is not open to the issuer {issuer!r}: ask the tool's administrator to add it "
            "to CAREER_TOOLKIT_REGISTRATION_ALLOWED_ISSUERS.",
            status=403,
        )


def register(
    configuration_url: str,
    registration_token: str | None,
    tool: ToolDetails,
    *,
    timeout: float = 10,
    allowed_issuers: frozenset[str] = frozenset(),
) -> RegistrationResult:
    """Run the whole registration; ``allowed_issuers`` empty admits any issuer.

    :raise RegistrationRefused: nothing is written (a claimed token is released).
    """
    check_issuer_allowed(allowed_issuers, configuration_url=configuration_url)
    if registration_token and token_was_used(registration_token):
        raise RegistrationRefused("This registration token has already been used; start a new registration.")
    configuration = fetch_platform_configuration(configuration_url, registration_token, timeout)
    check_issuer_allowed(allowed_issuers, issuer=configuration.issuer)
    if registration_token and not claim_token(registration_token):
        raise RegistrationRefused("This registration token has already been used; start a new registration.")
    try:
        client_id, deployment_id = post_registration(
            configuration, tool_registration_request(tool), registration_token, timeout
        )
        return _store(configuration, client_id, deployment_id, tool.scopes)
    except BaseException:
        if registration_token:
            release_token(registration_token)
        raise


def _store(
    configuration: PlatformConfiguration, client_id: str, deployment_id: str, scopes: list[str]
) -> RegistrationResult:
    existing = db.session.scalars(
        select(Platform).where(Platform.issuer == configuration.issuer, Platform.client_id == client_id)
    ).first()
    if existing is not None:
        if deployment_id not in existing.deployment_ids:
            try:
                add_deployment(existing, deployment_id)
            except IntegrityError:  # a concurrent registration added the same deployment
                db.session.rollback()
            # The session keeps objects across commits: reload the collection the new row belongs to.
            db.session.expire(existing, ["deployments"])
        platform, new_platform = existing, False
    else:
        try:
            platform = add_platform(
                PlatformRegistration(
                    name=platform_name(configuration),
                    issuer=configuration.issuer,
                    client_id=client_id,
                    auth_login_url=configuration.authorization_endpoint,
                    auth_token_url=configuration.token_endpoint,
                    key_set_url=configuration.jwks_uri,
                    auth_audience=configuration.authorization_server,
                    deployment_ids=[deployment_id],
                )
            )
        except PlatformError as error:
            raise RegistrationRefused(f"The platform's registration could not be stored: {error}") from error
        new_platform = True
    return RegistrationResult(
        platform_pk=platform.id,
        name=platform.name,
        issuer=platform.issuer,
        client_id=platform.client_id,
        deployment_id=deployment_id,
        new_platform=new_platform,
        scopes=scopes,
    )


def platform_name(configuration: PlatformConfiguration) -> str:
    """A name an admin recognises: the product (``moodle``) and the issuer's host."""
    product = configuration.product_family_code or "LMS"
    host = urlsplit(configuration.issuer).netloc
    return f"{product} ({host})"[:200]
