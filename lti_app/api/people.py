"""``/api/v1/people``: the managers and mentors around a learner, what each may see, and the partner's side:
the learners who shared with them, check-ins in their own name, verification and recognition (decision 0019)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from career_core.checkins import AGENDA_TEMPLATES, MAX_AGREED_ACTION_LENGTH, MAX_AGREED_ACTIONS, MAX_NOTES_LENGTH
from lti_app.api.auth import current_launch
from lti_app.api.base import Blueprint, errors
from lti_app.api.plans import CheckInSchema, IsoDate
from lti_app.api.schemas import DatabaseId
from lti_app.career import partners
from lti_app.models.partners import PARTNER_KINDS, SHARE_ITEMS

blp = Blueprint(
    "people",
    __name__,
    url_prefix="/api/v1/people",
    description="Managers and mentors a learner invites and shares with; the partner's view of their learners",
)


class PartnerPersonSchema(Schema):
    user_id = fields.Integer()
    name = fields.String()


class PartnerLinkSchema(Schema):
    id = fields.Integer()
    kind = fields.String(validate=validate.OneOf(PARTNER_KINDS))
    state = fields.String(metadata={"description": "invited, active or ended"})
    source = fields.String(metadata={"description": "roster, link or lti_scope"})
    person = fields.Nested(PartnerPersonSchema, allow_none=True, metadata={"description": "The other person"})
    shared = fields.List(fields.String(), metadata={"description": f"Items shared, of {', '.join(SHARE_ITEMS)}"})
    invite_expires_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class PeopleSchema(Schema):
    partners = fields.List(
        fields.Nested(PartnerLinkSchema), metadata={"description": "The caller's managers and mentors"}
    )
    supporting = fields.List(fields.Nested(PartnerLinkSchema), metadata={"description": "Learners the caller supports"})


class InviteSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(PARTNER_KINDS))
    sub = fields.String(
        validate=validate.Length(min=1, max=255),
        metadata={"description": "A course roster member to invite; without it, a one-time invitation link"},
    )


class InvitationSchema(PartnerLinkSchema):
    code = fields.String()
    url = fields.String(metadata={"description": "Shown once; the invited person opens it from their own launch"})
    expires_at = fields.DateTime()


class AcceptSchema(Schema):
    invitation = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class RespondSchema(Schema):
    accept = fields.Boolean(required=True)


class PartnerSharesSchema(Schema):
    items = fields.List(fields.String(validate=validate.OneOf(SHARE_ITEMS)), required=True)


class InvitableMemberSchema(Schema):
    sub = fields.String()
    name = fields.String()


class InvitableMembersSchema(Schema):
    members = fields.List(fields.Nested(InvitableMemberSchema))


class PartnerCheckInSchema(Schema):
    plan_id = DatabaseId(required=True)
    held_on = IsoDate(required=True)
    agenda_template = fields.String(allow_none=True, validate=validate.OneOf(list(AGENDA_TEMPLATES)))
    notes = fields.String(load_default="", validate=validate.Length(max=MAX_NOTES_LENGTH))
    agreed_actions = fields.List(
        fields.String(validate=validate.Length(max=MAX_AGREED_ACTION_LENGTH)),
        load_default=list,
        validate=validate.Length(max=MAX_AGREED_ACTIONS),
    )
    next_checkin_on = IsoDate(allow_none=True)


class VerifySchema(Schema):
    skill_code = fields.String(required=True, validate=validate.Length(min=1, max=100))
    level = fields.Integer(required=True, strict=True)
    note = fields.String(load_default="", validate=validate.Length(max=partners.MAX_MESSAGE_LENGTH))


class VerificationSchema(Schema):
    id = fields.String()
    skill_code = fields.String()
    skill_name = fields.String()
    level = fields.Integer(allow_none=True)
    verified_by = fields.String()
    verifier_role = fields.String()
    note = fields.String()
    recorded_at = fields.DateTime()


class RecogniseSchema(Schema):
    plan_id = DatabaseId(required=True)
    goal_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    message = fields.String(required=True, validate=validate.Length(min=1, max=partners.MAX_MESSAGE_LENGTH))
    credential = fields.Boolean(load_default=False, metadata={"description": "Also issue an OB 3.0 credential"})


class RecognitionSchema(Schema):
    id = fields.Integer()
    plan_id = fields.Integer()
    goal_id = fields.String()
    goal_title = fields.String()
    message = fields.String()
    author_name = fields.String()
    author_role = fields.String()
    created_at = fields.DateTime()
    has_credential = fields.Boolean()


class MyRecognitionSchema(Schema):
    verifications = fields.List(fields.Nested(VerificationSchema))
    recognitions = fields.List(fields.Nested(RecognitionSchema))


class LearnerViewSchema(Schema):
    link = fields.Nested(PartnerLinkSchema)
    shared = fields.List(fields.String())
    plans = fields.List(fields.Dict(), metadata={"description": "Only when the plan is shared"})
    checkins = fields.List(fields.Nested(CheckInSchema), metadata={"description": "Only when check-ins are shared"})
    assessment = fields.Dict(metadata={"description": "Only when the self-assessment is shared"})
    reflections = fields.List(fields.Dict(), metadata={"description": "Only when reflections are shared"})
    verifications = fields.List(fields.Nested(VerificationSchema))
    recognitions = fields.List(fields.Nested(RecognitionSchema))


class EnvelopedCredentialSchema(Schema):
    class Meta:
        ordered = True

    context = fields.List(fields.String(), data_key="@context")
    id = fields.String(metadata={"description": "data:application/vc+jwt,<the VC-JWT>"})
    type = fields.String()


@blp.route("")
class People(MethodView):
    @blp.response(200, PeopleSchema)
    @errors(blp)
    def get(self) -> dict[str, Any]:
        """The caller's managers and mentors, and the learners the caller supports."""
        return partners.my_people(current_launch())


