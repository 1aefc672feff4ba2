"""Turn a validated launch into records: who launched, from which course and placement, with what rights."""

from __future__ import annotations

import functools
import secrets
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Integer, Select, and_, bindparam, select
from sqlalchemy.orm.attributes import set_committed_value

from lti_app.extensions import db
from lti_app.lti import claims as c
from lti_app.lti.registrations import RegisteredPlatform
from lti_app.lti.roles import toolkit_role
from lti_app.models.base import utcnow
from lti_app.models.people import Context, LaunchSession, LtiUser, Membership, ResourceLink
from lti_app.models.platform import Deployment
from lti_app.upsert import insert_or_get

# "Last seen" times are for admins' eyes; refreshing them at most this often saves a write per launch.
LAST_SEEN_RESOLUTION = timedelta(minutes=10)
COMPONENT_KINDS = ("self_assessment", "career_path", "development_plan", "reflection")
# Claims services need later; the rest of the id_token (names, emails) is not kept with the session.
_KEPT_CLAIMS = (c.MESSAGE_TYPE, c.DEEP_LINKING_SETTINGS, c.AGS_ENDPOINT, c.NRPS, c.CUSTOM, c.RESOURCE_LINK)


class Known(NamedTuple):
    """What the database already holds for a launch; ``None`` where this is the first time."""

    user: LtiUser | None
    context: Context | None
    membership: Membership | None
    resource_link: ResourceLink | None
    latest_session: LaunchSession | None


@functools.cache
def _known_records_query() -> Select[int, LtiUser, Context, Membership, ResourceLink, LaunchSession]:
    """Built once: composing this statement cost more than running it, on every launch."""
    deployment_pk = bindparam("deployment_pk", type_=Integer)
    latest_session_id = (
        select(LaunchSession.id)
        .where(
            LaunchSession.user_id == LtiUser.id,
            LaunchSession.deployment_pk == deployment_pk,
            LaunchSession.resource_link_pk == ResourceLink.id,
        )
        .order_by(LaunchSession.expires_at.desc())
        .limit(1)
        .correlate(LtiUser, ResourceLink)
        .scalar_subquery()
    )
    return (
        select(Deployment.id, LtiUser, Context, Membership, ResourceLink, LaunchSession)
        .select_from(Deployment)
        .outerjoin(LtiUser, and_(LtiUser.issuer == bindparam("issuer"), LtiUser.sub == bindparam("sub")))
        .outerjoin(
            Context,
            and_(Context.deployment_pk == deployment_pk, Context.lti_context_id == bindparam("context_id")),
        )
        .outerjoin(Membership, and_(Membership.user_id == LtiUser.id, Membership.context_pk == Context.id))
        .outerjoin(
            ResourceLink,
            and_(ResourceLink.context_pk == Context.id, ResourceLink.lti_resource_link_id == bindparam("link_id")),
        )
        .outerjoin(LaunchSession, LaunchSession.id == latest_session_id)
        .where(Deployment.id == deployment_pk)
    )


def known_records(
    issuer: str, sub: str, deployment_pk: int, context_id: str | None, link_id: str | None
) -> Known | None:
    """The records a returning launch already has, in one query; ``None`` when the deployment is gone.

    The query starts from the deployment row, so a launch from a platform or deployment removed after its
    registration was cached is refused here rather than failing on a foreign key.
    """
    row = db.session.execute(
        _known_records_query(),
        {
            "issuer": issuer,
            "sub": sub,
            "deployment_pk": deployment_pk,
            "context_id": context_id or "",
            "link_id": link_id or "",
        },
    ).first()
    if row is None:
        return None
    _, user, context, membership, resource_link, latest_session = row
    return Known(user, context, membership, resource_link, latest_session)


class DeploymentRemoved(Exception):
    """The launch's deployment was removed after its registration was read."""


