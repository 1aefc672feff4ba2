"""``/api/v1/context/learners``: for instructors and administrators, the learners of their own course."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields

from lti_app.api.assessments import HistoryPageArgs, HistorySchema
from lti_app.api.auth import current_launch
from lti_app.api.base import Blueprint, errors
from lti_app.api.career import TargetSchema
from lti_app.api.evidence import EvidenceListSchema
from lti_app.api.plans import PlanListSchema
from lti_app.api.reflections import ReflectionListSchema, ReflectionSchema
from lti_app.api.roles import GapSchema
from lti_app.api.schemas import PageArgsSchema, PageSchema
from lti_app.career import learners

blp = Blueprint(
    "learners",
    __name__,
    url_prefix="/api/v1/context/learners",
    description="The learners of the caller's course (instructors and administrators only)",
)


class LearnerSchema(Schema):
    user_id = fields.Integer()
    name = fields.String()
    assessment_count = fields.Integer()
    last_assessed_at = fields.DateTime(allow_none=True)
    assessment_completion = fields.Float()
    plan_id = fields.Integer(allow_none=True)
    plan_status = fields.String(allow_none=True)
    plan_progress = fields.Float(allow_none=True)
    reflections_complete = fields.Integer()


class LearnerDetailSchema(LearnerSchema):
    target = fields.Nested(TargetSchema)


class LearnerListSchema(PageSchema):
    learners = fields.List(fields.Nested(LearnerSchema))


@blp.route("")
class Learners(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, LearnerListSchema)
    @errors(blp, 400, 403)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """A page of the learners of the caller's course (in the order they first launched) with their
        completion and plan status; ``total`` and ``next_page`` say how to read the rest."""
        return learners.list_learners(current_launch(), args["paging"])


@blp.route("/<int:user_id>")
class Learner(MethodView):
    @blp.response(200, LearnerDetailSchema)
    @errors(blp, 403, 404)
    def get(self, user_id: int) -> dict[str, Any]:
        """One learner's overview and target role."""
        return learners.learner(current_launch(), user_id)


@blp.route("/<int:user_id>/assessments")
class LearnerAssessments(MethodView):
    @blp.arguments(HistoryPageArgs, location="query")
    @blp.response(200, HistorySchema)
    @errors(blp, 400, 403, 404)
    def get(self, args: dict[str, Any], user_id: int) -> dict[str, Any]:
        """A page of the learner's self-assessment history, oldest first, and their current profile."""
        return learners.learner_assessments(current_launch(), user_id, args["paging"])


@blp.route("/<int:user_id>/plans")
class LearnerPlans(MethodView):
    @blp.response(200, PlanListSchema)
    @errors(blp, 403, 404)
    def get(self, user_id: int) -> dict[str, Any]:
        """The learner's plans (move them through review with POST /plans/<id>/transitions)."""
        return {"plans": learners.learner_plans(current_launch(), user_id)}


@blp.route("/<int:user_id>/reflections")
class LearnerReflections(MethodView):
    @blp.response(200, ReflectionListSchema)
    @errors(blp, 403, 404)
    def get(self, user_id: int) -> dict[str, Any]:
        """The learner's completion of each exercise."""
        return {"reflections": learners.learner_reflections(current_launch(), user_id)}


@blp.route("/<int:user_id>/reflections/<template>")
class LearnerReflection(MethodView):
    @blp.response(200, ReflectionSchema)
    @errors(blp, 403, 404)
    def get(self, user_id: int, template: str) -> dict[str, Any]:
        """The learner's answers to one exercise."""
        return learners.learner_reflection(current_launch(), user_id, template)


@blp.route("/<int:user_id>/evidence")
class LearnerEvidence(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, EvidenceListSchema)
    @errors(blp, 400, 403, 404)
    def get(self, args: dict[str, Any], user_id: int) -> dict[str, Any]:
        """A page of the learner's evidence, oldest first."""
        return learners.learner_evidence(current_launch(), user_id, args["paging"])


@blp.route("/<int:user_id>/gap/<code>")
class LearnerGap(MethodView):
    @blp.response(200, GapSchema)
    @errors(blp, 403, 404)
    def get(self, user_id: int, code: str) -> dict[str, Any]:
        """The learner's gap to an occupation."""
        return learners.learner_gap(current_launch(), user_id, code)
