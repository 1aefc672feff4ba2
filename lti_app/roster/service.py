"""A course's cohort for the instructor dashboard: the platform's roster (NRPS) when it offers one,
cached for ``ROSTER_TTL_SECONDS``, otherwise the learners the tool has seen launch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, func, literal, select, union_all
from sqlalchemy.exc import IntegrityError

from lti_app.extensions import db
from lti_app.lti.roles import toolkit_role
from lti_app.models.base import utcnow
from lti_app.models.people import LEARNER, Context, LtiUser, Membership
from lti_app.models.roster import ACTIVE, RosterMember
from lti_app.roster.nrps import RosterUnavailable, TokenFor, TokenRenewer, fetch_members

DEFAULT_TTL_SECONDS = 3600
NRPS = "nrps"
LAUNCHES = "launches"


@dataclass(frozen=True)
class CohortMember:
    """A member of a course: ``user_id`` is the platform's ``sub``; ``lti_user_pk`` is set once they launched."""

    user_id: str
    name: str | None
    email: str | None
    role: str
    lti_roles: tuple[str, ...]
    status: str
    lti_user_pk: int | None

    @property
    def display_name(self) -> str:
        return self.name or f"Learner {self.user_id[:8]}"


@dataclass(frozen=True)
class Roster:
    """Everyone in the context, where the list came from (``nrps`` or ``launches``) and any warning."""

    members: list[CohortMember]
    source: str
    fetched_at: datetime | None
    warning: str | None = None


def cohort(
    context: Context,
    *,
    refresh: bool = False,
    include_staff: bool = False,
    include_inactive: bool = False,
    token_for: TokenFor | None = None,
    renew_token: TokenRenewer | None = None,
) -> list[CohortMember]:
    """The context's active learners (staff and inactive members on request), never raising for platform errors.

    From the NRPS roster when the platform offers the service (refreshed when older than the TTL or when
    ``refresh``), else from the learners seen at launch. A failed refresh logs a warning and answers the
    cached roster, or the launch-seen learners when nothing is cached.
    """
    members = roster(context, refresh=refresh, token_for=token_for, renew_token=renew_token).members
    return [
        member
        for member in members
        if (include_staff or member.role == LEARNER) and (include_inactive or member.status == ACTIVE)
    ]


def roster(
    context: Context,
    *,
    refresh: bool = False,
    token_for: TokenFor | None = None,
    renew_token: TokenRenewer | None = None,
) -> Roster:
    """Every member of the context with the list's source; ``warning`` says why a refresh did not happen."""
    state = roster_state(context, refresh=refresh, token_for=token_for, renew_token=renew_token)
    members = cached_roster(context) if state.source == NRPS else launch_seen(context)
    return Roster(members, state.source, state.fetched_at, state.warning)


def roster_state(
    context: Context,
    *,
    refresh: bool = False,
    token_for: TokenFor | None = None,
    renew_token: TokenRenewer | None = None,
) -> Roster:
    """Where the context's roster comes from, refreshed first when stale, without loading its members
    (``members`` is empty): a cohort page then reads one page of them (``cohort_page``)."""
    if not context.memberships_url:
        return Roster([], LAUNCHES, None)
    fetched_at = roster_fetched_at(context)
    ttl = int(current_app.config.get("ROSTER_TTL_SECONDS") or DEFAULT_TTL_SECONDS)
    if not refresh and fetched_at is not None and utcnow() - fetched_at < timedelta(seconds=ttl):
        return Roster([], NRPS, fetched_at)
    try:
        refresh_roster(context, token_for=token_for, renew_token=renew_token)
    except RosterUnavailable as error:
        warning = f"The course roster could not be refreshed: {error.message}"
        current_app.logger.warning("roster of context %s: %s", context.id, error.message)
        if fetched_at is not None:
            return Roster([], NRPS, fetched_at, warning)
        return Roster([], LAUNCHES, None, warning)
    return Roster([], NRPS, roster_fetched_at(context))


@dataclass(frozen=True)
class CohortRow:
    """One learner row of a cohort page: ``lti_user_pk`` is set once they launched as a learner of the course."""

    name: str
    lti_user_pk: int | None


