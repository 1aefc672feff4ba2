"""What the outbox holds, per platform, and putting failed scores back in line (for the CLI and the admin page)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update

from lti_app import keyring
from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.grades import (
    DEFERRED,
    DELIVERED,
    DELIVERING,
    FAILED,
    PENDING,
    STATUSES,
    SUPERSEDED,
    ScoreDelivery,
)
from lti_app.models.platform import Platform


def delivery_status(*, failed_limit: int = 100) -> dict[str, Any]:
    """Per-platform counts by status, what blocks delivery, and the most recent failed deliveries.

    ``{"signing_key_problem": str | None, "problems": bool, "platforms": [{"platform_id", "name", "issuer",
    "pending", "delivering", "deferred", "delivered", "failed", "superseded", "blocked", "problem"}],
    "failed": [{"id", "platform_id", "platform", "line_item_url", "user_sub", "score_given", "score_maximum",
    "timestamp", "attempts", "last_status_code", "last_error", "created_at"}]}``. ``blocked`` counts scores
    waiting that were not sent at all (the tool could not sign); ``problem`` says why, and what to do.
    """
    counts: dict[int, dict[str, Any]] = {}
    for platform in db.session.scalars(select(Platform).order_by(Platform.id)):
        counts[platform.id] = {"platform_id": platform.id, "name": platform.name, "issuer": platform.issuer}
        counts[platform.id].update(dict.fromkeys(STATUSES, 0))
        counts[platform.id].update(blocked=0, problem=None)
    blocked = db.session.execute(
        select(ScoreDelivery.platform_id, func.count(), func.max(ScoreDelivery.id))
        .where(ScoreDelivery.blocked_by.is_not(None), ScoreDelivery.status.in_((PENDING, DEFERRED)))
        .group_by(ScoreDelivery.platform_id)
    ).all()
    for platform_id, count, latest in blocked:
        if platform_id in counts:
            counts[platform_id]["blocked"] = count
            counts[platform_id]["problem"] = db.session.scalar(
                select(ScoreDelivery.last_error).where(ScoreDelivery.id == latest)
            )
    signing_problem = _undecryptable_key(current_app.config["SECRET_KEY"]) if counts else None
    rows = db.session.execute(
        select(ScoreDelivery.platform_id, ScoreDelivery.status, func.count()).group_by(
            ScoreDelivery.platform_id, ScoreDelivery.status
        )
    )
    for platform_id, status, count in rows:
        if platform_id in counts:
            counts[platform_id][status] = count
    failed = db.session.execute(
        select(ScoreDelivery, Platform.name)
        .join(Platform, Platform.id == ScoreDelivery.platform_id)
        .where(ScoreDelivery.status == FAILED)
        .order_by(ScoreDelivery.id.desc())
        .limit(failed_limit)
    ).all()
    return {
        "signing_key_problem": signing_problem,
        "problems": bool(signing_problem) or any(row["blocked"] for row in counts.values()),
        "platforms": list(counts.values()),
        "failed": [
            {
                "id": row.id,
                "platform_id": row.platform_id,
                "platform": name,
                "line_item_url": row.line_item_url,
                "user_sub": row.user_sub,
                "score_given": row.payload.get("scoreGiven"),
                "score_maximum": row.payload.get("scoreMaximum"),
                "timestamp": row.payload.get("timestamp"),
                "attempts": row.attempts,
                "last_status_code": row.last_status_code,
                "last_error": row.last_error,
                "created_at": _iso(row.created_at),
            }
            for row, name in failed
        ],
    }


def _undecryptable_key(secret_key: str) -> str | None:
    """Why the active key cannot be used with this secret key (a missing key is made when first needed)."""
    try:
        keyring.signing_material(secret_key)
    except keyring.UndecryptableKeyError as error:
        return str(error)
    except keyring.NoSigningKeyError:
        return None
    return None


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() + "Z" if moment else None


def retry_deliveries(ids: list[int] | None = None, *, all_failed: bool = False) -> list[int]:
    """Put failed (or deferred) deliveries back in line now, with a fresh attempt budget; commits.

    A score whose grade has a newer change since is superseded instead: an old score never overtakes a new one.
    Returns the ids now pending.
    """
    query = select(ScoreDelivery).where(ScoreDelivery.status.in_((FAILED, DEFERRED)))
    if ids is not None:
        query = query.where(ScoreDelivery.id.in_(ids))
    elif not all_failed:
        return []
    else:
        query = query.where(ScoreDelivery.status == FAILED)
    requeued = []
    now = utcnow()
    for delivery in db.session.scalars(query.order_by(ScoreDelivery.id)).all():
        newer = db.session.scalar(
            select(func.max(ScoreDelivery.id)).where(
                ScoreDelivery.score_key == delivery.score_key,
                ScoreDelivery.id > delivery.id,
                ScoreDelivery.status.in_((PENDING, DELIVERING, DEFERRED, DELIVERED, FAILED)),
            )
        )
        values: dict[str, Any]
        if newer is not None:
            values = {"status": SUPERSEDED, "superseded_by_id": newer}
        else:
            values = {"status": PENDING, "attempts": 0, "next_attempt_at": now}
            requeued.append(delivery.id)
        db.session.execute(
            update(ScoreDelivery)
            .where(ScoreDelivery.id == delivery.id, ScoreDelivery.status == delivery.status)
            .values(**values),
            execution_options={"synchronize_session": False},
        )
    db.session.commit()
    return requeued


def due_count() -> int:
    """Scores waiting whose next attempt is due now."""
    return int(
        db.session.scalar(
            select(func.count()).where(
                ScoreDelivery.status.in_((PENDING, DEFERRED)), ScoreDelivery.next_attempt_at <= utcnow()
            )
        )
        or 0
    )
