"""Fixtures for roster tests: a platform with an NRPS peer, and one of its courses as the tool knows it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from lti_app import keyring
from lti_app.extensions import db
from lti_app.models import Context, LtiUser, Membership, Platform
from lti_app.platforms import PlatformRegistration, add_platform
from tests.roster.nrps_peer import ROLE, NrpsPeer


@pytest.fixture()
def nrps(app: Flask) -> Iterator[NrpsPeer]:
    keyring.ensure_active_key(app.config["SECRET_KEY"])
    # The shared token cache lives on the app; a previous test's tokens must not leak into this one.
    app.extensions.pop("career_toolkit_nrps_tokens", None)
    peer = NrpsPeer(keyring.published_jwks())
    yield peer
    peer.close()
    app.extensions.pop("career_toolkit_nrps_tokens", None)


@pytest.fixture()
def platform(nrps: NrpsPeer) -> Platform:
    return add_platform(
        PlatformRegistration(
            name="NRPS LMS",
            issuer="https://lms.example.edu",
            client_id=nrps.client_id,
            auth_login_url="https://lms.example.edu/auth",
            auth_token_url=nrps.token_url,
            key_set_url="https://lms.example.edu/jwks",
            deployment_ids=["deployment-1"],
        )
    )


@pytest.fixture()
def course(platform: Platform, nrps: NrpsPeer) -> Context:
    """A course offering NRPS, where one learner and one teacher have launched already."""
    context = Context(
        platform_id=platform.id,
        deployment_pk=platform.deployments[0].id,
        lti_context_id="course-1",
        title="Career Design 101",
        memberships_url=nrps.memberships_url,
    )
    db.session.add(context)
    db.session.flush()
    add_launch(context, "learner-1", "Ada Learner", "learner", [ROLE + "Learner"])
    add_launch(context, "teacher-1", "Grace Teacher", "instructor", [ROLE + "Instructor"])
    db.session.commit()
    return context


def add_launch(context: Context, sub: str, name: str | None, role: str, lti_roles: list[str]) -> LtiUser:
    user = LtiUser(issuer=context.platform.issuer, sub=sub, name=name)
    db.session.add(user)
    db.session.flush()
    db.session.add(Membership(user_id=user.id, context_pk=context.id, role=role, lti_roles=lti_roles))
    return user
