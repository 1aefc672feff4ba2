"""``/api/v1/mentoring``: the mentoring programme of a course (``scope=course``) or of the platform
(``scope=platform``): volunteer, ask for help, proposals explained per skill, requests and their answers,
sessions on check-in agendas, feedback, and the programme-wide assignment for its staff (decision 0022)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from career_core.checkins import AGENDA_TEMPLATES, MAX_NOTES_LENGTH
from career_core.mentoring import CAPACITY_MAX, CAPACITY_MIN
from career_core.mentoring_programme import (
    MAX_FEEDBACK_LENGTH,
    MAX_MESSAGE_LENGTH,
    RATING_MAX,
    RATING_MIN,
    RequestState,
)
from lti_app.api.auth import current_launch
from lti_app.api.base import Blueprint, errors
from lti_app.api.plans import IsoDate
from lti_app.api.schemas import DatabaseId
from lti_app.career import programme

blp = Blueprint(
    "mentoring",
    __name__,
    url_prefix="/api/v1/mentoring",
    description="The mentoring programme: volunteers, asks, proposals, requests, sessions and feedback",
)

_SCOPE = fields.String(
    load_default=programme.COURSE,
    validate=validate.OneOf(programme.SCOPES),
    metadata={"description": "course: the launch's course programme; platform: the whole platform's"},
)


class MentoringScopeArgs(Schema):
    scope = _SCOPE


class MentoringProposalArgs(MentoringScopeArgs):
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))


class MentoringPersonSchema(Schema):
    user_id = fields.Integer()
    name = fields.String()


class MentoringSkillRefSchema(Schema):
    skill_code = fields.String()
    skill_name = fields.String()


class MentoringOfferSchema(Schema):
    scope = fields.String()
    capacity = fields.Integer()
    format = fields.String(metadata={"description": "one_to_one (capacity 1) or small_group"})
    skills = fields.List(fields.Nested(MentoringSkillRefSchema))
    mentees = fields.Integer(metadata={"description": "Mentees accepted now"})
    seats_left = fields.Integer()
    updated_at = fields.DateTime()


class MentoringMyOfferSchema(Schema):
    offer = fields.Nested(MentoringOfferSchema, allow_none=True)


class MentoringVolunteerSchema(Schema):
    scope = _SCOPE
    capacity = fields.Integer(
        load_default=1,
        strict=True,
        validate=validate.Range(min=CAPACITY_MIN, max=CAPACITY_MAX),
        metadata={"description": "Mentees at once; above 1 is a small group"},
    )
    skills = fields.List(
        fields.String(validate=validate.Length(min=1, max=100)),
        required=True,
        metadata={"description": "Skill codes the mentor helps with (their self-rating or verified level counts)"},
    )


class MentoringTargetSchema(Schema):
    skill_code = fields.String()
    skill_name = fields.String()
    target = fields.Integer()


class MentoringAskSchema(Schema):
    scope = fields.String()
    targets = fields.List(fields.Nested(MentoringTargetSchema))
    updated_at = fields.DateTime()


class MentoringMyAskSchema(Schema):
    ask = fields.Nested(MentoringAskSchema, allow_none=True)


class MentoringAskHelpSchema(Schema):
    scope = _SCOPE
    targets = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=100)),
        values=fields.Integer(strict=True),
        required=True,
        metadata={"description": "{skill_code: level aimed for}"},
    )


class MentoringCoverageSchema(Schema):
    skill_code = fields.String()
    skill_name = fields.String()
    mentee_level = fields.Float()
    target = fields.Float()
    mentor_level = fields.Float(allow_none=True)
    basis = fields.String(allow_none=True, metadata={"description": "verified or self_rated"})
    covered = fields.Float(metadata={"description": "Levels of the gap this mentor covers"})
    share = fields.Float(metadata={"description": "Part of this gap covered, 0-1"})


class MentoringProposalSchema(Schema):
    mentor = fields.Nested(MentoringPersonSchema)
    fit = fields.Float(metadata={"description": "Share of the mentee's weighted gaps the mentor covers, 0-1"})
    format = fields.String()
    seats_left = fields.Integer()
    coverage = fields.List(fields.Nested(MentoringCoverageSchema))
    request_state = fields.String(allow_none=True, metadata={"description": "The caller's open request to them"})


class MentoringProposalsSchema(Schema):
    ask = fields.Nested(MentoringAskSchema, allow_none=True)
    proposals = fields.List(fields.Nested(MentoringProposalSchema))


class MentoringNewRequestSchema(Schema):
    scope = _SCOPE
    mentor_user_id = DatabaseId(required=True)
    message = fields.String(load_default="", validate=validate.Length(max=MAX_MESSAGE_LENGTH))


class MentoringFeedbackSchema(Schema):
    rating = fields.Integer(required=True, strict=True, validate=validate.Range(min=RATING_MIN, max=RATING_MAX))
    text = fields.String(load_default="", validate=validate.Length(max=MAX_FEEDBACK_LENGTH))


class MentoringEndSchema(Schema):
    feedback = fields.Nested(MentoringFeedbackSchema, allow_none=True, load_default=None)


class MentoringRespondSchema(Schema):
    accept = fields.Boolean(required=True)


class MentoringRequestSchema(Schema):
    id = fields.Integer()
    scope = fields.String()
    role = fields.String(metadata={"description": "The caller's side: mentee or mentor"})
    person = fields.Nested(MentoringPersonSchema, metadata={"description": "The other person"})
    state = fields.String(validate=validate.OneOf([s.value for s in RequestState]))
    fit = fields.Float()
    explanation = fields.List(
        fields.Nested(MentoringCoverageSchema), metadata={"description": "What the mentee sent: coverage per skill"}
    )
    message = fields.String()
    allowed_actions = fields.List(fields.String())
    my_feedback = fields.Nested(MentoringFeedbackSchema, allow_none=True)
    created_at = fields.DateTime()
    answered_at = fields.DateTime(allow_none=True)
    ended_at = fields.DateTime(allow_none=True)


class MentoringMyRequestsSchema(Schema):
    as_mentee = fields.List(fields.Nested(MentoringRequestSchema))
    as_mentor = fields.List(fields.Nested(MentoringRequestSchema))


class MentoringAgendaSchema(Schema):
    key = fields.String()
    title = fields.String()
    purpose = fields.String()
    prompts = fields.List(fields.String())


class MentoringAgendasSchema(Schema):
    agendas = fields.List(fields.Nested(MentoringAgendaSchema))


class MentoringNewSessionSchema(Schema):
    request_ids = fields.List(
        DatabaseId(),
        required=True,
        validate=validate.Length(min=1, max=CAPACITY_MAX),
        metadata={"description": "The accepted pairs attending: one, or a small group within capacity"},
    )
    held_on = IsoDate(required=True)
    agenda_template = fields.String(allow_none=True, validate=validate.OneOf(list(AGENDA_TEMPLATES)))
    notes = fields.String(load_default="", validate=validate.Length(max=MAX_NOTES_LENGTH))


class MentoringSessionSchema(Schema):
    id = fields.Integer()
    scope = fields.String()
    held_on = fields.Date()
    format = fields.String()
    agenda = fields.Nested(MentoringAgendaSchema, allow_none=True)
    notes = fields.String(metadata={"description": "Seen by the mentor and the mentees who attended"})
    mentor = fields.Nested(MentoringPersonSchema)
    mentees = fields.List(fields.Nested(MentoringPersonSchema))


class MentoringSessionsSchema(Schema):
    sessions = fields.List(fields.Nested(MentoringSessionSchema))


class MentoringPairSkillSchema(Schema):
    skill_code = fields.String()
    skill_name = fields.String()
    covered = fields.Float()
    share = fields.Float()


class MentoringAssignedPairSchema(Schema):
    mentee = fields.Nested(MentoringPersonSchema)
    mentor = fields.Nested(MentoringPersonSchema)
    fit = fields.Float()
    skills = fields.List(
        fields.Nested(MentoringPairSkillSchema), metadata={"description": "Skills covered (no levels)"}
    )


class MentoringAssignmentSchema(Schema):
    scope = fields.String()
    mentees = fields.Integer(metadata={"description": "Mentees without a mentor yet"})
    mentors = fields.Integer(metadata={"description": "Volunteers with a seat left"})
    seats = fields.Integer()
    excluded_pairs = fields.Integer(metadata={"description": "Pairs a must-not rule forbids (manager, declined)"})
    total_fit = fields.Float()
    pairs = fields.List(fields.Nested(MentoringAssignedPairSchema))
    unmatched = fields.List(fields.String())


@blp.route("/agendas")
class Agendas(MethodView):
    @blp.response(200, MentoringAgendasSchema)
    @errors(blp)
    def get(self) -> dict[str, Any]:
        """The check-in agenda templates a session can follow."""
        current_launch()
        return {"agendas": programme.agendas()}


@blp.route("/offer")
class Offer(MethodView):
    @blp.arguments(MentoringScopeArgs, location="query")
    @blp.response(200, MentoringMyOfferSchema)
    @errors(blp, 400, 403)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The caller's offer as a volunteer mentor in this programme (null when none)."""
        return programme.my_offer(current_launch(), args["scope"])

    @blp.arguments(MentoringVolunteerSchema)
    @blp.response(200, MentoringMyOfferSchema)
    @errors(blp, 400, 403, 409)
    def put(self, body: dict[str, Any]) -> dict[str, Any]:
        """Volunteer as a mentor, or change the skills offered and the capacity."""
        return programme.volunteer(current_launch(), body.pop("scope"), body)

    @blp.arguments(MentoringScopeArgs, location="query")
    @blp.response(204)
    @errors(blp, 400, 403, 404)
    def delete(self, args: dict[str, Any]) -> None:
        """Stop volunteering (accepted pairs go on until ended)."""
        programme.withdraw_offer(current_launch(), args["scope"])


