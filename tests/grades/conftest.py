"""Grade delivery fixtures: an AGS peer, the tool registered with it, launches that carry its AGS claim."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from tests.grades.ags_peer import SCOPE_LINEITEM, SCOPE_SCORE, AgsPeer

AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"

# Short everything: timeouts, backoffs, leases. Production defaults are seconds to an hour.
FAST_GRADES = {
    "GRADE_HTTP_TIMEOUT_SECONDS": 0.3,
    "GRADE_BACKOFF_BASE_SECONDS": 0.01,
    "GRADE_BACKOFF_CAP_SECONDS": 0.05,
    "GRADE_CONCURRENCY": 4,
    "GRADE_PLATFORM_CONCURRENCY": 4,
    "GRADE_BATCH_SIZE": 20,
    "GRADE_MAX_ATTEMPTS": 6,
}


def use_fresh_dispatcher(app: Flask) -> None:
    """Drop the process's dispatcher (token memory, pool, settings) so the next one reads this test's config."""
    state = app.extensions.get("career_toolkit.grades", {})
    dispatcher = state.pop("dispatcher", None)
    if dispatcher is not None:
        dispatcher.close()


@pytest.fixture()
def grades_app(app: Flask) -> Iterator[Flask]:
    app.config.update(FAST_GRADES)
    use_fresh_dispatcher(app)
    yield app
    use_fresh_dispatcher(app)


@pytest.fixture()
def peer() -> Iterator[AgsPeer]:
    peer = AgsPeer()
    yield peer
    peer.close()


def register_tool(app: Flask, peer: AgsPeer, issuer: str = "https://lms.example.edu") -> Any:
    """Register the peer as a platform and give it our JWKS (what an admin pastes into the LMS)."""
    from lti_app import keyring
    from lti_app.extensions import db
    from lti_app.models.platform import Deployment, Platform

    keyring.ensure_active_key(app.config["SECRET_KEY"])
    peer.jwks = keyring.published_jwks()
    platform = Platform(
        name="Peer LMS",
        issuer=issuer,
        client_id=peer.client_id,
        auth_login_url=issuer + "/auth",
        auth_token_url=peer.token_url,
    )
    platform.deployments.append(Deployment(deployment_id="deployment-1"))
    db.session.add(platform)
    db.session.commit()
    return platform


@pytest.fixture()
def platform(grades_app: Flask, peer: AgsPeer) -> Any:
    return register_tool(grades_app, peer)


def make_launch(
    platform: Any,
    *,
    sub: str = "learner-1",
    line_item_url: str | None = None,
    lineitems_url: str | None = None,
    scopes: tuple[str, ...] = (SCOPE_SCORE, SCOPE_LINEITEM),
    link_id: str = "link-1",
    store_on_link: bool = False,
    commit: bool = True,
) -> Any:
    """A learner's launch session as the launch flow stores it (committed)."""
    from lti_app.extensions import db
    from lti_app.models.base import utcnow
    from lti_app.models.people import Context, LaunchSession, LtiUser, ResourceLink

    user = db.session.query(LtiUser).filter_by(issuer=platform.issuer, sub=sub).one_or_none()
    if user is None:
        user = LtiUser(issuer=platform.issuer, sub=sub)
        db.session.add(user)
    deployment = platform.deployments[0]
    context = db.session.query(Context).filter_by(deployment_pk=deployment.id, lti_context_id="course-1").one_or_none()
    if context is None:
        context = Context(platform_id=platform.id, deployment_pk=deployment.id, lti_context_id="course-1")
        db.session.add(context)
        db.session.flush()
    link = db.session.query(ResourceLink).filter_by(context_pk=context.id, lti_resource_link_id=link_id).one_or_none()
    if link is None:
        link = ResourceLink(context_pk=context.id, lti_resource_link_id=link_id, settings={})
        db.session.add(link)
    if store_on_link:
        link.line_item_url = line_item_url
    db.session.flush()
    claim: dict[str, Any] = {"scope": list(scopes)}
    if line_item_url and not store_on_link:
        claim["lineitem"] = line_item_url
    if lineitems_url:
        claim["lineitems"] = lineitems_url
    session = LaunchSession(
        id=secrets.token_urlsafe(16),
        user_id=user.id,
        platform_id=platform.id,
        deployment_pk=deployment.id,
        context_pk=context.id,
        resource_link_pk=link.id,
        role="learner",
        message_type="LtiResourceLinkRequest",
        claims={AGS_CLAIM: claim},
        expires_at=utcnow() + timedelta(hours=1),
    )
    db.session.add(session)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return session


def drain(app: Flask, wait: float = 5.0) -> Any:
    from lti_app.grades.dispatch import get_dispatcher

    return get_dispatcher(app).drain(wait_for_deferred=wait)
