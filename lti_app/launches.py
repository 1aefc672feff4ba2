"""Turn a validated launch into records: who launched, from which course and placement, with what rights."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from lti_app.extensions import db
from lti_app.lti import claims as c
from lti_app.lti.roles import toolkit_role
from lti_app.models.base import utcnow
from lti_app.models.people import Context, LaunchSession, LtiUser, Membership, ResourceLink
from lti_app.models.platform import Platform
from lti_app.upsert import get_or_create

# "Last seen" times are for admins' eyes; refreshing them at most this often saves a write per launch.
LAST_SEEN_RESOLUTION = timedelta(minutes=10)
COMPONENT_KINDS = ("self_assessment", "career_path", "development_plan", "reflection")
# Claims services need later; the rest of the id_token (names, emails) is not kept with the session.
_KEPT_CLAIMS = (c.MESSAGE_TYPE, c.DEEP_LINKING_SETTINGS, c.AGS_ENDPOINT, c.NRPS, c.CUSTOM, c.RESOURCE_LINK)


def record_launch(claims: dict[str, Any], platform: Platform, ttl_seconds: int) -> LaunchSession:
    """Upsert user, context, resource link and membership; open a launch session. Commits."""
    now = utcnow()
    deployment = next(d for d in platform.deployments if d.deployment_id == claims[c.DEPLOYMENT_ID])
    user = get_or_create(LtiUser, {"issuer": platform.issuer, "sub": str(claims["sub"])})
    user.name = (
        claims.get("name")
        or " ".join(part for part in (claims.get("given_name"), claims.get("family_name")) if part)
        or user.name
    )
    user.email = claims.get("email") or user.email
    if now - user.last_launch_at > LAST_SEEN_RESOLUTION:
        user.last_launch_at = now

    lti_roles = [role for role in claims.get(c.ROLES, []) if isinstance(role, str)]
    role = toolkit_role(lti_roles)

    context = None
    context_claim = claims.get(c.CONTEXT) or {}
    if context_claim.get("id"):
        context = get_or_create(
            Context,
            {"deployment_pk": deployment.id, "lti_context_id": str(context_claim["id"])},
            {"platform_id": platform.id},
        )
        context.title = context_claim.get("title") or context.title
        context.label = context_claim.get("label") or context.label
        nrps = claims.get(c.NRPS) or {}
        context.memberships_url = nrps.get("context_memberships_url") or context.memberships_url
        membership = get_or_create(Membership, {"user_id": user.id, "context_pk": context.id})
        membership.role = role
        if membership.lti_roles != lti_roles:
            membership.lti_roles = lti_roles
        if now - membership.last_seen_at > LAST_SEEN_RESOLUTION:
            membership.last_seen_at = now

    resource_link = None
    link_claim = claims.get(c.RESOURCE_LINK) or {}
    if context is not None and link_claim.get("id"):
        resource_link = get_or_create(
            ResourceLink, {"context_pk": context.id, "lti_resource_link_id": str(link_claim["id"])}
        )
        resource_link.title = link_claim.get("title") or resource_link.title
        custom = claims.get(c.CUSTOM) or {}
        kind = custom.get("component")
        if kind in COMPONENT_KINDS:
            resource_link.component_kind = kind
        settings = {key: value for key, value in custom.items() if key != "component"}
        if settings and settings != resource_link.settings:
            resource_link.settings = settings
        line_item = (claims.get(c.AGS_ENDPOINT) or {}).get("lineitem")
        if line_item:
            resource_link.line_item_url = line_item

    session = LaunchSession(
        id=secrets.token_urlsafe(32),
        # Relationships set directly: the page renders from them without loading each again.
        user=user,
        platform=platform,
        deployment=deployment,
        context=context,
        resource_link=resource_link,
        role=role,
        message_type=claims[c.MESSAGE_TYPE],
        claims={name: claims[name] for name in _KEPT_CLAIMS if name in claims},
        expires_at=now + timedelta(seconds=ttl_seconds),
    )
    db.session.add(session)
    db.session.commit()
    return session