@blp.route("/ask")
class Ask(MethodView):
    @blp.arguments(MentoringScopeArgs, location="query")
    @blp.response(200, MentoringMyAskSchema)
    @errors(blp, 400, 403)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The skills the caller asked help on in this programme (null when none)."""
        return programme.my_ask(current_launch(), args["scope"])

    @blp.arguments(MentoringAskHelpSchema)
    @blp.response(200, MentoringMyAskSchema)
    @errors(blp, 400, 403)
    def put(self, body: dict[str, Any]) -> dict[str, Any]:
        """Ask for help on skills, with the level aimed for on each."""
        return programme.ask_help(current_launch(), body.pop("scope"), body)

    @blp.arguments(MentoringScopeArgs, location="query")
    @blp.response(204)
    @errors(blp, 400, 403, 404)
    def delete(self, args: dict[str, Any]) -> None:
        """Withdraw the ask."""
        programme.withdraw_ask(current_launch(), args["scope"])


@blp.route("/proposals")
class Proposals(MethodView):
    @blp.arguments(MentoringProposalArgs, location="query")
    @blp.response(200, MentoringProposalsSchema)
    @errors(blp, 400, 403)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Mentors with a seat left, best fit to the caller's ask first, explained per skill."""
        return programme.proposals(current_launch(), args["scope"], args["limit"])


