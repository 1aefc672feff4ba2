"""The people around a learner, as pages: a learner invites a manager or mentor and chooses what each sees; a
manager or mentor opens what a learner shared, records check-ins in their own name, verifies a level and
recognises an achieved goal (decision 0019). Form posts carry the launch token, like the profile page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Response, render_template, request

from career_core.checkins import AGENDA_TEMPLATES
from lti_app.career import partners
from lti_app.career.careers import catalog
from lti_app.career.errors import CareerServiceError, InvalidInput
from lti_app.models.partners import PARTNER_KINDS, SHARE_ITEMS
from lti_app.models.people import LEARNER, MANAGER, MENTOR, LaunchSession
from lti_app.pages.views import Renderer, _form_session, _framed, _page, bp, form_number, refusal

KIND_LABELS = {"manager": "Manager", "mentor": "Mentor"}
STATE_LABELS = {"invited": "Invited, not accepted yet", "active": "Active", "ended": "Ended"}


def partners_land_on_people(kind: str, render: Renderer) -> Renderer:
    """A manager or mentor launching any activity lands on the people they support: they have no records of
    their own in a learner's course, and see a learner only through what that learner shares."""
    if kind == "deep_linking":
        return render

    def land(session: LaunchSession, token: str) -> str:
        if session.role in (MANAGER, MENTOR):
            return _people_html(session, token)
        return render(session, token)

    land.__name__ = getattr(render, "__name__", "render")
    return land


def _people_html(session: LaunchSession, token: str, **context: Any) -> str:
    return _page(
        "pages/people.html",
        session,
        token,
        people=partners.my_people(session),
        recognition=partners.my_recognition(session) if session.role == LEARNER else None,
        roster=partners.roster_candidates(session) if session.context_pk else [],
        kinds=PARTNER_KINDS,
        kind_labels=KIND_LABELS,
        state_labels=STATE_LABELS,
        share_items=SHARE_ITEMS,
        item_labels=partners.ITEM_LABELS,
        on_people_page=True,
        **context,
    )


def _people_page(session: LaunchSession, status: int = 200, **context: Any) -> Response:
    return _framed(_people_html(session, request.form["token"], **context), session, status)


def _people_action(action: Callable[[LaunchSession], dict[str, Any]], done: str) -> Response:
    """Run a change and show the page again; a refused change shows why, with its 4xx. :raise 401:"""
    session = _form_session()
    try:
        result = action(session)
    except CareerServiceError as error:
        return _people_page(session, error.status, problem=refusal(error))
    return _people_page(session, message=done, invitation=result if "code" in result else None)


def _link_id() -> int:
    return form_number("link_id")


@bp.post("/pages/people")
def people_page() -> Response:
    """The caller's managers and mentors, and the learners they support. :raise 401:"""
    return _people_page(_form_session())


@bp.post("/pages/people/invite")
def people_invite() -> Response:
    """Invite a roster member, or (no member chosen) create a one-time invitation link. :raise 401:"""
    kind = request.form.get("kind", "")
    sub = request.form.get("sub", "")
    label = KIND_LABELS.get(kind, kind).lower()
    if sub:
        return _people_action(lambda s: partners.invite_from_roster(s, sub, kind), f"Invited as your {label}.")
    done = f"Here is your invitation link: send it to your {label}. It is shown once."
    return _people_action(lambda s: partners.create_invitation(s, kind), done)


@bp.post("/pages/people/accept")
def people_accept() -> Response:
    """Accept an invitation link pasted by the invited person. :raise 401:"""
    text = request.form.get("invitation", "")[:1000]
    return _people_action(lambda s: partners.accept_invitation(s, text), "Accepted: you can now see what they share.")


@bp.post("/pages/people/respond")
def people_respond() -> Response:
    """Accept or decline a roster invitation. :raise 401:"""
    accept = request.form.get("accept") == "yes"
    done = "Accepted: you can now see what they share." if accept else "Declined."
    return _people_action(lambda s: partners.respond(s, _link_id(), accept), done)


