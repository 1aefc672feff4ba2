"""``career-toolkit fixtures load [NAME]``: load the data the toolkit ships. Idempotent."""

from __future__ import annotations

from collections.abc import Callable

import click
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
