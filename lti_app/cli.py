"""The ``career-toolkit`` command: a Flask CLI group bound to the app factory."""

from __future__ import annotations

import json

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext

from lti_app import create_app, keyring
from lti_app.platforms import (
    PlatformError,
    PlatformRegistration,
    add_platform,
    find_platform,
    remove_platform,
)


@click.group(cls=FlaskGroup, create_app=create_app)
def main() -> None:
    """Career Toolkit: an LTI 1.3 career-development tool."""


@main.command("demo", with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
def demo(host: str, port: int) -> None:
    """Run the embedded demo: SQLite, sample data, a bundled demo LMS, the tool inside it."""
    from werkzeug.serving import run_simple

    from lti_app.demo import build_demo_app

    app = build_demo_app(host, port)
    lms = app.config["DEMO_LMS_BASE_URL"]
    click.echo("")
    click.echo(f"  Career Toolkit demo is ready. Open the demo LMS:  {lms}/demo-lms/")
    click.echo(f"  Tool: {app.config['BASE_URL']}  ·  registration details: {app.config['BASE_URL']}/lti/config")
    click.echo("")
    run_simple(host, port, app, threaded=True, use_reloader=False)


def init_app(app: Flask) -> None:
    """Bind the commands to the app, so `career-toolkit X` and `flask --app lti_app X` both work."""
    for group in (platforms, keys, doctor):
        app.cli.add_command(group)
    from flask_migrate.cli import db as migrate_db

    from lti_app.fixtures_cli import database_group, fixtures

    app.cli.add_command(fixtures)
    # `db upgrade` also brings the packaged O*NET catalog up to date, so a platform works right after set-up.
    app.cli.add_command(database_group(migrate_db), "db")
    from lti_app.grades.cli import grades, worker

    app.cli.add_command(grades)
    app.cli.add_command(worker)
    from lti_app.roster.cli import roster_group

    app.cli.add_command(roster_group)
    from lti_app.xapi.cli import sources

    app.cli.add_command(sources)
    from lti_app.learners_cli import learners_group

    app.cli.add_command(learners_group)


@click.command("doctor")
@with_appcontext
def doctor() -> None:
    """Check configuration, database, Redis, the signing key and each platform; say what to fix.

    Exits 1 when any check fails.
    """
    from lti_app.doctor import report, run_checks

    if not report(run_checks(current_app._get_current_object()), click.echo):  # type: ignore[attr-defined]
        raise SystemExit(1)


@click.group(cls=AppGroup)
def platforms() -> None:
    """Register, list and remove LMS platforms."""


@platforms.command("add")
@click.option("--name", required=True, help="A name admins recognise, e.g. 'University Moodle'.")
@click.option("--issuer", required=True, help="The platform's issuer (iss), e.g. https://moodle.example.edu.")
@click.option("--client-id", required=True, help="The client id the platform gave this tool.")
@click.option("--auth-login-url", required=True, help="The platform's OIDC authentication endpoint.")
@click.option("--auth-token-url", required=True, help="The platform's OAuth 2 token endpoint.")
@click.option("--key-set-url", help="The platform's public JWKS URL.")
@click.option("--key-set", help="An inline JWKS (JSON) instead of a key set URL.")
@click.option("--auth-audience", help="The token endpoint's audience, when it differs from its URL.")
@click.option("--deployment-id", "deployment_ids", multiple=True, required=True, help="Repeat for each.")
@with_appcontext
def platforms_add(deployment_ids: tuple[str, ...], **fields: str | None) -> None:
    """Register a platform and its deployments; bad input writes nothing."""
    registration = PlatformRegistration(deployment_ids=list(deployment_ids), **fields)  # type: ignore[arg-type]
    try:
        platform = add_platform(registration)
    except PlatformError as error:
        for name, message in error.errors.items():
            click.echo(f"error: --{name.replace('_', '-')} {message}", err=True)
        raise SystemExit(2) from error
    click.echo(f"Added platform {platform.id}: {platform.name} ({platform.issuer}, client id {platform.client_id})")


@platforms.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_appcontext
def platforms_list(as_json: bool) -> None:
    """List registered platforms and their deployments."""
    from lti_app.models.platform import Platform

    rows = Platform.query.order_by(Platform.id).all()
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": p.id,
                        "name": p.name,
                        "issuer": p.issuer,
                        "client_id": p.client_id,
                        "auth_login_url": p.auth_login_url,
                        "auth_token_url": p.auth_token_url,
                        "key_set_url": p.key_set_url,
                        "deployment_ids": p.deployment_ids,
                    }
                    for p in rows
                ],
                indent=2,
            )
        )
        return
    if not rows:
        click.echo("No platforms registered.")
    for p in rows:
        click.echo(f"{p.id}\t{p.name}\t{p.issuer}\tclient_id={p.client_id}\tdeployments={','.join(p.deployment_ids)}")


@platforms.command("remove")
@click.argument("reference")
@with_appcontext
def platforms_remove(reference: str) -> None:
    """Remove a platform by id, name or issuer."""
    platform = find_platform(reference)
    if platform is None:
        raise click.ClickException(f"no single platform matches {reference!r}; see `career-toolkit platforms list`")
    remove_platform(platform)
    click.echo(f"Removed platform {platform.id}: {platform.name}")


@click.group(cls=AppGroup)
def keys() -> None:
    """The tool's signing keys."""


@keys.command("list")
@with_appcontext
def keys_list() -> None:
    """List signing keys (never their private parts)."""
    from lti_app.models.keys import SigningKey

    keyring.ensure_active_key(current_app.config["SECRET_KEY"])
    for key in SigningKey.query.order_by(SigningKey.id).all():
        click.echo(f"{key.kid}\t{key.status}\t{key.algorithm}\tcreated {key.created_at:%Y-%m-%d %H:%M}")


@keys.command("rotate")
@with_appcontext
def keys_rotate() -> None:
    """Make a new active key; the old one stays in the JWKS as retiring."""
    key = keyring.rotate(current_app.config["SECRET_KEY"])
    click.echo(f"New active key {key.kid}; the previous key is retiring and still published.")


@keys.command("retire")
@click.argument("kid")
@with_appcontext
def keys_retire(kid: str) -> None:
    """Stop publishing a retiring key."""
    try:
        keyring.retire(kid)
    except LookupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Retired key {kid}.")


if __name__ == "__main__":
    main()
