"""``career-toolkit roster``: look at and refresh course rosters from the platform."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from lti_app.extensions import db
from lti_app.models.people import Context
from lti_app.models.platform import Platform
from lti_app.roster.nrps import RosterUnavailable
from lti_app.roster.service import refresh_roster, roster


@click.group("roster", cls=AppGroup)
def roster_group() -> None:
    """Course rosters (Names and Role Provisioning)."""


def find_context(reference: str, platform_reference: str | None = None) -> Context:
    """A context by the platform's context id (or the tool's numeric id). :raise click.ClickException:"""
    query = select(Context).where(Context.lti_context_id == reference)
    if platform_reference:
        query = query.join(Platform, Context.platform_id == Platform.id).where(
            (Platform.name == platform_reference) | (Platform.issuer == platform_reference)
        )
    matches = db.session.scalars(query.limit(2)).all()
    if not matches and reference.isdigit() and not platform_reference:
        context = db.session.get(Context, int(reference))
        matches = [context] if context else []
    if len(matches) != 1:
        problem = "several contexts have" if matches else "no context has"
        raise click.ClickException(f"{problem} the id {reference!r}; narrow it with --platform NAME_OR_ISSUER")
    return matches[0]


@roster_group.command("refresh")
@click.argument("context_id")
@click.option("--platform", "platform_reference", help="The platform's name or issuer, when the id repeats.")
@with_appcontext
def roster_refresh(context_id: str, platform_reference: str | None) -> None:
    """Fetch CONTEXT_ID's roster from the platform now (CONTEXT_ID: the platform's context id)."""
    context = find_context(context_id, platform_reference)
    try:
        count = refresh_roster(context)
    except RosterUnavailable as error:
        title = context.title or context.lti_context_id
        raise click.ClickException(f"the roster of {title} was not refreshed: {error}") from error
    click.echo(f"Refreshed the roster of {context.title or context.lti_context_id}: {count} members.")


@roster_group.command("show")
@click.argument("context_id")
@click.option("--platform", "platform_reference", help="The platform's name or issuer, when the id repeats.")
@with_appcontext
def roster_show(context_id: str, platform_reference: str | None) -> None:
    """List CONTEXT_ID's members (from the cache, refreshed when stale)."""
    result = roster(find_context(context_id, platform_reference))
    if result.warning:
        click.echo(f"warning: {result.warning}", err=True)
    click.echo(f"{len(result.members)} members (source: {result.source})")
    for member in result.members:
        click.echo(f"{member.user_id}\t{member.role}\t{member.status}\t{member.name or ''}\t{member.email or ''}")
