"""The mentoring programme as a service: volunteering, asking for help, proposals, requests and their answers,
sessions, feedback, and the programme-wide assignment for the people who run it (decision 0022).

A programme is one course (``scope="course"``, the launch's context) or the caller's whole platform
(``scope="platform"``). Every query is bound to the caller's platform; a request, session or feedback is reached
only by its mentee or its mentor, anything else answers 404 like a missing record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select

from career_core.checkins import AGENDA_TEMPLATES, AgendaTemplate
from career_core.errors import ValidationError
from career_core.evidence import EvidenceSource
from career_core.mentoring import (
    MatchingRules,
    MenteeNeeds,
    MentorOffer,
    Proposal,
    explain_assignment,
    explain_fit,
    propose_mentors,
)
from career_core.mentoring_programme import (
    OPEN_STATES,
    Party,
    RequestAction,
    RequestState,
    RequestTransitionError,
    allowed_actions,
    parse_ask,
    parse_feedback,
    parse_message,
    parse_offer,
    parse_session,
    seat_taken,
    transition,
)
from lti_app.career.access import context_pk, is_staff
from lti_app.career.careers import catalog
from lti_app.career.errors import Conflict, Forbidden, InvalidInput, NotFound
from lti_app.career.mentor_matching import optimal_assignment
from lti_app.career.partners import manager_pairs
from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.career import EvidenceRecordRow
from lti_app.models.mentoring import (
    MentoringAskRecord,
    MentoringFeedbackRecord,
    MentoringRequestRecord,
    MentoringSessionPair,
    MentoringSessionRecord,
    MentorOfferRecord,
)
from lti_app.models.people import ADMINISTRATOR, LaunchSession, LtiUser

COURSE = "course"
PLATFORM = "platform"
SCOPES = (COURSE, PLATFORM)
_OPEN = tuple(state.value for state in OPEN_STATES)


@dataclass(frozen=True)
class Programme:
    """One programme: a course of a platform, or (``context_pk`` None) the platform as a whole."""

    platform_id: int
    context_pk: int | None

    @property
    def scope(self) -> str:
        return PLATFORM if self.context_pk is None else COURSE

    def where(self, model: Any) -> ColumnElement[bool]:
        same_course = model.context_pk.is_(None) if self.context_pk is None else model.context_pk == self.context_pk
        return (model.platform_id == self.platform_id) & same_course


def programme_of(session: LaunchSession, scope: str = COURSE) -> Programme:
    """:raise InvalidInput: unknown scope. :raise Forbidden: a course programme from a launch with no course."""
    if scope not in SCOPES:
        raise InvalidInput.field("scope", f"must be one of {', '.join(SCOPES)}")
    if scope == PLATFORM:
        return Programme(session.platform_id, None)
    return Programme(session.platform_id, context_pk(session))


def _programme_of_row(row: Any) -> Programme:
    return Programme(row.platform_id, row.context_pk)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def skill_names() -> dict[str, str]:
    return {skill.code: skill.name for skill in catalog().framework.skills}


def _scale_levels() -> list[int]:
    return [level.value for level in catalog().framework.scale.levels]


def _person(user: LtiUser | None) -> dict[str, Any] | None:
    return {"user_id": user.id, "name": user.display_name} if user is not None else None


# --- what people bring: levels from their self-ratings and verified evidence ------------------------------------


def _identities(user_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    """Each user's identities (itself and those the person linked), in two queries for a whole programme."""
    ids = set(user_ids)
    if not ids:
        return {}
    users = db.session.execute(select(LtiUser.id, LtiUser.profile_id).where(LtiUser.id.in_(ids))).all()
    profiles = {profile for _, profile in users if profile is not None}
    linked: dict[int, list[int]] = {}
    if profiles:
        for user_id, profile in db.session.execute(
            select(LtiUser.id, LtiUser.profile_id).where(LtiUser.profile_id.in_(profiles)).order_by(LtiUser.id)
        ):
            if profile is not None:
                linked.setdefault(profile, []).append(user_id)
    return {
        user_id: (user_id, *[o for o in linked.get(profile, []) if o != user_id]) if profile else (user_id,)
        for user_id, profile in users
    }


