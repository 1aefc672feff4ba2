"""The mentoring programme's rules: a request's life (requested -> accepted/declined -> ended), who may move it,
what a volunteer offer, a session and end-of-relationship feedback must hold (decision 0022).

Matching itself (fit, must-not rules, the assignment) is ``career_core.mentoring``; this module is what happens
once a mentee picks a proposal. Framework-free: the tool stores the states and calls these rules.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from career_core._input import read_date, read_optional_text, read_text
from career_core.checkins import AGENDA_TEMPLATES, MAX_NOTES_LENGTH, AgendaTemplate
from career_core.errors import CareerDomainError, ValidationError
from career_core.mentoring import CAPACITY_MAX, CAPACITY_MIN

MAX_MESSAGE_LENGTH = 1000
MAX_FEEDBACK_LENGTH = 500
MAX_OFFERED_SKILLS = 30
MAX_ASKED_SKILLS = 15
RATING_MIN = 1
RATING_MAX = 5


class RequestState(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    ENDED = "ended"


#: A pair that holds a mentor's seat (and blocks a second request to the same mentor).
OPEN_STATES = frozenset({RequestState.REQUESTED, RequestState.ACCEPTED})


class RequestAction(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    WITHDRAW = "withdraw"
    END = "end"


class Party(StrEnum):
    """Who acts on a request: its mentee or its mentor (nobody else may)."""

    MENTEE = "mentee"
    MENTOR = "mentor"


class RequestTransitionError(CareerDomainError):
    """The action is not possible from the request's state, or not by this party."""


#: (state, action) -> (the parties who may take it, the state it leads to)
TRANSITIONS: Mapping[tuple[RequestState, RequestAction], tuple[frozenset[Party], RequestState]] = {
    (RequestState.REQUESTED, RequestAction.ACCEPT): (frozenset({Party.MENTOR}), RequestState.ACCEPTED),
    (RequestState.REQUESTED, RequestAction.DECLINE): (frozenset({Party.MENTOR}), RequestState.DECLINED),
    (RequestState.REQUESTED, RequestAction.WITHDRAW): (frozenset({Party.MENTEE}), RequestState.WITHDRAWN),
    (RequestState.ACCEPTED, RequestAction.END): (frozenset(Party), RequestState.ENDED),
}


def transition(state: RequestState, action: RequestAction, party: Party) -> RequestState:
    """The state ``action`` by ``party`` leads to. :raise RequestTransitionError: not from here, or not by them."""
    rule = TRANSITIONS.get((state, action))
    if rule is None:
        raise RequestTransitionError(f"A {state.value} request cannot be {_past(action)}.")
    parties, target = rule
    if party not in parties:
        who = " or ".join(sorted(p.value for p in parties))
        raise RequestTransitionError(f"Only the {who} may {action.value} this request.")
    return target


def allowed_actions(state: RequestState, party: Party) -> tuple[RequestAction, ...]:
    return tuple(
        action for (source, action), (parties, _) in TRANSITIONS.items() if source == state and party in parties
    )


def _past(action: RequestAction) -> str:
    return {"accept": "accepted", "decline": "declined", "withdraw": "withdrawn", "end": "ended"}[action.value]


def seat_taken(accepted: int, capacity: int) -> bool:
    """A mentor at capacity accepts no one more (capacity above 1 is a small group)."""
    return accepted >= capacity


@dataclass(frozen=True)
class Offer:
    """What a volunteer mentor offers: the skills they help with and how many mentees at once (1-5)."""

    capacity: int
    skills: tuple[str, ...]


def parse_offer(data: Mapping[str, Any], known_skills: Collection[str]) -> Offer:
    """:raise ValidationError: capacity outside 1-5, no skill, an unknown or repeated skill."""
    errors: list[str] = []
    capacity = data.get("capacity", 1)
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not CAPACITY_MIN <= capacity <= CAPACITY_MAX:
        errors.append(f"offer.capacity: must be a whole number from {CAPACITY_MIN} to {CAPACITY_MAX}")
    skills = _skill_codes(data.get("skills"), "offer.skills", known_skills, MAX_OFFERED_SKILLS, errors)
    if errors:
        raise ValidationError(errors)
    return Offer(int(capacity), tuple(skills))


