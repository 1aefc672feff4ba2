"""Career check-ins: conversations the learner, their manager or a mentor record against a plan,
and the agenda templates that give those conversations a shape."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from career_core._input import read_date, read_enum, read_optional_text, read_text
from career_core.errors import ValidationError

MAX_NOTES_LENGTH = 10_000
MAX_AGREED_ACTIONS = 20
MAX_AGREED_ACTION_LENGTH = 300


class CheckInAuthorRole(StrEnum):
    LEARNER = "learner"
    MANAGER = "manager"
    MENTOR = "mentor"


@dataclass(frozen=True)
class AgendaTemplate:
    """A reusable agenda: what the conversation is for and the questions that drive it."""

    key: str
    title: str
    purpose: str
    prompts: tuple[str, ...]


@dataclass(frozen=True)
class CheckIn:
    author_role: CheckInAuthorRole
    author_name: str
    held_on: date
    agenda_template: str | None
    notes: str
    agreed_actions: tuple[str, ...] = ()
    # When the people in the conversation agreed to meet next; None when not set.
    next_checkin_on: date | None = None


AGENDA_TEMPLATES: Mapping[str, AgendaTemplate] = {
    template.key: template
    for template in (
        AgendaTemplate(
            key="values_and_drivers",
            title="Values and career drivers",
            purpose="Name what matters most to the learner at work, so choices of role and next step "
            "can be tested against it.",
            prompts=(
                "Think of a day at work when you felt at your best. What was happening, and which of "
                "your values did it honour?",
                "Which of your top values is least served by your current role, and what does that cost you?",
                "What pulls you towards a role: expertise, autonomy, security, challenge, service, "
                "balance, leading others? Which two matter most right now?",
                "Where have your values and the organisation's priorities clashed, and how did you handle it?",
                "What is one change in the next quarter that would let your work reflect your values better?",
            ),
        ),
        AgendaTemplate(
            key="strengths",
            title="Strengths",
            purpose="Find the strengths the learner can build a career on, with evidence, and how to use them more.",
            prompts=(
                "Which tasks give you energy rather than drain it, even when they are hard?",
                "What do colleagues come to you for? Give a recent example.",
                "Describe an achievement you are proud of. Which strengths made it possible?",
                "Which strength do you under-use in your current role, and where could you use it more?",
                "Is any strength overplayed, so that it gets in your way? What would dialling it down look like?",
            ),
        ),
        AgendaTemplate(
            key="personal_vision",
            title="Personal vision",
            purpose="Describe where the learner wants to be in three to five years and the milestones that lead there.",
            prompts=(
                "Imagine it is five years from now and work is going well. What are you doing, with whom, "
                "and what has changed?",
                "What would you need to learn, or prove, to get there?",
                "What are three milestones on the way, and roughly when should each be reached?",
                "What could get in the way, and who could help you past it?",
            ),
        ),
        AgendaTemplate(
            key="strategic_networking",
            title="Strategic networking plan",
            purpose="Plan the relationships that will support the learner's goals, deliberately rather than by chance.",
            prompts=(
                "Which of your goals most depends on people you do not yet know well?",
                "Map your network: who gives you information, who gives you support, who opens doors?",
                "Where is the network thin: another function, a level up, outside the organisation?",
                "Name three people to reach out to this month and what you can offer each of them.",
                "How will you keep in touch with the people who matter without it becoming a chore?",
            ),
        ),
        AgendaTemplate(
            key="progress_review",
            title="Progress review",
            purpose="Review the development plan: what moved, what stalled, and what to change.",
            prompts=(
                "Which goals or actions have moved forward since the last check-in? What helped?",
                "What has stalled, and why: time, access, motivation, or a goal that no longer fits?",
                "What evidence do you have of progress in the skills you are developing?",
                "Should any goal, target level or due date change?",
                "What support do you need from your manager or mentor before the next check-in?",
                "What will you have done by the next check-in?",
            ),
        ),
        AgendaTemplate(
            key="navigating_change",
            title="Navigating change",
            purpose="Help the learner make sense of a change at work (a reorganisation, a new role, a new way of "
            "working) and find what they can influence in it.",
            prompts=(
                "What is changing for you, and what do you understand about why?",
                "Which parts of the change can you influence, and which do you need to accept?",
                "What worries you about it, and what opportunity could it open for you?",
                "Which of your skills matter more after the change, and which less?",
                "What support, information or people would help you through it?",
            ),
        ),
        AgendaTemplate(
            key="productivity",
            title="Productivity",
            purpose="Look at how the learner's time and energy go, and what would let them spend more on the work "
            "that matters, including their development.",
            prompts=(
                "Where did your time go last week? What took longer than it should have?",
                "Which work gives the most value for the effort, and how could you do more of it?",
                "What interrupts or blocks you most often, and what could remove it?",
                "Is there time protected for learning and for your development goals? If not, where could it "
                "come from?",
                "What one habit or tool would make the biggest difference next month?",
            ),
        ),
        AgendaTemplate(
            key="work_life_balance",
            title="Work-life balance",
            purpose="Check that the learner's workload and ambitions are sustainable, and agree what to adjust.",
            prompts=(
                "How sustainable does your current pace feel, on a scale from 1 to 10? Why that number?",
                "When did you last feel you had a good balance, and what was different then?",
                "Which commitments outside work matter most to you in the coming months?",
                "What could you stop, delegate or postpone so your development goals stay realistic?",
                "What would you like me to do differently to support a healthier balance?",
            ),
        ),
        AgendaTemplate(
            key="career_growth",
            title="Career growth",
            purpose="Talk about where the learner's career is heading: the next role or a broader one, the skills "
            "and experience it takes, and the people who can help.",
            prompts=(
                "Which roles here or elsewhere interest you, and what draws you to them?",
                "How does your current role prepare you for them, and where does it fall short?",
                "Which skills and experiences would make the biggest difference, and how could you get them?",
                "Who could you learn from, or shadow, in the roles you are interested in?",
                "What would a good next step look like in the coming year?",
            ),
        ),
    )
}


def agenda_template(key: str) -> AgendaTemplate:
    """:raise ValidationError: when no template has this key."""
    try:
        return AGENDA_TEMPLATES[key]
    except KeyError:
        raise ValidationError(f"agenda_template: {key!r} is not one of {', '.join(AGENDA_TEMPLATES)}") from None


def parse_checkin(data: Mapping[str, Any]) -> CheckIn:
    """Build a check-in from JSON-like data, reporting every problem at once.

    :raise ValidationError: on a missing author, date, unknown template, or over-long text.
    """
    errors: list[str] = []
    role = read_enum(data.get("author_role"), CheckInAuthorRole, "checkin.author_role", errors)
    author_name = read_text(data, "author_name", "checkin", errors, max_length=200)
    held_on = read_date(data, "held_on", "checkin", errors)
    if held_on is None and not any(error.startswith("checkin.held_on") for error in errors):
        errors.append("checkin.held_on: is required")
    template = read_optional_text(data, "agenda_template", "checkin", errors, max_length=100)
    if template is not None and template not in AGENDA_TEMPLATES:
        errors.append(f"checkin.agenda_template: {template!r} is not one of {', '.join(AGENDA_TEMPLATES)}")
    notes = read_text(data, "notes", "checkin", errors, required=False, max_length=MAX_NOTES_LENGTH)
    agreed = _read_agreed_actions(data.get("agreed_actions", []), errors)
    next_on = read_date(data, "next_checkin_on", "checkin", errors) if data.get("next_checkin_on") else None
    if next_on is not None and held_on is not None and next_on < held_on:
        errors.append("checkin.next_checkin_on: must not be before held_on")
    if errors or role is None or held_on is None:
        raise ValidationError(errors)
    return CheckIn(role, author_name, held_on, template, notes, agreed, next_on)


def checkin_to_dict(checkin: CheckIn) -> dict[str, Any]:
    return {
        "author_role": checkin.author_role.value,
        "author_name": checkin.author_name,
        "held_on": checkin.held_on.isoformat(),
        "agenda_template": checkin.agenda_template,
        "notes": checkin.notes,
        "agreed_actions": list(checkin.agreed_actions),
        "next_checkin_on": checkin.next_checkin_on.isoformat() if checkin.next_checkin_on else None,
    }


def latest_first(checkins: Iterable[CheckIn]) -> tuple[CheckIn, ...]:
    """Check-ins newest first; same-day ones keep the order they were recorded in."""
    return tuple(sorted(checkins, key=lambda checkin: checkin.held_on, reverse=True))


def _read_agreed_actions(value: object, errors: list[str]) -> tuple[str, ...]:
    where = "checkin.agreed_actions"
    if not isinstance(value, list):
        errors.append(f"{where}: must be a list of text")
        return ()
    if len(value) > MAX_AGREED_ACTIONS:
        errors.append(f"{where}: at most {MAX_AGREED_ACTIONS} agreed actions, not {len(value)}")
    actions: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str):
            errors.append(f"{where}[{index}]: must be text, not {type(item).__name__}")
        elif len(item.strip()) > MAX_AGREED_ACTION_LENGTH:
            errors.append(
                f"{where}[{index}]: is {len(item.strip())} characters long; the limit is {MAX_AGREED_ACTION_LENGTH}"
            )
        elif item.strip():
            # Blank lines come from empty form rows; they are not actions.
            actions.append(item.strip())
    return tuple(actions)