def record_launch(claims: dict[str, Any], platform: RegisteredPlatform, ttl_seconds: int) -> LaunchSession:
    """Upsert user, context, resource link and membership; open a launch session. Commits.

    :raise DeploymentRemoved: the deployment no longer exists (nothing is written).
    """
    now = utcnow()
    deployment_pk = platform.deployments[claims[c.DEPLOYMENT_ID]]
    context_claim = claims.get(c.CONTEXT) or {}
    link_claim = claims.get(c.RESOURCE_LINK) or {}
    context_id = str(context_claim["id"]) if context_claim.get("id") else None
    link_id = str(link_claim["id"]) if link_claim.get("id") else None
    # A returning learner's records are all found at once; only what is missing is inserted.
    known = known_records(platform.issuer, str(claims["sub"]), deployment_pk, context_id, link_id)
    if known is None:
        raise DeploymentRemoved("The launch's deployment is no longer registered with this tool.")
    user, context, membership, resource_link, latest_session = known
    name = claims.get("name") or " ".join(
        part for part in (claims.get("given_name"), claims.get("family_name")) if part
    )
    email = claims.get("email")
    # Per-learner rows are inserted complete, so a first launch makes no UPDATE after its INSERT.
    user = user or insert_or_get(
        LtiUser, {"issuer": platform.issuer, "sub": str(claims["sub"])}, {"name": name or None, "email": email or None}
    )
    _update(user, name=name or user.name, email=email or user.email)
    if now - user.last_launch_at > LAST_SEEN_RESOLUTION:
        user.last_launch_at = now

    lti_roles = [role for role in claims.get(c.ROLES, []) if isinstance(role, str)]
    role = toolkit_role(lti_roles)

    if context_id is None:
        context = membership = resource_link = None
    else:
        context = context or insert_or_get(
            Context, {"deployment_pk": deployment_pk, "lti_context_id": context_id}, {"platform_id": platform.id}
        )
        nrps = claims.get(c.NRPS) or {}
        _update(
            context,
            title=context_claim.get("title") or context.title,
            label=context_claim.get("label") or context.label,
            memberships_url=nrps.get("context_memberships_url") or context.memberships_url,
        )
        membership = membership or insert_or_get(
            Membership, {"user_id": user.id, "context_pk": context.id}, {"role": role, "lti_roles": lti_roles}
        )
        _update(membership, role=role, lti_roles=lti_roles)
        if now - membership.last_seen_at > LAST_SEEN_RESOLUTION:
            membership.last_seen_at = now

    if context is not None and link_id is not None:
        resource_link = resource_link or insert_or_get(
            ResourceLink, {"context_pk": context.id, "lti_resource_link_id": link_id}
        )
        custom = claims.get(c.CUSTOM) or {}
        kind = custom.get("component")
        settings = {key: value for key, value in custom.items() if key != "component"}
        _update(
            resource_link,
            title=link_claim.get("title") or resource_link.title,
            component_kind=kind if kind in COMPONENT_KINDS else resource_link.component_kind,
            settings=settings or resource_link.settings,
            line_item_url=(claims.get(c.AGS_ENDPOINT) or {}).get("lineitem") or resource_link.line_item_url,
        )
    else:
        resource_link = None

    kept_claims = {name: claims[name] for name in _KEPT_CLAIMS if name in claims}
    message_type = claims[c.MESSAGE_TYPE]
    reusable = _reusable_session(
        latest_session, context, resource_link, role, message_type, kept_claims, now, ttl_seconds
    )
    if reusable is not None:
        db.session.commit()  # the upserts above, if any; a returning learner's launch usually writes nothing
        # The page renders from these; handing over the rows already loaded spares a query for each.
        for name, value in (("user", user), ("context", context), ("resource_link", resource_link)):
            set_committed_value(reusable, name, value)
        return reusable
    session = LaunchSession(
        id=secrets.token_urlsafe(32),
        # Relationships set directly: the page renders from them without loading each again.
        user=user,
        platform_id=platform.id,
        deployment_pk=deployment_pk,
        context=context,
        resource_link=resource_link,
        role=role,
        message_type=message_type,
        claims=kept_claims,
        expires_at=now + timedelta(seconds=ttl_seconds),
    )
    db.session.add(session)
    db.session.commit()
    return session


def _update(record: Any, **values: Any) -> None:
    """Assign only what changed: an assignment of an equal value still sends the row through a flush."""
    for name, value in values.items():
        if getattr(record, name) != value:
            setattr(record, name, value)


def _reusable_session(
    latest: LaunchSession | None,
    context: Context | None,
    resource_link: ResourceLink | None,
    role: str,
    message_type: str,
    kept_claims: dict[str, Any],
    now: datetime,
    ttl_seconds: int,
) -> LaunchSession | None:
    """A resource-link launch identical in all it allows to the latest one (``latest``) reuses that session.

    The page gets a freshly signed token either way; reusing the row spares every returning launch a
    database write, which is what made concurrent launches queue on the database. A session is reused
    only while more than half its lifetime is left, and never for deep linking (each picker is its own).
    """
    if message_type != c.RESOURCE_LINK_REQUEST or latest is None or resource_link is None or context is None:
        return None
    if latest.role != role or latest.message_type != message_type:
        return None
    if latest.claims != kept_claims or latest.expires_at - now < timedelta(seconds=ttl_seconds / 2):
        return None
    return latest
