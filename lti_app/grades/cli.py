"""``career-toolkit grades sync|status|retry`` and ``career-toolkit worker``."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from lti_app.grades.dispatch import get_dispatcher
from lti_app.grades.status import delivery_status, due_count, retry_deliveries


@click.group(cls=AppGroup)
def grades() -> None:
    """Scores owed to the LMS: deliver, inspect, retry."""


@grades.command("sync")
@click.option(
    "--wait",
    "wait_seconds",
    type=float,
    default=0.0,
    show_default=True,
    help="Also deliver deferred scores falling due within this many seconds.",
)
@with_appcontext
def grades_sync(wait_seconds: float) -> None:
    """Deliver every score due now; safe to run again at any time, and beside workers.

    Exits 1, saying why, when scores could not be sent at all (e.g. the signing key cannot be decrypted).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    total = due_count()
    with click.progressbar(length=max(total, 1), label=f"Delivering {total} scores", show_pos=True) as bar:
        summary = get_dispatcher(app).drain(wait_for_deferred=wait_seconds, progress=bar.update)
    click.echo(
        f"delivered {summary.delivered}, deferred {summary.deferred}, failed {summary.failed}"
        + (f", superseded {summary.superseded}" if summary.superseded else "")
        + f" ({summary.attempts} attempts)"
    )
    if summary.failed:
        click.echo("See `career-toolkit grades status` for the platform's answers.")
    if summary.blocked:
        for reason, ids in summary.problems.items():
            click.echo(f"{len(ids)} score(s) not sent: {reason}", err=True)
        raise SystemExit(1)


@grades.command("status")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_appcontext
def grades_status(as_json: bool) -> None:
    """Scores pending, deferred and failed per platform, and the failed ones with the platform's answer.

    Exits 1 when scores cannot be sent at all (e.g. the signing key cannot be decrypted).
    """
    status = delivery_status()
    if as_json:
        click.echo(json.dumps(status, indent=2))
        raise SystemExit(1 if status["problems"] else 0)
    if not status["platforms"]:
        click.echo("No platforms registered.")
    if status["signing_key_problem"]:
        click.echo(f"NO SCORE CAN BE SENT: {status['signing_key_problem']}")
    for row in status["platforms"]:
        click.echo(
            f"{row['platform_id']}\t{row['name']}\tpending={row['pending']} delivering={row['delivering']} "
            f"deferred={row['deferred']} failed={row['failed']} delivered={row['delivered']}"
            + (f" blocked={row['blocked']}" if row["blocked"] else "")
        )
        if row["problem"]:
            click.echo(f"  blocked: {row['problem']}")
    for row in status["failed"]:
        click.echo(
            f"failed #{row['id']}\t{row['platform']}\tuser={row['user_sub']}\t{row['line_item_url']}\t"
            f"attempts={row['attempts']}\tHTTP {row['last_status_code']}: {(row['last_error'] or '')[:200]}"
        )
    if status["problems"]:
        raise SystemExit(1)


@grades.command("retry")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all-failed", is_flag=True, help="Retry every failed score.")
@with_appcontext
def grades_retry(ids: tuple[int, ...], all_failed: bool) -> None:
    """Put failed scores back in line (then run `grades sync` or let the dispatcher deliver them)."""
    if not ids and not all_failed:
        raise click.UsageError("give delivery ids or --all-failed")
    requeued = retry_deliveries(list(ids) if ids else None, all_failed=all_failed)
    click.echo(f"requeued {len(requeued)}: {', '.join(map(str, requeued)) or '-'}")


@click.command("worker", cls=click.Command)
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--name", help="The worker's name in RQ.")
@with_appcontext
def worker(burst: bool, name: str | None) -> None:
    """Run a grade delivery worker on the Redis queue (CAREER_TOOLKIT_REDIS_URL); run several for scale."""
    from lti_app.grades.queue import QueueNotConfiguredError, run_worker

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        run_worker(app, burst=burst, name=name)
    except QueueNotConfiguredError as error:
        raise click.ClickException(str(error)) from error
