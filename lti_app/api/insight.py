"""``/api/v1/insight``: programme insight for platform administrators and course instructors, as JSON or CSV;
aggregate figures only, never a learner's text (decision 0022)."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from lti_app.api.auth import current_launch
from lti_app.api.base import Blueprint, errors
from lti_app.career import insight
from lti_app.input_guard import MAX_DATABASE_ID

blp = Blueprint(
    "insight",
    __name__,
    url_prefix="/api/v1/insight",
    description="Programme insight: participation, plans, check-ins, skills growth, mentoring (aggregates only)",
)


class InsightArgs(Schema):
    course_id = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=MAX_DATABASE_ID),
        metadata={"description": "One course of the platform (administrators); an instructor sees their own"},
    )
    since = fields.Date(load_default=None, metadata={"description": "First day of the period (YYYY-MM-DD)"})
    until = fields.Date(load_default=None, metadata={"description": "Last day of the period (YYYY-MM-DD)"})


class InsightScopeSchema(Schema):
    course_id = fields.Integer(allow_none=True)
    course_title = fields.String(allow_none=True)
    since = fields.Date(allow_none=True)
    until = fields.Date(allow_none=True)


class InsightParticipationSchema(Schema):
    learners = fields.Integer(metadata={"description": "Learners of the courses in scope"})
    assessed = fields.Integer(metadata={"description": "Learners who took a self-assessment in the period"})
    with_plan = fields.Integer(metadata={"description": "Learners who started a plan in the period"})
    with_checkin = fields.Integer(metadata={"description": "Learners with a check-in held in the period"})
    mentor_volunteers = fields.Integer()
    asking_help = fields.Integer()
    mentees = fields.Integer(metadata={"description": "Mentees of pairs accepted (or since ended)"})
    mentors = fields.Integer(metadata={"description": "Mentors of pairs accepted (or since ended)"})


class InsightMonthSchema(Schema):
    month = fields.String(metadata={"description": "YYYY-MM"})
    checkins = fields.Integer()
    learners = fields.Integer()


class InsightGrowthSchema(Schema):
    skill_code = fields.String()
    skill_name = fields.String()
    basis = fields.String(metadata={"description": "self_rated or verified"})
    learners = fields.Integer()
    average_first = fields.Float(metadata={"description": "Average of each learner's first level in the period"})
    average_latest = fields.Float(metadata={"description": "Average of each learner's latest level in the period"})
    improved = fields.Integer(metadata={"description": "Learners whose latest level is above their first"})


class InsightSessionMonthSchema(Schema):
    month = fields.String()
    sessions = fields.Integer()


class InsightSessionsSchema(Schema):
    total = fields.Integer()
    group = fields.Integer(metadata={"description": "Sessions with more than one mentee"})
    attendances = fields.Integer()
    per_month = fields.List(fields.Nested(InsightSessionMonthSchema))


class InsightPartyFeedbackSchema(Schema):
    count = fields.Integer()
    average_rating = fields.Float()


class InsightFeedbackSchema(Schema):
    count = fields.Integer()
    average_rating = fields.Float(allow_none=True)
    by_rating = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_party = fields.Dict(keys=fields.String(), values=fields.Nested(InsightPartyFeedbackSchema))


class InsightMentoringSchema(Schema):
    pairs_by_state = fields.Dict(keys=fields.String(), values=fields.Integer())
    sessions = fields.Nested(InsightSessionsSchema)
    feedback = fields.Nested(
        InsightFeedbackSchema, metadata={"description": "Ratings only: the texts stay with the pair"}
    )


class InsightSchema(Schema):
    scope = fields.Nested(InsightScopeSchema)
    participation = fields.Nested(InsightParticipationSchema)
    plans_by_state = fields.Dict(keys=fields.String(), values=fields.Integer())
    checkins_per_month = fields.List(fields.Nested(InsightMonthSchema))
    skills_growth = fields.List(fields.Nested(InsightGrowthSchema))
    mentoring = fields.Nested(InsightMentoringSchema)


def _figures(args: dict[str, Any]) -> dict[str, Any]:
    return insight.programme_insight(current_launch(), args["course_id"], args["since"], args["until"])


@blp.route("")
class Insight(MethodView):
    @blp.arguments(InsightArgs, location="query")
    @blp.response(200, InsightSchema)
    @errors(blp, 400, 403, 404)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The programme's figures for the caller's platform (administrators) or course (instructors)."""
        return _figures(args)


@blp.route("/csv")
class InsightCsv(MethodView):
    @blp.arguments(InsightArgs, location="query")
    @blp.response(200, {"type": "string"}, content_type="text/csv", description="section,key,metric,value rows")
    @errors(blp, 400, 403, 404)
    def get(self, args: dict[str, Any]) -> Response:
        """The same figures as CSV, one row per figure: section, key, metric, value."""
        text = insight.insight_csv(_figures(args))
        return Response(
            text, mimetype="text/csv", headers={"Content-Disposition": "attachment; filename=programme-insight.csv"}
        )