def levels_of(user_ids: Iterable[int]) -> dict[int, tuple[dict[str, float], dict[str, float]]]:
    """Each person's latest self-rated and latest verified level per skill, from their evidence (one query)."""
    identities = _identities(user_ids)
    owner = {identity: user_id for user_id, ids in identities.items() for identity in ids}
    found: dict[int, tuple[dict[str, float], dict[str, float]]] = {user_id: ({}, {}) for user_id in identities}
    if not owner:
        return found
    rows = db.session.execute(
        select(
            EvidenceRecordRow.user_id, EvidenceRecordRow.skill_code, EvidenceRecordRow.level, EvidenceRecordRow.source
        )
        .where(
            EvidenceRecordRow.user_id.in_(owner),
            EvidenceRecordRow.level.is_not(None),
            EvidenceRecordRow.source.in_(
                (EvidenceSource.SELF_ASSESSMENT.value, EvidenceSource.MANAGER_VERIFICATION.value)
            ),
        )
        .order_by(EvidenceRecordRow.recorded_at, EvidenceRecordRow.id)
    )
    for identity, code, level, source in rows:
        if level is None:
            continue
        self_rated, verified = found[owner[identity]]
        (verified if source == EvidenceSource.MANAGER_VERIFICATION.value else self_rated)[code] = float(level)
    return found


def _current(levels: tuple[dict[str, float], dict[str, float]]) -> dict[str, float]:
    """Where a mentee stands: their verified level where one exists, else their own rating."""
    self_rated, verified = levels
    return {**self_rated, **verified}


def _mentee(ask: MentoringAskRecord, levels: tuple[dict[str, float], dict[str, float]]) -> MenteeNeeds:
    return MenteeNeeds.asking_help(str(ask.user_id), _current(levels), {k: float(v) for k, v in ask.targets.items()})


def _mentor(offer: MentorOfferRecord, levels: tuple[dict[str, float], dict[str, float]], seats: int) -> MentorOffer:
    self_rated, verified = levels
    return MentorOffer.from_evidence(
        str(offer.user_id),
        self_ratings=self_rated,
        verified_levels=verified,
        capacity=max(1, seats),
        offered_skills=offer.skills,
    )


def _accepted_counts(programme: Programme) -> dict[int, int]:
    rows = db.session.execute(
        select(MentoringRequestRecord.mentor_user_id, func.count())
        .where(programme.where(MentoringRequestRecord), MentoringRequestRecord.state == RequestState.ACCEPTED.value)
        .group_by(MentoringRequestRecord.mentor_user_id)
    )
    return {mentor: int(count) for mentor, count in rows}


def _rules(programme: Programme, people: set[int]) -> MatchingRules:
    """Not one's own manager (active manager links), not a mentor who already declined the mentee (on this
    platform, in any of its programmes); oneself is always excluded."""
    managers: dict[str, set[str]] = {}
    for learner, manager in manager_pairs(people):
        managers.setdefault(str(learner), set()).add(str(manager))
    declined = db.session.execute(
        select(MentoringRequestRecord.mentee_user_id, MentoringRequestRecord.mentor_user_id).where(
            MentoringRequestRecord.platform_id == programme.platform_id,
            MentoringRequestRecord.state == RequestState.DECLINED.value,
            MentoringRequestRecord.mentee_user_id.in_(people),
        )
    )
    return MatchingRules.build(managers=managers, declined={(str(e), str(m)) for e, m in declined})


# --- offers and asks ---------------------------------------------------------------------------------------------


def _own_row(model: Any, session: LaunchSession, programme: Programme) -> Any:
    return db.session.scalars(
        select(model).where(programme.where(model), model.user_id == session.user_id).order_by(model.id)
    ).first()


def _own_row_or_new(model: Any, session: LaunchSession, programme: Programme) -> Any:
    """The caller's offer or ask in this programme, or a new one added to the session."""
    row = _own_row(model, session, programme)
    if row is None:
        row = model(platform_id=programme.platform_id, context_pk=programme.context_pk, user_id=session.user_id)
        db.session.add(row)
    return row


