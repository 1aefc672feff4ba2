"""The course's mentoring programme, as a page: ask for help on skills and see mentors ranked by how well they
cover it, explained per skill; request one; volunteer as a mentor; accept or decline; log sessions; end with
feedback (decision 0022). Form posts carry the launch token, like the profile and people pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Response, request

from career_core.checkins import AGENDA_TEMPLATES
from career_core.mentoring import CAPACITY_MAX, CAPACITY_MIN
from career_core.mentoring_programme import MAX_ASKED_SKILLS
from lti_app.career import programme
from lti_app.career.careers import catalog
from lti_app.career.errors import CareerServiceError
from lti_app.models.people import LaunchSession
from lti_app.pages.views import _form_session, _framed, _page, bp, form_number, form_numbers, refusal

ASK_ROWS = 3  # skill rows the ask form shows; saved asks show all theirs plus empty rows up to this
STATE_LABELS = {
    "requested": "Waiting for an answer",
    "accepted": "Mentoring",
    "declined": "Declined",
    "withdrawn": "Withdrawn",
    "ended": "Ended",
}


def _mentoring_html(session: LaunchSession, token: str, **context: Any) -> str:
    scale = catalog().scale
    return _page(
        "pages/mentoring.html",
        session,
        token,
        offer=programme.my_offer(session)["offer"],
        proposed=programme.proposals(session),
        requests=programme.my_requests(session),
        sessions=programme.my_sessions(session)["sessions"],
        skills=sorted(programme.skill_names().items(), key=lambda item: item[1]),
        levels=[(level.value, level.name) for level in scale.levels],
        capacities=range(CAPACITY_MIN, CAPACITY_MAX + 1),
        agendas=list(AGENDA_TEMPLATES.values()),
        ask_rows=ASK_ROWS,
        max_asked=MAX_ASKED_SKILLS,
        state_labels=STATE_LABELS,
        today=date.today().isoformat(),
        on_mentoring_page=True,
        **context,
    )


def _mentoring_page(session: LaunchSession, status: int = 200, **context: Any) -> Response:
    return _framed(_mentoring_html(session, request.form["token"], **context), session, status)


def _mentoring_action(action: Callable[[LaunchSession], Any], done: str) -> Response:
    """Run a change and show the page again; a refused change answers its 4xx and keeps what was typed."""
    session = _form_session()
    try:
        action(session)
    except CareerServiceError as error:
        return _mentoring_page(session, error.status, problem=refusal(error), typed=request.form)
    return _mentoring_page(session, message=done)


def _ask_targets() -> dict[str, Any]:
    """``{skill_code: level}`` from the form's rows; a row without a skill is left out, a bad level is passed on
    for career_core to refuse with its reason."""
    skills = request.form.getlist("ask_skill")
    levels = request.form.getlist("ask_level")
    targets: dict[str, Any] = {}
    for code, level in zip(skills, levels, strict=False):
        if code:
            targets[code] = int(level) if level.isdigit() and len(level) < 3 else level
    return {"targets": targets}


@bp.post("/pages/mentoring")
def mentoring_page() -> Response:
    """The caller's mentoring in this course. :raise 401:"""
    return _mentoring_page(_form_session())


@bp.post("/pages/mentoring/ask")
def mentoring_ask() -> Response:
    """Save the skills the caller wants help on, each with a level to aim for. :raise 401:"""
    targets = _ask_targets()
    return _mentoring_action(
        lambda s: programme.ask_help(s, programme.COURSE, targets), "Saved: here are the mentors who can help most."
    )


@bp.post("/pages/mentoring/request")
def mentoring_request() -> Response:
    """Ask one proposed mentor to mentor the caller. :raise 401:"""
    mentor = form_number("mentor_user_id")
    body = {"message": request.form.get("message", "")}
    return _mentoring_action(
        lambda s: programme.request_mentor(s, programme.COURSE, mentor, body), "Request sent: they will answer here."
    )


@bp.post("/pages/mentoring/volunteer")
def mentoring_volunteer() -> Response:
    """Volunteer as a mentor with the skills ticked and a capacity. :raise 401:"""
    body = {"skills": request.form.getlist("offer_skill"), "capacity": form_number("capacity")}
    return _mentoring_action(
        lambda s: programme.volunteer(s, programme.COURSE, body), "Thank you: mentees who need these skills see you."
    )


@bp.post("/pages/mentoring/stop-volunteering")
def mentoring_stop_volunteering() -> Response:
    """Stop volunteering (accepted mentees stay until the relationship ends). :raise 401:"""
    return _mentoring_action(
        lambda s: programme.withdraw_offer(s, programme.COURSE), "You no longer appear to mentees."
    )


@bp.post("/pages/mentoring/respond")
def mentoring_respond() -> Response:
    """The mentor accepts or declines a request. :raise 401:"""
    accept = request.form.get("accept") == "yes"
    done = "Accepted: log your sessions here." if accept else "Declined."
    return _mentoring_action(lambda s: programme.respond(s, form_number("request_id"), accept), done)


@bp.post("/pages/mentoring/withdraw")
def mentoring_withdraw() -> Response:
    """The mentee withdraws an unanswered request. :raise 401:"""
    return _mentoring_action(lambda s: programme.withdraw(s, form_number("request_id")), "Request withdrawn.")


@bp.post("/pages/mentoring/end")
def mentoring_end() -> Response:
    """Either person ends a relationship, with a rating and a short note. :raise 401:"""
    rating = form_number("rating")
    feedback = {"rating": rating, "text": request.form.get("feedback", "")} if rating > 0 else None
    return _mentoring_action(
        lambda s: programme.end(s, form_number("request_id"), feedback), "Ended. Thank you for your feedback."
    )


@bp.post("/pages/mentoring/session")
def mentoring_session() -> Response:
    """The mentor logs a session with one or several of their mentees. :raise 401:"""
    ids = form_numbers("request_id")
    body = {
        "held_on": request.form.get("held_on", ""),
        "agenda_template": request.form.get("agenda_template") or None,
        "notes": request.form.get("notes", ""),
    }
    return _mentoring_action(lambda s: programme.log_session(s, ids, body), "Session logged.")
