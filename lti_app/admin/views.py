"""Pages for a platform's administrators: grade delivery (pending, failed, retry), learners' data
(erasure, retention) and programme insight (aggregate figures, CSV; a course's instructors see their course).

The pages are reached by a form POST carrying the launch token (no cookie, no token in a URL), and show
only the administrator's own platform: another platform's deliveries or learners are never listed or touched.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, render_template, request
from sqlalchemy import select, true

from lti_app.career import insight
from lti_app.career.erasure import erase_identity, set_retention
from lti_app.career.errors import InvalidInput, NotFound
from lti_app.extensions import db
from lti_app.grades.status import delivery_status, retry_deliveries
from lti_app.launch_tokens import InvalidLaunchToken, session_for_token
from lti_app.models.grades import ScoreDelivery
from lti_app.models.people import ADMINISTRATOR, INSTRUCTOR, Context, LaunchSession, LtiUser

bp = Blueprint("admin", __name__, url_prefix="/admin")


def administrator_launch() -> tuple[LaunchSession, str]:
    """The administrator's launch behind the posted token. :raise 401: bad token :raise 403: not an admin."""
    token = request.form.get("api_token", "")
    try:
        session = session_for_token(token)
    except InvalidLaunchToken:
        abort(401, "Open this page from the Career Toolkit in your course: the launch token is missing or expired.")
    if session.role != ADMINISTRATOR:
        abort(403, "Only the platform's administrators may open this page.")
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


def _learners_page(session: LaunchSession, token: str, status: int = 200, **context: Any) -> tuple[str, int]:
    users = db.session.scalars(
        select(LtiUser).where(LtiUser.issuer == session.platform.issuer).order_by(LtiUser.last_launch_at, LtiUser.id)
    ).all()
    page = render_template("admin/learners.html", api_token=token, platform=session.platform, users=users, **context)
    return page, status


@bp.post("/learners")
def learners() -> tuple[str, int]:
    """The platform's learners, with erasure and the retention setting. :raise 401/403: see above."""
    session, token = administrator_launch()
    return _learners_page(session, token)


@bp.post("/learners/erase")
def erase_learner() -> tuple[str, int]:
    """Erase one learner of this platform; ``confirm`` must repeat their ``sub``.

    :raise 404: no such learner on this platform. Answers 400 (nothing erased) when the confirmation differs.
    """
    session, token = administrator_launch()
    raw = request.form.get("user_id", "")
    user = db.session.get(LtiUser, int(raw)) if raw.isdigit() else None
    if user is None or user.issuer != session.platform.issuer:
        abort(404, "No such learner on this platform.")
    if user.id == session.user_id:
        return _learners_page(session, token, 400, problem="You cannot erase yourself from this launch.")
    if request.form.get("confirm", "").strip() != user.sub:
        return _learners_page(session, token, 400, problem="The confirmation did not match; nothing was erased.")
    erased = erase_identity(user, requested_by="administrator")
    return _learners_page(session, token, erased=erased)


@bp.post("/learners/retention")
def learner_retention() -> tuple[str, int]:
    """Set how many days this platform's inactive learners are kept (empty: until erased). 400 on bad input."""
    session, token = administrator_launch()
    raw = request.form.get("days", "").strip()
    if raw and (not raw.isdigit() or int(raw) < 1):
        return _learners_page(session, token, 400, problem="Give a whole number of days (1 or more), or none.")
    set_retention(session.platform, int(raw) if raw else None)
    return _learners_page(session, token)


def insight_launch() -> tuple[LaunchSession, str]:
    """An administrator's launch, or an instructor's launch in a course (who sees that course only).

    :raise 401: bad token. :raise 403: neither.
    """
    token = request.form.get("api_token", "")
    try:
        session = session_for_token(token)
    except InvalidLaunchToken:
        abort(401, "Open this page from the Career Toolkit in your course: the launch token is missing or expired.")
    if session.role != ADMINISTRATOR and (session.role != INSTRUCTOR or session.context_pk is None):
        abort(403, "Programme insight is for the platform's administrators and a course's instructors.")
    return session, token


def _insight_filters() -> tuple[int | None, date | None, date | None]:
    """The page's filters from the form; unreadable ones are ignored (the figures then cover more)."""

    def day(name: str) -> date | None:
        try:
            return date.fromisoformat(request.form.get(name, "").strip())
        except ValueError:
            return None

    raw = request.form.get("course_id", "").strip()
    return (int(raw) if raw.isdigit() else None), day("since"), day("until")


@bp.post("/insight")
def programme_insight() -> Response | tuple[str, int]:
    """Programme insight for this platform (or one course of it; an instructor: their course), aggregate figures
    only; ``format=csv`` answers the CSV export. :raise 401/403: see ``insight_launch``. Answers 400 on a course
    the caller may not see or a period that ends before it starts."""
    session, token = insight_launch()
    course_id, since, until = _insight_filters()
    courses = db.session.scalars(
        select(Context)
        .where(Context.platform_id == session.platform_id)
        .where(Context.id == session.context_pk if session.role != ADMINISTRATOR else true())
        .order_by(Context.title, Context.id)
    ).all()
    try:
        figures = insight.programme_insight(session, course_id, since, until)
    except (NotFound, InvalidInput) as error:
        page = render_template(
            "admin/insight.html", api_token=token, courses=courses, figures=None, problem=error.message
        )
        return page, 400
    if request.form.get("format") == "csv":
        disposition = {"Content-Disposition": "attachment; filename=programme-insight.csv"}
        return Response(insight.insight_csv(figures), mimetype="text/csv", headers=disposition)
    page = render_template("admin/insight.html", api_token=token, courses=courses, figures=figures, problem=None)
    return page, 200
