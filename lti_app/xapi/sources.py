"""xAPI sources: who may send statements, for which platform's learners, with which HTTP Basic credentials."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.platform import Platform
from lti_app.models.xapi import XapiSource
from lti_app.platforms import find_platform

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$")


class SourceError(ValueError):
    """The source could not be added or found; the message says why."""


@dataclass(frozen=True)
class NewSource:
    """A source just added, with the only copy of its secret there will ever be."""

    source: XapiSource
    secret: str


def add_source(name: str, platform_reference: str) -> NewSource:
    """Register a source bound to one platform (by issuer, name or id). Commits.

    :raise SourceError: a bad or taken name, or no single platform matching the reference.
    """
    name = name.strip()
    if not _NAME.match(name):
        raise SourceError("NAME: 1 to 100 letters, digits, spaces, dots, dashes or underscores")
    platform = find_platform(platform_reference)
    if platform is None:
        raise SourceError(
            f"--platform: no single platform matches {platform_reference!r}; see `career-toolkit platforms list`"
        )
    if db.session.scalars(select(XapiSource).filter_by(name=name)).first() is not None:
        raise SourceError(f"NAME: a source named {name!r} exists; remove it first to issue new credentials")
    secret = secrets.token_urlsafe(32)
    source = XapiSource(name=name, platform_id=platform.id, key=secrets.token_hex(16), secret_hash=_digest(secret))
    db.session.add(source)
    db.session.commit()
    return NewSource(source, secret)


def list_sources() -> list[XapiSource]:
    return list(db.session.scalars(select(XapiSource).order_by(XapiSource.id)))


def remove_source(name: str) -> str:
    """Remove a source; its statements and the evidence they gave stay. Commits. Returns the name.

    :raise SourceError: no source with that name.
    """
    source = db.session.scalars(select(XapiSource).filter_by(name=name)).first()
    if source is None:
        raise SourceError(f"no source named {name!r}; see `career-toolkit sources list`")
    db.session.delete(source)
    db.session.commit()
    return name


def authenticate(authorization: str | None) -> XapiSource | None:
    """The source whose key and secret the ``Authorization: Basic ...`` header carries, else None."""
    if not authorization or not authorization.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    key, _, secret = decoded.partition(":")
    source = db.session.scalars(select(XapiSource).filter_by(key=key)).first() if key and secret else None
    # Compare even when the key is unknown, so the answer takes as long either way.
    expected = source.secret_hash if source is not None else _digest("")
    if not hmac.compare_digest(expected, _digest(secret)) or source is None:
        return None
    source.last_used_at = utcnow()
    return source


def platform_of(source: XapiSource) -> Platform:
    return source.platform


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