def cohort_page(context: Context, source: str, offset: int, limit: int) -> tuple[list[CohortRow], int]:
    """One page of the context's active learners and how many there are, in two queries.

    From the NRPS roster (``source`` ``nrps``), by name, followed by learners who launched but are not on it;
    else the learners seen at launch, in the order they first launched (read in index order, so a page costs
    the same in a course of 50 or 50,000). Both lists are what ``cohort`` answers, a page at a time.
    """
    if source != NRPS:
        where = (Membership.context_pk == context.id, Membership.role == LEARNER)
        total = db.session.scalar(select(func.count()).select_from(Membership).where(*where)) or 0
        launched_rows = db.session.execute(
            select(LtiUser.sub, LtiUser.name, LtiUser.id)
            .join(Membership, Membership.user_id == LtiUser.id)
            .where(*where)
            .order_by(Membership.id)
            .offset(offset)
            .limit(limit)
        ).all()
        return [CohortRow(name or f"Learner {sub[:8]}", pk) for sub, name, pk in launched_rows], total
    learners = select(Membership.user_id).where(Membership.context_pk == context.id, Membership.role == LEARNER)
    on_roster = and_(LtiUser.issuer == context.platform.issuer, LtiUser.sub == RosterMember.user_id)
    listed = (RosterMember.context_pk == context.id, RosterMember.role == LEARNER, RosterMember.status == ACTIVE)
    rostered = (
        select(
            literal(0).label("extra"),
            func.lower(func.coalesce(RosterMember.name, "")).label("sort_name"),
            RosterMember.user_id.label("sub"),
            RosterMember.name.label("name"),
            LtiUser.id.label("pk"),
        )
        .outerjoin(LtiUser, on_roster)
        .where(*listed)
    )
    unlisted = select(
        literal(1).label("extra"),
        func.lower(func.coalesce(LtiUser.name, "")).label("sort_name"),
        LtiUser.sub.label("sub"),
        LtiUser.name.label("name"),
        LtiUser.id.label("pk"),
    ).where(
        LtiUser.id.in_(learners), LtiUser.id.not_in(select(LtiUser.id).join(RosterMember, on_roster).where(*listed))
    )
    rows = union_all(rostered, unlisted).subquery()
    total = db.session.scalar(select(func.count()).select_from(rows)) or 0
    page = db.session.execute(
        select(rows.c.sub, rows.c.name, rows.c.pk)
        .order_by(rows.c.extra, rows.c.sort_name, rows.c.sub)
        .offset(offset)
        .limit(limit)
    ).all()
    return [CohortRow(name or f"Learner {sub[:8]}", pk) for sub, name, pk in page], total


def refresh_roster(
    context: Context, *, token_for: TokenFor | None = None, renew_token: TokenRenewer | None = None
) -> int:
    """Fetch the whole membership and replace the cached roster in one transaction; the number of members.

    :raise RosterUnavailable: the platform offers no roster or did not hand it over; the cache is untouched.
    """
    if not context.memberships_url:
        raise RosterUnavailable("the platform offers no Names and Role Provisioning service for this course")
    members = fetch_members(
        context.platform,
        context.memberships_url,
        token_for=token_for,
        renew_token=renew_token,
        timeout=float(current_app.config.get("HTTP_TIMEOUT_SECONDS") or 10),
    )
    now = utcnow()
    db.session.execute(delete(RosterMember).where(RosterMember.context_pk == context.id))
    db.session.add_all(
        RosterMember(
            context_pk=context.id,
            user_id=member.user_id,
            name=member.name,
            email=member.email,
            role=toolkit_role(member.roles),
            lti_roles=list(member.roles),
            status=member.status,
            fetched_at=now,
        )
        for member in members
    )
    try:
        db.session.commit()
    except IntegrityError:
        # Another worker refreshed the same roster at the same moment; its rows are as fresh as ours.
        db.session.rollback()
    return len(members)


def roster_fetched_at(context: Context) -> datetime | None:
    return db.session.scalar(select(func.min(RosterMember.fetched_at)).where(RosterMember.context_pk == context.id))


def cached_roster(context: Context) -> list[CohortMember]:
    """The stored NRPS roster, joined to the users who have launched (same issuer and ``sub``)."""
    rows = db.session.execute(
        select(RosterMember, LtiUser.id)
        .outerjoin(
            LtiUser,
            and_(LtiUser.issuer == context.platform.issuer, LtiUser.sub == RosterMember.user_id),
        )
        .where(RosterMember.context_pk == context.id)
    ).all()
    members = [
        CohortMember(
            user_id=row.user_id,
            name=row.name,
            email=row.email,
            role=row.role,
            lti_roles=tuple(row.lti_roles or ()),
            status=row.status,
            lti_user_pk=user_pk,
        )
        for row, user_pk in rows
    ]
    return sorted(members, key=_sort_key)


def launch_seen(context: Context) -> list[CohortMember]:
    """Everyone who has launched in the context, with the role of their last launch."""
    rows = db.session.execute(
        select(Membership, LtiUser)
        .join(LtiUser, Membership.user_id == LtiUser.id)
        .where(Membership.context_pk == context.id)
    ).all()
    members = [
        CohortMember(
            user_id=user.sub,
            name=user.name,
            email=user.email,
            role=membership.role,
            lti_roles=tuple(membership.lti_roles or ()),
            status=ACTIVE,
            lti_user_pk=user.id,
        )
        for membership, user in rows
    ]
    return sorted(members, key=_sort_key)


def _sort_key(member: CohortMember) -> tuple[str, str]:
    return ((member.name or "").casefold(), member.user_id)