@bp.post("/pages/people/shares")
def people_shares() -> Response:
    """Share exactly the ticked items with one manager or mentor. :raise 401:"""
    items = request.form.getlist("item")
    return _people_action(lambda s: partners.set_shares(s, _link_id(), items), "Saved: they see what you ticked.")


@bp.post("/pages/people/end")
def people_end() -> Response:
    """End a relationship (either side); nothing stays shared. :raise 401:"""
    return _people_action(lambda s: partners.end_link(s, _link_id()), "Ended: nothing is shared any more.")


# --- the partner's view of one learner ---------------------------------------------------------------------------


def _learner_page(session: LaunchSession, link_id: int, status: int = 200, **context: Any) -> Response:
    try:
        view = partners.learner_view(session, link_id)
    except CareerServiceError as error:
        return _people_page(session, error.status, problem=refusal(error))
    html = _page(
        "pages/people_learner.html",
        session,
        request.form["token"],
        view=view,
        agendas=list(AGENDA_TEMPLATES.values()),
        levels=[(level.value, level.name) for level in catalog().scale.levels],
        skill_names=partners.skill_names(),
        item_labels=partners.ITEM_LABELS,
        today=date.today().isoformat(),
        on_people_page=True,
        **context,
    )
    return _framed(html, session, status)


def _learner_action(action: Callable[[LaunchSession, int], Any], done: str) -> Response:
    session = _form_session()
    link_id = _link_id()
    try:
        action(session, link_id)
    except CareerServiceError as error:
        # Keep what was typed: the form shows it again next to the reason.
        return _learner_page(session, link_id, error.status, problem=refusal(error), typed=request.form)
    return _learner_page(session, link_id, message=done)


def _int_field(name: str) -> int:
    number = form_number(name)
    if not number:
        raise InvalidInput.field(name, "choose one from the list")
    return number


@bp.post("/pages/people/learner")
def people_learner() -> Response:
    """What one learner shares with the caller (logged in the learner's record-read log). :raise 401:"""
    session = _form_session()
    return _learner_page(session, _link_id())


@bp.post("/pages/people/learner/checkin")
def people_checkin() -> Response:
    """Record a check-in on the learner's shared plan, in the caller's own name. :raise 401:"""
    form = request.form
    data = {
        "held_on": form.get("held_on", ""),
        "agenda_template": form.get("agenda_template") or None,
        "notes": form.get("notes", ""),
        "agreed_actions": [line.strip() for line in form.get("agreed_actions", "").splitlines() if line.strip()],
        "next_checkin_on": form.get("next_checkin_on") or None,
    }
    return _learner_action(
        lambda s, link: partners.partner_checkin(s, link, _int_field("plan_id"), data), "Check-in saved."
    )


@bp.post("/pages/people/learner/verify")
def people_verify() -> Response:
    """Verify the learner's level on a skill. :raise 401:"""
    form = request.form
    return _learner_action(
        lambda s, link: partners.verify_skill(
            s, link, form.get("skill_code", ""), _int_field("level"), form.get("note", "")
        ),
        "Level verified: it shows in their skill evidence as verified by you.",
    )


@bp.post("/pages/people/learner/recognise")
def people_recognise() -> Response:
    """Recognise an achieved goal with a message (and, if asked, an Open Badges credential). :raise 401:"""
    form = request.form
    return _learner_action(
        lambda s, link: partners.recognise(
            s,
            link,
            _int_field("plan_id"),
            form.get("goal_id", ""),
            form.get("message", ""),
            credential=form.get("credential") == "yes",
        ),
        "Recognition sent.",
    )


@bp.get("/partners/invitation/<code>")
def invitation_landing(code: str) -> Response:
    """Where an invitation link opened outside the LMS lands: how to accept it (nothing about anyone shown)."""
    del code  # accepted only from the invited person's own launch, where they paste the link
    return Response(render_template("pages/invitation_landing.html"), mimetype="text/html")
