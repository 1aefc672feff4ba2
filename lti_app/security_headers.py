"""Headers for pages shown inside LMS iframes: only registered platforms may frame the tool."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from urllib.parse import urlsplit

from flask import Flask, Response
from sqlalchemy import select

from lti_app.extensions import db
from lti_app.models.platform import Platform


class FramingPlatform(Protocol):
    """What the frame-ancestors rule reads of a platform (a ``Platform`` row or a cached registration)."""

    @property
    def issuer(self) -> str: ...

    @property
    def auth_login_url(self) -> str: ...


def platform_origins(platforms: Sequence[FramingPlatform] | None = None) -> list[str]:
    """Origins of the platforms' issuers and login endpoints (the LMS pages that frame us); all when None."""
    rows = (
        [(p.issuer, p.auth_login_url) for p in platforms]
        if platforms is not None
        else db.session.execute(select(Platform.issuer, Platform.auth_login_url)).all()
    )
    origins: set[str] = set()
    for issuer, login_url in rows:
        for url in (issuer, login_url):
            parts = urlsplit(url or "")
            if parts.scheme in ("http", "https") and parts.netloc:
                origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)


def frame_only_by(response: Response, platforms: Sequence[FramingPlatform]) -> Response:
    """Let only these platforms (and the tool itself) frame ``response``: a launched page names its own LMS."""
    response.headers["Content-Security-Policy"] = content_security_policy(platform_origins(platforms))
    return response


def content_security_policy(frame_ancestors: list[str]) -> str:
    ancestors = " ".join(["'self'", *frame_ancestors])
    return (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        f"form-action *; base-uri 'none'; object-src 'none'; frame-ancestors {ancestors}"
    )


def init_app(app: Flask) -> None:
    @app.after_request
    def add_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        framed = response.mimetype == "text/html" and not 300 <= response.status_code < 400
        if framed and "Content-Security-Policy" not in response.headers:
            # Launched pages set their own policy naming just the launching platform; others allow all.
            try:
                origins = platform_origins()
            except Exception:  # the schema may not exist yet (before `db upgrade`)
                db.session.rollback()
                origins = []
            response.headers["Content-Security-Policy"] = content_security_policy(origins)
        return response
