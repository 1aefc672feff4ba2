"""Grade delivery for a platform's administrators: what is pending and what failed, with retry.

The page is reached by a form POST carrying the launch token (no cookie, no token in a URL), and shows
only the administrator's own platform: another platform's deliveries are never listed or retried.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request
from sqlalchemy import select

from lti_app.extensions import db
from lti_app.grades.status import delivery_status, retry_deliveries
from lti_app.launch_tokens import InvalidLaunchToken, session_for_token
from lti_app.models.grades import ScoreDelivery
from lti_app.models.people import ADMINISTRATOR, LaunchSession

bp = Blueprint("admin", __name__, url_prefix="/admin")


def administrator_launch() -> tuple[LaunchSession, str]:
    """The administrator's launch behind the posted token. :raise 401: bad token :raise 403: not an admin."""
    token = request.form.get("api_token", "")
    try:
        session = session_for_token(token)
    except InvalidLaunchToken:
        abort(401, "Open this page from the Career Toolkit in your course: the launch token is missing or expired.")
    if session.role != ADMINISTRATOR:
        abort(403, "Only the platform's administrators see grade delivery.")
    return session, token


def platform_status(platform_id: int) -> dict[str, Any]:
    status = delivery_status()
    return {
        "signing_key_problem": status["signing_key_problem"],
        "platform": next((p for p in status["platforms"] if p["platform_id"] == platform_id), None),
        "failed": [row for row in status["failed"] if row["platform_id"] == platform_id],
    }


@bp.post("/grades")
def grades() -> str:
    """:raise 401/403: see ``administrator_launch``."""
    session, token = administrator_launch()
    return render_template("admin/grades.html", api_token=token, status=platform_status(session.platform_id))


@bp.post("/grades/retry")
def retry() -> str:
    """Retry the chosen failed deliveries of this platform (ids of other platforms are ignored)."""
    session, token = administrator_launch()
    wanted = [int(value) for value in request.form.getlist("delivery_id") if value.isdigit()]
    own = list(
        db.session.scalars(
            select(ScoreDelivery.id).where(
                ScoreDelivery.id.in_(wanted), ScoreDelivery.platform_id == session.platform_id
            )
        )
    )
    requeued = retry_deliveries(own) if own else []
    return render_template(
        "admin/grades.html", api_token=token, status=platform_status(session.platform_id), requeued=requeued
    )
