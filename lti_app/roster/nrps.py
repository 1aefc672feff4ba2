"""A Names and Role Provisioning Services 2.0 client: a context's whole membership, every page, URLs verbatim.

pylti1p3 2.0.0 lower-cases the ``Link`` header before reading the next page's URL, which breaks platforms
whose paging URLs carry mixed-case paths or signed query strings; this client parses the header itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import requests

if TYPE_CHECKING:
    from lti_app.models.platform import Platform

MEMBERSHIP_MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
MEMBERSHIP_ROLE_PREFIX = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
# A platform that links a page to itself (or pages forever) must not keep a worker busy.
MAX_PAGES = 500

TokenFor = Callable[["Platform", Sequence[str]], str]
"""``token_for(platform, scopes) -> access token``: the OAuth 2 client-credentials token for those scopes."""

TokenRenewer = Callable[["Platform", Sequence[str], str], str]
"""``renew(platform, scopes, rejected_token) -> new access token``, called once when the platform answers 401."""


class RosterUnavailable(Exception):
    """The platform did not hand over the membership; ``status`` is its HTTP status when it answered."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class NrpsMember:
    """One member as the platform describes it; roles are full LIS role URIs."""

    user_id: str
    name: str | None
    email: str | None
    roles: tuple[str, ...]
    status: str


def parse_link_header(value: str) -> list[tuple[str, dict[str, str]]]:
    """RFC 8288 ``Link`` values as ``(target, params)``, target byte-for-byte as sent.

    Copes with several links in one header (or repeated headers joined with commas), quoted and bare
    parameter values, commas and semicolons inside ``<...>`` and inside quoted strings. Parameter names are
    lower-cased; targets and values are not.
    """
    links: list[tuple[str, dict[str, str]]] = []
    length = len(value)
    index = 0
    while index < length:
        start = value.find("<", index)
        if start < 0:
            break
        end = value.find(">", start + 1)
        if end < 0:
            break
        target = value[start + 1 : end].strip()
        index = end + 1
        params: dict[str, str] = {}
        while True:
            index = _skip_spaces(value, index)
            if index >= length or value[index] != ";":
                break
            index = _skip_spaces(value, index + 1)
            name_start = index
            while index < length and value[index] not in "=;, \t":
                index += 1
            name = value[name_start:index].lower()
            index = _skip_spaces(value, index)
            parameter = ""
            if index < length and value[index] == "=":
                index = _skip_spaces(value, index + 1)
                parameter, index = _parameter_value(value, index)
            if name and name not in params:  # RFC 8288: only the first occurrence of a parameter counts
                params[name] = parameter
        links.append((target, params))
        # Anything up to the next top-level comma is junk we cannot read; skip it, but not past a quote.
        while index < length and value[index] != ",":
            if value[index] == '"':
                _, index = _parameter_value(value, index)
            else:
                index += 1
    return links


def _skip_spaces(value: str, index: int) -> int:
    while index < len(value) and value[index] in " \t":
        index += 1
    return index


def _parameter_value(value: str, index: int) -> tuple[str, int]:
    """A quoted-string (with backslash escapes) or a token, and the index after it."""
    length = len(value)
    if index < length and value[index] == '"':
        index += 1
        chars: list[str] = []
        while index < length and value[index] != '"':
            if value[index] == "\\" and index + 1 < length:
                index += 1
            chars.append(value[index])
            index += 1
        return "".join(chars), index + 1
    start = index
    while index < length and value[index] not in ";,":
        index += 1
    return value[start:index].strip(), index


def next_page_url(link_header: str | None, current_url: str) -> str | None:
    """The ``rel="next"`` target, resolved against the page it came from; ``None`` on the last page."""
    for target, params in parse_link_header(link_header or ""):
        relations = params.get("rel", "").lower().split()
        if "next" in relations and target:
            return urljoin(current_url, target)
    return None


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def full_role(role: str) -> str:
    """NRPS allows short context roles (``Instructor``); expand them to the LIS membership URI."""
    return role if ":" in role else MEMBERSHIP_ROLE_PREFIX + role


def parse_member(raw: Any) -> NrpsMember | None:
    """A member entry, or ``None`` for entries without a user id and for ``Deleted`` ones."""
    if not isinstance(raw, dict) or raw.get("user_id") in (None, ""):
        return None
    status = str(raw.get("status") or "Active").capitalize()
    if status == "Deleted":
        return None
    name = raw.get("name") or " ".join(str(raw[part]) for part in ("given_name", "family_name") if raw.get(part))
    roles = tuple(full_role(role) for role in raw.get("roles") or [] if isinstance(role, str) and role)
    email = raw.get("email")
    return NrpsMember(
        user_id=str(raw["user_id"]),
        name=str(name)[:255] if name else None,
        email=str(email)[:320] if email else None,
        roles=roles,
        status="Inactive" if status == "Inactive" else "Active",
    )