@blp.route("/roster")
class Roster(MethodView):
    @blp.response(200, InvitableMembersSchema)
    @errors(blp)
    def get(self) -> dict[str, Any]:
        """Members of this course the caller could invite."""
        return {"members": partners.roster_candidates(current_launch())}


@blp.route("/invitations")
class Invitations(MethodView):
    @blp.arguments(InviteSchema)
    @blp.response(201, InvitationSchema)
    @errors(blp, 400, 403, 409)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Invite a manager or mentor: a roster member (``sub``) or, without one, a one-time link."""
        if body.get("sub"):
            return partners.invite_from_roster(current_launch(), body["sub"], body["kind"])
        return partners.create_invitation(current_launch(), body["kind"])


@blp.route("/invitations/accept")
class Accept(MethodView):
    @blp.arguments(AcceptSchema)
    @blp.response(200, PartnerLinkSchema)
    @errors(blp, 400, 403, 409)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Accept an invitation link (the link or its code) from the caller's own launch."""
        return partners.accept_invitation(current_launch(), body["invitation"])


@blp.route("/<int:link_id>/respond")
class Respond(MethodView):
    @blp.arguments(RespondSchema)
    @blp.response(200, PartnerLinkSchema)
    @errors(blp, 404, 409)
    def post(self, body: dict[str, Any], link_id: int) -> dict[str, Any]:
        """Accept or decline a roster invitation made to the caller."""
        return partners.respond(current_launch(), link_id, body["accept"])


@blp.route("/<int:link_id>/shares")
class Shares(MethodView):
    @blp.arguments(PartnerSharesSchema)
    @blp.response(200, PartnerLinkSchema)
    @errors(blp, 400, 404)
    def put(self, body: dict[str, Any], link_id: int) -> dict[str, Any]:
        """Share exactly these items with this manager or mentor (the rest is revoked at once)."""
        return partners.set_shares(current_launch(), link_id, body["items"])


@blp.route("/<int:link_id>")
class Link(MethodView):
    @blp.response(200, PartnerLinkSchema)
    @errors(blp, 404)
    def delete(self, link_id: int) -> dict[str, Any]:
        """End the relationship (the learner or the partner may); nothing stays shared."""
        return partners.end_link(current_launch(), link_id)


@blp.route("/learners/<int:link_id>")
class Learner(MethodView):
    @blp.response(200, LearnerViewSchema)
    @errors(blp, 404)
    def get(self, link_id: int) -> dict[str, Any]:
        """A learner who shared with the caller: only the items shared. Logged for the learner to see."""
        return partners.learner_view(current_launch(), link_id)


@blp.route("/learners/<int:link_id>/checkins")
class LearnerCheckIns(MethodView):
    @blp.arguments(PartnerCheckInSchema)
    @blp.response(201, CheckInSchema)
    @errors(blp, 400, 403, 404)
    def post(self, body: dict[str, Any], link_id: int) -> dict[str, Any]:
        """Record a check-in on the learner's shared plan, in the caller's name and role."""
        plan_id = body.pop("plan_id")
        return partners.partner_checkin(current_launch(), link_id, plan_id, body)


@blp.route("/learners/<int:link_id>/verifications")
class LearnerVerifications(MethodView):
    @blp.arguments(VerifySchema)
    @blp.response(201, VerificationSchema)
    @errors(blp, 400, 403, 404)
    def post(self, body: dict[str, Any], link_id: int) -> dict[str, Any]:
        """Verify the learner's level on a skill (evidence "manager_verification")."""
        return partners.verify_skill(current_launch(), link_id, body["skill_code"], body["level"], body["note"])


@blp.route("/learners/<int:link_id>/recognitions")
class LearnerRecognitions(MethodView):
    @blp.arguments(RecogniseSchema)
    @blp.response(201, RecognitionSchema)
    @errors(blp, 400, 403, 404, 409)
    def post(self, body: dict[str, Any], link_id: int) -> dict[str, Any]:
        """Recognise an achieved goal with a specific message, optionally with an OB 3.0 credential."""
        return partners.recognise(
            current_launch(), link_id, body["plan_id"], body["goal_id"], body["message"], credential=body["credential"]
        )


@blp.route("/recognition")
class MyRecognition(MethodView):
    @blp.response(200, MyRecognitionSchema)
    @errors(blp)
    def get(self) -> dict[str, Any]:
        """What the caller's managers and mentors verified and recognised."""
        return partners.my_recognition(current_launch())


@blp.route("/recognitions/<int:recognition_id>/credential")
class Credential(MethodView):
    @blp.response(200, EnvelopedCredentialSchema)
    @errors(blp, 404)
    def get(self, recognition_id: int) -> dict[str, Any]:
        """The caller's OB 3.0 credential, as a VC 2.0 EnvelopedVerifiableCredential carrying the VC-JWT."""
        document = partners.credential_document(current_launch(), recognition_id)
        return {**document, "context": document["@context"]}