def _offer_json(row: MentorOfferRecord | None, programme: Programme) -> dict[str, Any] | None:
    if row is None:
        return None
    names = skill_names()
    accepted = _accepted_counts(programme).get(row.user_id, 0)
    return {
        "scope": programme.scope,
        "capacity": row.capacity,
        "format": "one_to_one" if row.capacity == 1 else "small_group",
        "skills": [{"skill_code": code, "skill_name": names.get(code, code)} for code in row.skills],
        "mentees": accepted,
        "seats_left": max(0, row.capacity - accepted),
        "updated_at": _aware(row.updated_at),
    }


def my_offer(session: LaunchSession, scope: str = COURSE) -> dict[str, Any]:
    programme = programme_of(session, scope)
    return {"offer": _offer_json(_own_row(MentorOfferRecord, session, programme), programme)}


def volunteer(session: LaunchSession, scope: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Volunteer as a mentor (or change the offer): skills offered and capacity 1-5. Commits.

    :raise InvalidInput: capacity or skills refused by career_core.
    :raise Conflict: a capacity below the mentees already accepted.
    """
    programme = programme_of(session, scope)
    try:
        offer = parse_offer(data, skill_names())
    except ValidationError as error:
        raise InvalidInput.from_domain(error) from error
    accepted = _accepted_counts(programme).get(session.user_id, 0)
    if offer.capacity < accepted:
        raise Conflict(f"You mentor {accepted} people now: end a relationship before lowering your capacity.")
    row = _own_row_or_new(MentorOfferRecord, session, programme)
    row.capacity, row.skills, row.updated_at = offer.capacity, list(offer.skills), utcnow()
    db.session.commit()
    return {"offer": _offer_json(row, programme)}


def withdraw_offer(session: LaunchSession, scope: str = COURSE) -> None:
    """Stop volunteering; pairs already accepted go on until ended. Commits. :raise NotFound: no offer."""
    programme = programme_of(session, scope)
    row = _own_row(MentorOfferRecord, session, programme)
    if row is None:
        raise NotFound("You have not volunteered in this programme.")
    db.session.delete(row)
    db.session.commit()


def _ask_json(row: MentoringAskRecord | None, programme: Programme) -> dict[str, Any] | None:
    if row is None:
        return None
    names = skill_names()
    return {
        "scope": programme.scope,
        "targets": [
            {"skill_code": code, "skill_name": names.get(code, code), "target": level}
            for code, level in sorted(row.targets.items())
        ],
        "updated_at": _aware(row.updated_at),
    }


def my_ask(session: LaunchSession, scope: str = COURSE) -> dict[str, Any]:
    programme = programme_of(session, scope)
    return {"ask": _ask_json(_own_row(MentoringAskRecord, session, programme), programme)}


def ask_help(session: LaunchSession, scope: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Ask for help on skills, each with the level aimed for (or change the ask). Commits.

    :raise InvalidInput: unknown skills or levels off the scale.
    """
    programme = programme_of(session, scope)
    try:
        targets = parse_ask(data, skill_names(), _scale_levels())
    except ValidationError as error:
        raise InvalidInput.from_domain(error) from error
    row = _own_row_or_new(MentoringAskRecord, session, programme)
    row.targets, row.updated_at = targets, utcnow()
    db.session.commit()
    return {"ask": _ask_json(row, programme)}


def withdraw_ask(session: LaunchSession, scope: str = COURSE) -> None:
    """:raise NotFound: no ask. Commits."""
    programme = programme_of(session, scope)
    row = _own_row(MentoringAskRecord, session, programme)
    if row is None:
        raise NotFound("You have not asked for help in this programme.")
    db.session.delete(row)
    db.session.commit()


# --- proposals: one mentee's ranked mentors, explained per skill ------------------------------------------------


def coverage_json(proposal: Proposal, *, with_levels: bool = True) -> list[dict[str, Any]]:
    """The proposal's explanation per skill of the mentee's gaps; without levels for programme staff."""
    names = skill_names()
    items = []
    for item in proposal.coverage:
        entry: dict[str, Any] = {
            "skill_code": item.skill_code,
            "skill_name": names.get(item.skill_code, item.skill_code),
            "covered": round(item.covered, 4),
            "share": round(item.share, 4),
        }
        if with_levels:
            entry |= {
                "mentee_level": item.mentee_level,
                "target": item.target,
                "mentor_level": item.mentor_level,
                "basis": item.basis.value if item.basis else None,
            }
        items.append(entry)
    return items


def _offers_with_seats(programme: Programme) -> list[tuple[MentorOfferRecord, int]]:
    accepted = _accepted_counts(programme)
    offers = db.session.scalars(
        select(MentorOfferRecord).where(programme.where(MentorOfferRecord)).order_by(MentorOfferRecord.id)
    )
    return [(offer, offer.capacity - accepted.get(offer.user_id, 0)) for offer in offers]


def proposals(session: LaunchSession, scope: str = COURSE, limit: int = 10) -> dict[str, Any]:
    """The caller's ask, and the mentors with a seat left ranked by how much of the caller's gaps they cover.

    Mentors the must-not rules exclude (oneself, one's manager, one who declined) never appear.
    """
    programme = programme_of(session, scope)
    ask = _own_row(MentoringAskRecord, session, programme)
    if ask is None:
        return {"ask": None, "proposals": []}
    offers = [(offer, seats) for offer, seats in _offers_with_seats(programme) if seats > 0]
    people = {session.user_id, *(offer.user_id for offer, _ in offers)}
    levels = levels_of(people)
    mentee = _mentee(ask, levels[session.user_id])
    mentors = {str(offer.user_id): (offer, _mentor(offer, levels[offer.user_id], seats)) for offer, seats in offers}
    ranked = propose_mentors(mentee, [m for _, m in mentors.values()], _rules(programme, people), limit=limit)
    open_to = dict(
        db.session.execute(
            select(MentoringRequestRecord.mentor_user_id, MentoringRequestRecord.state).where(
                programme.where(MentoringRequestRecord),
                MentoringRequestRecord.mentee_user_id == session.user_id,
                MentoringRequestRecord.state.in_(_OPEN),
            )
        ).all()
    )
    users = {u.id: u for u in db.session.scalars(select(LtiUser).where(LtiUser.id.in_(people)))}
    return {
        "ask": _ask_json(ask, programme),
        "proposals": [
            {
                "mentor": _person(users[int(p.mentor_id)]),
                "fit": round(p.fit, 4),
                "format": p.format.value,
                "seats_left": mentors[p.mentor_id][1].capacity,
                "coverage": coverage_json(p),
                "request_state": open_to.get(int(p.mentor_id)),
            }
            for p in ranked
        ],
    }


# --- requests: the mentee asks, the mentor answers, either ends --------------------------------------------------


def _party(row: MentoringRequestRecord, session: LaunchSession) -> Party | None:
    if row.platform_id != session.platform_id:
        return None
    if row.mentee_user_id == session.user_id:
        return Party.MENTEE
    if row.mentor_user_id == session.user_id:
        return Party.MENTOR
    return None


def _my_request(session: LaunchSession, request_id: int) -> tuple[MentoringRequestRecord, Party]:
    """:raise NotFound: not a request the caller is the mentee or the mentor of."""
    row = db.session.get(MentoringRequestRecord, request_id)
    party = _party(row, session) if row is not None else None
    if row is None or party is None:
        raise NotFound("No such mentoring request.")
    return row, party


def request_json(row: MentoringRequestRecord, party: Party) -> dict[str, Any]:
    """A request as one of its two people sees it: the other person, what the mentee sent (until withdrawn),
    their own feedback."""
    other = row.mentor if party is Party.MENTEE else row.mentee
    # A request withdrawn before any answer takes back what the mentee sent with it.
    retracted = party is Party.MENTOR and row.state == RequestState.WITHDRAWN.value
    mine = db.session.scalars(
        select(MentoringFeedbackRecord).where(
            MentoringFeedbackRecord.request_id == row.id,
            MentoringFeedbackRecord.author_party == party.value,
        )
    ).first()
    return {
        "id": row.id,
        "scope": _programme_of_row(row).scope,
        "role": party.value,
        "person": _person(other),
        "state": row.state,
        "fit": row.fit,
        "explanation": [] if retracted else row.explanation,
        "message": "" if retracted else row.message,
        "allowed_actions": [action.value for action in allowed_actions(RequestState(row.state), party)],
        "my_feedback": {"rating": mine.rating, "text": mine.text} if mine is not None else None,
        "created_at": _aware(row.created_at),
        "answered_at": _aware(row.answered_at),
        "ended_at": _aware(row.ended_at),
    }


def request_mentor(session: LaunchSession, scope: str, mentor_user_id: int, data: Mapping[str, Any]) -> dict[str, Any]:
    """The caller asks a volunteer of the programme to mentor them; the request carries the proposal's
    explanation (the caller's levels on the skills asked: what they choose to show this mentor). Commits.

    :raise NotFound: no such volunteer in this programme. :raise InvalidInput: message too long, no ask.
    :raise Conflict: a must-not rule (oneself, one's manager, declined before), no fit, no seat left, or the caller
        already has an open request or a mentor in this programme.
    """
    programme = programme_of(session, scope)
    try:
        message = parse_message(data)
    except ValidationError as error:
        raise InvalidInput.from_domain(error) from error
    offer = db.session.scalars(
        select(MentorOfferRecord).where(programme.where(MentorOfferRecord), MentorOfferRecord.user_id == mentor_user_id)
    ).first()
    if offer is None:
        raise NotFound("No such mentor in this programme.")
    ask = _own_row(MentoringAskRecord, session, programme)
    if ask is None:
        raise InvalidInput.field("ask", "say which skills you want help on before asking a mentor")
    people = {session.user_id, mentor_user_id}
    reason = _rules(programme, people).exclusion(str(session.user_id), str(mentor_user_id))
    if reason is not None:
        raise Conflict(
            {
                "self": "You cannot be your own mentor.",
                "manager": "Your manager cannot be your mentor in the programme.",
                "declined": "This mentor declined your request before.",
            }[reason.value]
        )
    already = db.session.scalars(
        select(MentoringRequestRecord.id).where(
            programme.where(MentoringRequestRecord),
            MentoringRequestRecord.mentee_user_id == session.user_id,
            MentoringRequestRecord.state.in_(_OPEN),
        )
    ).first()
    if already is not None:
        raise Conflict("You already have an open request or a mentor in this programme.")
    seats = offer.capacity - _accepted_counts(programme).get(mentor_user_id, 0)
    if seats <= 0:
        raise Conflict("This mentor has no seat left.")
    levels = levels_of(people)
    proposal = explain_fit(_mentee(ask, levels[session.user_id]), _mentor(offer, levels[mentor_user_id], seats))
    if proposal.fit <= 0:
        raise Conflict("This mentor offers none of the skills you asked help on beyond your level.")
    row = MentoringRequestRecord(
        platform_id=programme.platform_id,
        context_pk=programme.context_pk,
        mentee_user_id=session.user_id,
        mentor_user_id=mentor_user_id,
        state=RequestState.REQUESTED.value,
        fit=round(proposal.fit, 4),
        explanation=coverage_json(proposal),
        message=message,
    )
    db.session.add(row)
    db.session.commit()
    return request_json(row, Party.MENTEE)


def my_requests(session: LaunchSession) -> dict[str, Any]:
    """Every request the caller is the mentee or the mentor of, on the caller's platform, newest first."""
    rows = db.session.scalars(
        select(MentoringRequestRecord)
        .where(
            MentoringRequestRecord.platform_id == session.platform_id,
            (MentoringRequestRecord.mentee_user_id == session.user_id)
            | (MentoringRequestRecord.mentor_user_id == session.user_id),
        )
        .order_by(MentoringRequestRecord.created_at.desc(), MentoringRequestRecord.id.desc())
    )
    as_mentee: list[dict[str, Any]] = []
    as_mentor: list[dict[str, Any]] = []
    for row in rows:
        party = _party(row, session)
        (as_mentee if party is Party.MENTEE else as_mentor).append(request_json(row, party or Party.MENTOR))
    return {"as_mentee": as_mentee, "as_mentor": as_mentor}


def _move(row: MentoringRequestRecord, action: RequestAction, party: Party) -> None:
    """:raise Conflict: career_core refuses the transition."""
    try:
        row.state = transition(RequestState(row.state), action, party).value
    except RequestTransitionError as error:
        raise Conflict(str(error)) from error


def respond(session: LaunchSession, request_id: int, accept: bool) -> dict[str, Any]:
    """The mentor accepts or declines. Commits.

    :raise NotFound: not the caller's request. :raise Conflict: not the mentor, already answered, or no seat left.
    """
    row, party = _my_request(session, request_id)
    if accept and party is Party.MENTOR and row.state == RequestState.REQUESTED.value:
        programme = _programme_of_row(row)
        # Locks the offer row (PostgreSQL) so two accepts at once cannot both take the last seat.
        offer = db.session.scalars(
            select(MentorOfferRecord)
            .where(programme.where(MentorOfferRecord), MentorOfferRecord.user_id == row.mentor_user_id)
            .with_for_update()
        ).first()
        accepted = _accepted_counts(programme).get(row.mentor_user_id, 0)
        if offer is None or seat_taken(accepted, offer.capacity):
            raise Conflict("You have no seat left: volunteer again, raise your capacity or end a relationship first.")
    _move(row, RequestAction.ACCEPT if accept else RequestAction.DECLINE, party)
    row.answered_at = utcnow()
    db.session.commit()
    return request_json(row, party)


def withdraw(session: LaunchSession, request_id: int) -> dict[str, Any]:
    """The mentee withdraws a request not answered yet. Commits. :raise NotFound: :raise Conflict:"""
    row, party = _my_request(session, request_id)
    _move(row, RequestAction.WITHDRAW, party)
    row.answered_at = utcnow()
    db.session.commit()
    return request_json(row, party)


def _add_feedback(row: MentoringRequestRecord, session: LaunchSession, party: Party, data: Mapping[str, Any]) -> None:
    """:raise InvalidInput: rating or text refused. :raise Conflict: feedback given already."""
    try:
        feedback = parse_feedback(data)
    except ValidationError as error:
        raise InvalidInput.from_domain(error) from error
    given = db.session.scalars(
        select(MentoringFeedbackRecord.id).where(
            MentoringFeedbackRecord.request_id == row.id, MentoringFeedbackRecord.author_user_id == session.user_id
        )
    ).first()
    if given is not None:
        raise Conflict("You gave your feedback on this relationship already.")
    db.session.add(
        MentoringFeedbackRecord(
            request_id=row.id,
            author_user_id=session.user_id,
            author_party=party.value,
            rating=feedback.rating,
            text=feedback.text,
        )
    )


def end(session: LaunchSession, request_id: int, feedback: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Either person ends an accepted pair, optionally with feedback (rating 1-5, short text). Commits.

    :raise NotFound: not the caller's pair. :raise Conflict: not accepted. :raise InvalidInput: bad feedback.
    """
    row, party = _my_request(session, request_id)
    _move(row, RequestAction.END, party)
    row.ended_at = utcnow()
    if feedback:
        _add_feedback(row, session, party, feedback)
    db.session.commit()
    return request_json(row, party)


def give_feedback(session: LaunchSession, request_id: int, data: Mapping[str, Any]) -> dict[str, Any]:
    """Feedback on a pair that ended, once per person. Commits.

    :raise NotFound: not the caller's pair. :raise Conflict: not ended, or given already. :raise InvalidInput:
    """
    row, party = _my_request(session, request_id)
    if row.state != RequestState.ENDED.value:
        raise Conflict("Give feedback once the relationship has ended.")
    _add_feedback(row, session, party, data)
    db.session.commit()
    return request_json(row, party)


# --- sessions: one-to-one or a small group, with a check-in agenda -----------------------------------------------


def agenda_json(template: AgendaTemplate) -> dict[str, Any]:
    return {
        "key": template.key,
        "title": template.title,
        "purpose": template.purpose,
        "prompts": list(template.prompts),
    }


def agendas() -> list[dict[str, Any]]:
    return [agenda_json(template) for template in AGENDA_TEMPLATES.values()]


def log_session(session: LaunchSession, request_ids: Sequence[int], data: Mapping[str, Any]) -> dict[str, Any]:
    """The mentor records a session held with one or several of their accepted mentees (of one programme).
    Commits.

    :raise NotFound: a request that is not the caller's as mentor. :raise InvalidInput: what career_core's
        ``parse_session`` refuses, or pairs of different programmes.
    """
    rows = []
    for request_id in dict.fromkeys(request_ids):
        row, party = _my_request(session, request_id)
        if party is not Party.MENTOR:
            raise NotFound("No such mentoring request.")
        rows.append(row)
    programmes = {_programme_of_row(row) for row in rows}
    if len(programmes) > 1:
        raise InvalidInput.field("request_ids", "a session gathers mentees of one programme")
    programme = programmes.pop() if programmes else Programme(session.platform_id, session.context_pk)
    offer = db.session.scalars(
        select(MentorOfferRecord).where(
            programme.where(MentorOfferRecord), MentorOfferRecord.user_id == session.user_id
        )
    ).first()
    capacity = offer.capacity if offer is not None else len(rows)
    try:
        parsed = parse_session(data, [RequestState(row.state) for row in rows], capacity)
    except ValidationError as error:
        raise InvalidInput.from_domain(error) from error
    record = MentoringSessionRecord(
        platform_id=programme.platform_id,
        context_pk=programme.context_pk,
        mentor_user_id=session.user_id,
        held_on=parsed.held_on,
        agenda_template=parsed.agenda_template,
        notes=parsed.notes,
        pair_count=parsed.pair_count,
    )
    db.session.add(record)
    db.session.flush()
    db.session.add_all(MentoringSessionPair(session_id=record.id, request_id=row.id) for row in rows)
    db.session.commit()
    return _session_json(record, [row.mentee for row in rows], record.mentor_user_id)


def _session_json(record: MentoringSessionRecord, mentees: Sequence[LtiUser], mentor_id: int) -> dict[str, Any]:
    template = AGENDA_TEMPLATES.get(record.agenda_template or "")
    return {
        "id": record.id,
        "scope": _programme_of_row(record).scope,
        "held_on": record.held_on,
        "format": "small_group" if record.pair_count > 1 else "one_to_one",
        "agenda": agenda_json(template) if template is not None else None,
        "notes": record.notes,
        "mentor": _person(db.session.get(LtiUser, mentor_id)),
        "mentees": [_person(mentee) for mentee in mentees],
    }


def my_sessions(session: LaunchSession) -> dict[str, Any]:
    """The sessions the caller held as mentor or attended as mentee, newest first (the people who were there)."""
    attended = (
        select(MentoringSessionPair.session_id)
        .join(MentoringRequestRecord, MentoringRequestRecord.id == MentoringSessionPair.request_id)
        .where(MentoringRequestRecord.mentee_user_id == session.user_id)
    )
    records = list(
        db.session.scalars(
            select(MentoringSessionRecord)
            .where(
                MentoringSessionRecord.platform_id == session.platform_id,
                (MentoringSessionRecord.mentor_user_id == session.user_id) | MentoringSessionRecord.id.in_(attended),
            )
            .order_by(MentoringSessionRecord.held_on.desc(), MentoringSessionRecord.id.desc())
        )
    )
    mentees: dict[int, list[LtiUser]] = {}
    if records:
        for session_id, mentee in db.session.execute(
            select(MentoringSessionPair.session_id, LtiUser)
            .join(MentoringRequestRecord, MentoringRequestRecord.id == MentoringSessionPair.request_id)
            .join(LtiUser, LtiUser.id == MentoringRequestRecord.mentee_user_id)
            .where(MentoringSessionPair.session_id.in_([r.id for r in records]))
            .order_by(MentoringSessionPair.id)
        ):
            mentees.setdefault(session_id, []).append(mentee)
    return {"sessions": [_session_json(r, mentees.get(r.id, []), r.mentor_user_id) for r in records]}


# --- the programme-wide assignment, for the people who run the programme ----------------------------------------


def require_programme_staff(session: LaunchSession, programme: Programme) -> None:
    """:raise Forbidden: a course programme needs its staff; the platform programme its administrators."""
    if programme.context_pk is None:
        if session.role != ADMINISTRATOR:
            raise Forbidden("Only the platform's administrators run the platform-wide programme.")
    elif not is_staff(session):
        raise Forbidden("Only an instructor or administrator of this course runs its programme.")


def assignment(session: LaunchSession, scope: str = COURSE) -> dict[str, Any]:
    """The assignment of greatest total fit for the mentees still without a mentor, within each volunteer's
    seats left, never breaking a must-not rule. Each pair says which skills it covers, not anyone's levels.

    :raise Forbidden: see :func:`require_programme_staff`.
    """
    programme = programme_of(session, scope)
    require_programme_staff(session, programme)
    placed = set(
        db.session.scalars(
            select(MentoringRequestRecord.mentee_user_id).where(
                programme.where(MentoringRequestRecord), MentoringRequestRecord.state == RequestState.ACCEPTED.value
            )
        )
    )
    asks = [
        ask
        for ask in db.session.scalars(
            select(MentoringAskRecord).where(programme.where(MentoringAskRecord)).order_by(MentoringAskRecord.id)
        )
        if ask.user_id not in placed
    ]
    offers = [(offer, seats) for offer, seats in _offers_with_seats(programme) if seats > 0]
    people = {ask.user_id for ask in asks} | {offer.user_id for offer, _ in offers}
    levels = levels_of(people)
    mentees = [_mentee(ask, levels[ask.user_id]) for ask in asks]
    mentors = [_mentor(offer, levels[offer.user_id], seats) for offer, seats in offers]
    rules = _rules(programme, people)
    result = optimal_assignment(mentees, mentors, rules) if mentees and mentors else None
    explained = explain_assignment(result, mentees, mentors) if result is not None else []
    users = {u.id: u for u in db.session.scalars(select(LtiUser).where(LtiUser.id.in_(people)))} if people else {}
    return {
        "scope": programme.scope,
        "mentees": len(mentees),
        "mentors": len(mentors),
        "seats": sum(mentor.capacity for mentor in mentors),
        "excluded_pairs": len(rules.must_not),
        "total_fit": round(result.total_fit, 4) if result is not None else 0.0,
        "pairs": [
            {
                "mentee": _person(users[int(p.mentee_id)]),
                "mentor": _person(users[int(p.mentor_id)]),
                "fit": round(p.fit, 4),
                "skills": [item for item in coverage_json(p, with_levels=False) if item["covered"] > 0],
            }
            for p in explained
        ],
        "unmatched": sorted(
            users[int(m.mentee_id)].display_name
            for m in mentees
            if result is None or result.mentor_of(m.mentee_id) is None
        ),
    }


# --- the person's own copy -----------------------------------------------------------------------------------------


def export_of(user_ids: Sequence[int]) -> dict[str, Any]:
    """The mentoring records of a person (all of ``user_ids``, their identities) for their data export: offers,
    asks, every pair as each side saw it, sessions they held or attended."""
    ids = set(user_ids)
    offers = db.session.scalars(select(MentorOfferRecord).where(MentorOfferRecord.user_id.in_(ids)))
    asks = db.session.scalars(select(MentoringAskRecord).where(MentoringAskRecord.user_id.in_(ids)))
    requests = db.session.scalars(
        select(MentoringRequestRecord)
        .where(MentoringRequestRecord.mentee_user_id.in_(ids) | MentoringRequestRecord.mentor_user_id.in_(ids))
        .order_by(MentoringRequestRecord.id)
    )
    attended = (
        select(MentoringSessionPair.session_id)
        .join(MentoringRequestRecord, MentoringRequestRecord.id == MentoringSessionPair.request_id)
        .where(MentoringRequestRecord.mentee_user_id.in_(ids))
    )
    sessions = db.session.scalars(
        select(MentoringSessionRecord)
        .where(MentoringSessionRecord.mentor_user_id.in_(ids) | MentoringSessionRecord.id.in_(attended))
        .order_by(MentoringSessionRecord.id)
    )
    return {
        "offers": [_offer_json(row, _programme_of_row(row)) for row in offers],
        "asks": [_ask_json(row, _programme_of_row(row)) for row in asks],
        "pairs": [request_json(row, Party.MENTEE if row.mentee_user_id in ids else Party.MENTOR) for row in requests],
        "sessions": [_session_json(row, [], row.mentor_user_id) for row in sessions],
    }