def _shared_tokens() -> Any:
    """The access-token cache of the grade-sync module, one per app (its database rows are shared by all)."""
    from flask import current_app

    from lti_app.grades.tokens import TokenCache

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    cache = app.extensions.get("career_toolkit_nrps_tokens")
    if cache is None:
        cache = app.extensions["career_toolkit_nrps_tokens"] = TokenCache(
            app, timeout=float(app.config.get("HTTP_TIMEOUT_SECONDS") or 10)
        )
    return cache


def default_token_for(platform: Platform, scopes: Sequence[str]) -> str:
    """The shared client-credentials token (``lti_app.grades.tokens``), one per platform and scope set."""
    from lti_app.grades.tokens import PlatformCredentials

    return str(_shared_tokens().get(PlatformCredentials.of(platform), frozenset(scopes)))


def default_renew_token(platform: Platform, scopes: Sequence[str], rejected: str) -> str:
    """Drop a token the platform refused (for every process) and fetch a new one."""
    from lti_app.grades.tokens import PlatformCredentials

    credentials = PlatformCredentials.of(platform)
    _shared_tokens().invalidate(credentials, frozenset(scopes), rejected)
    return str(_shared_tokens().get(credentials, frozenset(scopes)))


def fetch_members(
    platform: Platform,
    memberships_url: str,
    *,
    token_for: TokenFor | None = None,
    renew_token: TokenRenewer | None = None,
    timeout: float = 10,
    max_pages: int = MAX_PAGES,
) -> list[NrpsMember]:
    """Every member of the context, following ``rel="next"`` links. :raise RosterUnavailable: on any failure.

    The bearer token only goes to the memberships URL's own origin: a ``next`` link elsewhere is refused.
    """
    if token_for is None:
        token_for, renew_token = default_token_for, renew_token or default_renew_token
    scopes = [NRPS_SCOPE]
    token = _token(partial(token_for, platform, scopes))
    origin = _origin(memberships_url)
    members: dict[str, NrpsMember] = {}
    seen: set[str] = set()
    url: str | None = memberships_url
    while url is not None:
        if url in seen:
            raise RosterUnavailable(f"the membership pages link back to {url}")
        if len(seen) >= max_pages:
            raise RosterUnavailable(f"the membership has more than {max_pages} pages")
        if _origin(url) != origin:
            raise RosterUnavailable(f"the next membership page {url} is not on the platform's host")
        seen.add(url)
        response = _get(url, token, timeout)
        if response.status_code == 401 and renew_token is not None:
            # Renewed once: a second 401 is the platform's answer, not a stale token.
            token = _token(partial(renew_token, platform, scopes, token))
            response = _get(url, token, timeout)
            renew_token = None
        if response.status_code != 200:
            raise RosterUnavailable(_refusal(response), response.status_code)
        try:
            body = response.json()
        except ValueError as error:
            raise RosterUnavailable(f"the membership page {url} is not JSON") from error
        raw_members = body.get("members") if isinstance(body, dict) else None
        if not isinstance(raw_members, list):
            raise RosterUnavailable(f"the membership page {url} has no members list")
        for raw in raw_members:
            member = parse_member(raw)
            if member is not None:
                members[member.user_id] = member
        url = next_page_url(response.headers.get("Link"), response.url or url)
    return list(members.values())


def _token(get_token: Callable[[], str]) -> str:
    try:
        return get_token()
    except Exception as error:  # whatever the token endpoint did, the roster falls back; never a crash
        raise RosterUnavailable(f"no access token for the membership service: {error}") from error


def _get(url: str, token: str, timeout: float) -> requests.Response:
    try:
        return requests.get(
            url,
            headers={"Accept": MEMBERSHIP_MEDIA_TYPE, "Authorization": f"Bearer {token}"},
            timeout=timeout,
        )
    except requests.RequestException as error:
        raise RosterUnavailable(f"the membership service could not be reached: {error}") from error


def _refusal(response: requests.Response) -> str:
    if response.status_code == 403:
        return (
            "the platform refused the membership request (403): the tool may not have been granted the "
            "Names and Role Provisioning scope"
        )
    if response.status_code == 401:
        return "the platform did not accept the access token (401)"
    return f"the membership service answered {response.status_code}"