def parse_ask(data: Mapping[str, Any], known_skills: Collection[str], levels: Collection[int]) -> dict[str, int]:
    """A mentee's ask: ``{skill_code: target level}`` for each skill they want help on.

    :raise ValidationError: no skill, an unknown skill, a level off the scale, too many skills.
    """
    errors: list[str] = []
    targets = data.get("targets")
    if not isinstance(targets, Mapping) or not targets:
        raise ValidationError("ask.targets: name at least one skill and the level you aim for")
    _skill_codes(list(targets), "ask.targets", known_skills, MAX_ASKED_SKILLS, errors)
    for code, level in targets.items():
        if isinstance(level, bool) or not isinstance(level, int) or level not in levels:
            errors.append(f"ask.targets.{code}: must be one of {', '.join(map(str, sorted(levels)))}")
    if errors:
        raise ValidationError(errors)
    return {str(code): int(level) for code, level in sorted(targets.items())}


def _skill_codes(value: object, where: str, known: Collection[str], limit: int, errors: list[str]) -> list[str]:
    if not isinstance(value, list | tuple) or not value:
        errors.append(f"{where}: name at least one skill")
        return []
    codes = [str(code) for code in value]
    if len(codes) > limit:
        errors.append(f"{where}: at most {limit} skills")
    if len(set(codes)) != len(codes):
        errors.append(f"{where}: a skill is named twice")
    unknown = sorted(set(codes) - set(known))
    if unknown:
        errors.append(f"{where}: {', '.join(map(repr, unknown))} not in the framework")
    return sorted(set(codes))


@dataclass(frozen=True)
class Feedback:
    """Short feedback on a relationship that ended: a rating 1-5 and a short text (private to the pair)."""

    rating: int
    text: str


def parse_feedback(data: Mapping[str, Any]) -> Feedback:
    """:raise ValidationError: rating outside 1-5 or text too long."""
    errors: list[str] = []
    rating = data.get("rating")
    if isinstance(rating, bool) or not isinstance(rating, int) or not RATING_MIN <= rating <= RATING_MAX:
        errors.append(f"feedback.rating: must be a whole number from {RATING_MIN} to {RATING_MAX}")
    text = read_text(data, "text", "feedback", errors, required=False, max_length=MAX_FEEDBACK_LENGTH)
    if errors:
        raise ValidationError(errors)
    return Feedback(int(rating), text)  # type: ignore[arg-type]  # checked above


def parse_message(data: Mapping[str, Any]) -> str:
    """The mentee's note to the mentor with a request. :raise ValidationError: too long."""
    errors: list[str] = []
    text = read_text(data, "message", "request", errors, required=False, max_length=MAX_MESSAGE_LENGTH)
    if errors:
        raise ValidationError(errors)
    return text


@dataclass(frozen=True)
class MentoringSession:
    """One session a mentor held with one mentee (one-to-one) or several of their mentees (a small group)."""

    held_on: date
    agenda_template: str | None
    notes: str
    pair_count: int

    @property
    def is_group(self) -> bool:
        return self.pair_count > 1

    @property
    def agenda(self) -> AgendaTemplate | None:
        return AGENDA_TEMPLATES.get(self.agenda_template) if self.agenda_template else None


def parse_session(data: Mapping[str, Any], pair_states: Sequence[RequestState], capacity: int) -> MentoringSession:
    """A session of the mentor's accepted pairs ``pair_states`` (one per mentee attending).

    :raise ValidationError: no date, an unknown agenda template, notes too long, no mentee, a pair not accepted,
        or a group larger than the mentor's capacity.
    """
    errors: list[str] = []
    held_on = read_date(data, "held_on", "session", errors)
    if held_on is None and not any(error.startswith("session.held_on") for error in errors):
        errors.append("session.held_on: is required")
    template = read_optional_text(data, "agenda_template", "session", errors, max_length=100)
    if template is not None and template not in AGENDA_TEMPLATES:
        errors.append(f"session.agenda_template: {template!r} is not one of {', '.join(AGENDA_TEMPLATES)}")
    notes = read_text(data, "notes", "session", errors, required=False, max_length=MAX_NOTES_LENGTH)
    if not pair_states:
        errors.append("session.pairs: name at least one mentee")
    if any(state is not RequestState.ACCEPTED for state in pair_states):
        errors.append("session.pairs: a session is held with accepted mentees only")
    if len(pair_states) > capacity:
        errors.append(f"session.pairs: {len(pair_states)} mentees, more than the mentor's capacity of {capacity}")
    if errors or held_on is None:
        raise ValidationError(errors)
    return MentoringSession(held_on, template, notes, len(pair_states))
