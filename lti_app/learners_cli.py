"""``career-toolkit learners``: erase a learner, set how long inactive learners are kept, purge them."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from lti_app.career.erasure import erase_identity, inactive_users, purge_inactive, set_retention
from lti_app.extensions import db
from lti_app.models.people import LtiUser
from lti_app.models.platform import Platform
from lti_app.platforms import find_platform


@click.group("learners", cls=AppGroup)
def learners_group() -> None:
    """Learners' data: erasure and retention."""


def _platform(reference: str) -> Platform:
    platform = find_platform(reference)
    if platform is None:
        raise click.ClickException(f"no single platform matches {reference!r}; see `career-toolkit platforms list`")
    return platform


@learners_group.command("erase")
@click.option("--platform", "platform_reference", required=True, help="The platform's id, name or issuer.")
@click.option("--sub", required=True, help="The learner's user id on that platform (the LTI `sub`).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def learners_erase(platform_reference: str, sub: str, yes: bool) -> None:
    """Erase one learner of one platform: their records, evidence and identifiers. Cannot be undone."""
    platform = _platform(platform_reference)
    user = db.session.scalars(select(LtiUser).filter_by(issuer=platform.issuer, sub=sub)).first()
    if user is None:
        raise click.ClickException(f"{platform.name} has no learner with sub {sub!r} in the toolkit")
    if not yes:
        click.confirm(f"Erase the learner {sub!r} of {platform.name} and everything held about them?", abort=True)
    erasure = erase_identity(user, requested_by="cli")
    removed = sum(erasure.counts.values())
    click.echo(f"Erased. Receipt {erasure.receipt} ({removed} rows removed; the log keeps no personal data).")


@learners_group.command("retention")
@click.option("--platform", "platform_reference", required=True, help="The platform's id, name or issuer.")
@click.option("--days", type=click.IntRange(min=1), help="Days to keep a learner after their last launch.")
@click.option("--forever", is_flag=True, help="Keep learners until they are erased (the default).")
@with_appcontext
def learners_retention(platform_reference: str, days: int | None, forever: bool) -> None:
    """Show or set how long a platform's inactive learners are kept."""
    platform = _platform(platform_reference)
    if days is not None and forever:
        raise click.UsageError("give --days or --forever, not both")
    if days is not None or forever:
        set_retention(platform, None if forever else days)
    kept = f"{platform.retention_days} days after their last launch" if platform.retention_days else "until erased"
    click.echo(f"{platform.name}: inactive learners are kept {kept}.")


@learners_group.command("purge-inactive")
@click.option("--dry-run", is_flag=True, help="Only say how many would be erased.")
@with_appcontext
def learners_purge_inactive(dry_run: bool) -> None:
    """Erase the learners who have not launched within their platform's retention period (run it daily)."""
    if dry_run:
        due = inactive_users()
        click.echo(f"{len(due)} inactive learner(s) would be erased.")
        return
    erasures = purge_inactive()
    click.echo(f"Erased {len(erasures)} inactive learner(s).")
    for erasure in erasures:
        click.echo(f"  receipt {erasure.receipt}")
