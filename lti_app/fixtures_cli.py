"""``career-toolkit fixtures load [NAME]``: load the data the toolkit ships. Idempotent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from career_core.onet import load_onet_catalog

FIXTURES = ("onet",)


def load_fixture(name: str, progress: Callable[[int], None] | None = None) -> str:
    """Load one fixture (needs an app context) and say what happened. :raise LookupError: unknown name."""
    if name not in FIXTURES:
        raise LookupError(f"no fixture {name!r}; known: {', '.join(FIXTURES)}")
    from lti_app.career.frameworks import load_onet_framework

    result = load_onet_framework(progress=progress)
    state = "loaded" if result.created else "already loaded"
    roles = len(load_onet_catalog().roles)
    return f"{result.identifier}: {result.skills} skills {state}; {roles} roles served from the catalog."


@click.group(cls=AppGroup)
def fixtures() -> None:
    """Load shipped data (the O*NET skills framework)."""


@fixtures.command("load")
@click.argument("name", default="onet", type=click.Choice(FIXTURES))
@with_appcontext
def fixtures_load(name: str) -> None:
    """Load a fixture; running it again changes nothing. Roles come from the packaged catalog, not the database."""
    onet = load_onet_catalog()
    with click.progressbar(length=len(onet.framework.skills), label="O*NET skills") as bar:
        summary = load_fixture(name, progress=bar.update)
    click.echo(summary)
    click.echo(onet.attribution)


def catalog_up_to_date() -> str:
    """After ``db upgrade``: store the packaged O*NET framework unless the database already has this release.

    Writes nothing when the stored copy matches the package (so running it again changes nothing), and nothing
    when the database is not at the newest revision (``db upgrade REV`` to an older one): the tables may differ.
    """
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import select

    from lti_app.career.frameworks import load_onet_framework
    from lti_app.extensions import db
    from lti_app.models.career import SHARED_OWNER, SkillFrameworkRecord

    config = current_app.extensions["migrate"].migrate.get_config()
    heads = set(ScriptDirectory.from_config(config).get_heads())
    current = set(MigrationContext.configure(db.session.connection()).get_current_heads())
    db.session.rollback()
    if current != heads:
        return "O*NET catalog: not loaded, the database is not at the newest revision."

    def stored() -> tuple[Any, ...] | None:
        row = db.session.execute(
            select(SkillFrameworkRecord.version, SkillFrameworkRecord.skills, SkillFrameworkRecord.attribution).where(
                SkillFrameworkRecord.owner_key == SHARED_OWNER,
                SkillFrameworkRecord.identifier == load_onet_catalog().framework.identifier,
            )
        ).first()
        db.session.rollback()
        return tuple(row) if row is not None else None

    before = stored()
    result = load_onet_framework()
    if result.created:
        return f"O*NET catalog: {result.identifier} loaded ({result.skills} skills)."
    if stored() != before:
        return f"O*NET catalog: {result.identifier} brought up to date with the packaged release."
    return f"O*NET catalog: {result.identifier} already up to date."


def database_group(migrate_group: click.Group) -> click.Group:
    """Flask-Migrate's ``db`` group, its ``upgrade`` followed by ``catalog_up_to_date`` (offline ``--sql`` aside)."""
    original = migrate_group.commands["upgrade"]

    def upgrade(**options: Any) -> None:
        assert original.callback is not None
        if options.get("revision") == "head":
            # Every branch's newest revision: migrations added in parallel may leave more than one head.
            options["revision"] = "heads"
        click.get_current_context().invoke(original.callback, **options)
        if not options.get("sql"):
            click.echo(catalog_up_to_date())

    wrapped = click.Command(
        "upgrade",
        params=list(original.params),
        callback=with_appcontext(upgrade),
        help="Upgrade to a later version (default: every head), then bring the packaged O*NET catalog up to date.",
    )
    return click.Group(
        migrate_group.name,
        commands={**migrate_group.commands, "upgrade": wrapped},
        callback=migrate_group.callback,
        params=list(migrate_group.params),
        help=migrate_group.help,
    )
