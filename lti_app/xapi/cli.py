"""``career-toolkit sources add|list|remove``: the systems allowed to send xAPI statements."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from lti_app.xapi.sources import SourceError, add_source, list_sources, remove_source


@click.group(cls=AppGroup)
def sources() -> None:
    """xAPI sources (the Open edX XBlocks, an LRS forwarder): add, list, remove."""


@sources.command("add")
@click.argument("name")
@click.option("--platform", "platform", required=True, help="The platform (issuer, name or id) it sends for.")
@with_appcontext
def sources_add(name: str, platform: str) -> None:
    """Register a source and print its key and secret (shown this once only)."""
    try:
        created = add_source(name, platform)
    except SourceError as error:
        raise click.ClickException(str(error)) from error
    source = created.source
    endpoint = current_app.config["BASE_URL"] + "/xapi/"
    click.echo(f"Added source {source.name} for platform {source.platform.name} ({source.platform.issuer}).")
    click.echo(f"  endpoint: {endpoint}")
    click.echo(f"  key:      {source.key}")
    click.echo(f"  secret:   {created.secret}")
    click.echo("The secret is not stored and cannot be shown again. For Open edX, add to XBLOCK_SETTINGS:")
    settings = {
        "CareerToolkit": {
            "lrs_endpoint": endpoint,
            "lrs_key": source.key,
            "lrs_secret": created.secret,
            "lrs_platform_issuer": source.platform.issuer,
        }
    }
    click.echo(json.dumps(settings, indent=2))


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_appcontext
def sources_list(as_json: bool) -> None:
    """List sources with their platform and key (never a secret)."""
    rows = [
        {
            "name": s.name,
            "platform": s.platform.name,
            "issuer": s.platform.issuer,
            "key": s.key,
            "created_at": s.created_at.isoformat(),
            "last_used_at": s.last_used_at.isoformat() if s.last_used_at else None,
        }
        for s in list_sources()
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No xAPI sources registered.")
    for row in rows:
        click.echo(f"{row['name']}\t{row['issuer']}\tkey={row['key']}\tlast used {row['last_used_at'] or 'never'}")


@sources.command("remove")
@click.argument("name")
@with_appcontext
def sources_remove(name: str) -> None:
    """Remove a source: its credentials stop working; what it sent stays in the ledger."""
    try:
        removed = remove_source(name)
    except SourceError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Removed source {removed}.")