@blp.route("/requests")
class Requests(MethodView):
    @blp.response(200, MentoringMyRequestsSchema)
    @errors(blp)
    def get(self) -> dict[str, Any]:
        """The caller's requests as mentee and as mentor."""
        return programme.my_requests(current_launch())

    @blp.arguments(MentoringNewRequestSchema)
    @blp.response(201, MentoringRequestSchema)
    @errors(blp, 400, 403, 404, 409)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Ask a volunteer to be the caller's mentor; the proposal's explanation goes with the request."""
        return programme.request_mentor(current_launch(), body["scope"], body["mentor_user_id"], body)


@blp.route("/requests/<int:request_id>/respond")
class Respond(MethodView):
    @blp.arguments(MentoringRespondSchema)
    @blp.response(200, MentoringRequestSchema)
    @errors(blp, 404, 409)
    def post(self, body: dict[str, Any], request_id: int) -> dict[str, Any]:
        """The mentor accepts or declines (a decline stops the pair from being proposed again)."""
        return programme.respond(current_launch(), request_id, body["accept"])


@blp.route("/requests/<int:request_id>/withdraw")
class Withdraw(MethodView):
    @blp.response(200, MentoringRequestSchema)
    @errors(blp, 404, 409)
    def post(self, request_id: int) -> dict[str, Any]:
        """The mentee withdraws a request not answered yet."""
        return programme.withdraw(current_launch(), request_id)


@blp.route("/requests/<int:request_id>/end")
class End(MethodView):
    @blp.arguments(MentoringEndSchema)
    @blp.response(200, MentoringRequestSchema)
    @errors(blp, 400, 404, 409)
    def post(self, body: dict[str, Any], request_id: int) -> dict[str, Any]:
        """End an accepted pair (mentee or mentor), optionally with feedback."""
        return programme.end(current_launch(), request_id, body.get("feedback"))


@blp.route("/requests/<int:request_id>/feedback")
class Feedback(MethodView):
    @blp.arguments(MentoringFeedbackSchema)
    @blp.response(201, MentoringRequestSchema)
    @errors(blp, 400, 404, 409)
    def post(self, body: dict[str, Any], request_id: int) -> dict[str, Any]:
        """Feedback on an ended pair, once per person: rating 1-5 and a short text."""
        return programme.give_feedback(current_launch(), request_id, body)


@blp.route("/sessions")
class Sessions(MethodView):
    @blp.response(200, MentoringSessionsSchema)
    @errors(blp)
    def get(self) -> dict[str, Any]:
        """Sessions the caller held as mentor or attended as mentee."""
        return programme.my_sessions(current_launch())

    @blp.arguments(MentoringNewSessionSchema)
    @blp.response(201, MentoringSessionSchema)
    @errors(blp, 400, 404)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Record a session with one accepted mentee or a small group of them, on a check-in agenda."""
        return programme.log_session(current_launch(), body.pop("request_ids"), body)


@blp.route("/assignment")
class Assignment(MethodView):
    @blp.arguments(MentoringScopeArgs, location="query")
    @blp.response(200, MentoringAssignmentSchema)
    @errors(blp, 400, 403)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """For the programme's staff: the assignment of greatest total fit under capacities and must-not rules."""
        return programme.assignment(current_launch(), args["scope"])
