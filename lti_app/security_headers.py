"""Headers for pages shown inside LMS iframes: only registered platforms may frame the tool."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response
from sqlalchemy import select

from lti_app.extensions import db
from lti_app.models.platform import Platform


def platform_origins() -> list[str]:
    """Origins of every registered platform's login endpoint and issuer (the LMS pages that frame us)."""
    origins: set[str] = set()
    for issuer, login_url in db.session.execute(select(Platform.issuer, Platform.auth_login_url)):
        for url in (issuer, login_url):
            parts = urlsplit(url or "")
            if parts.scheme in ("http", "https") and parts.netloc:
                origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)


def init_app(app: Flask) -> None:
    @app.after_request
    def add_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if response.mimetype == "text/html" and "Content-Security-Policy" not in response.headers:
            try:
                ancestors = " ".join(["'self'", *platform_origins()])
            except Exception:  # the schema may not exist yet (before `db upgrade`)
                db.session.rollback()
                ancestors = "'self'"
            response.headers["Content-Security-Policy"] = (
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                f"form-action *; base-uri 'none'; object-src 'none'; frame-ancestors {ancestors}"
            )
        return response
