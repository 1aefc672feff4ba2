"""Reflection exercises: a learner's answers per exercise template, evaluated by career_core."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC
from typing import Any

from sqlalchemy import select

from career_core.errors import ValidationError
from career_core.exercises import EXERCISE_TEMPLATES, ExerciseResult, ExerciseTemplate, evaluate_exercise
from career_core.scoring import ComponentKind, reflection_completion
from lti_app.career import grading
from lti_app.career.access import Subject, own
from lti_app.career.errors import InvalidInput, NotFound
from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.career import ReflectionRecord
from lti_app.models.people import LaunchSession


def template_of(key: str) -> ExerciseTemplate:
    """:raise NotFound: no exercise with this key."""
    template = EXERCISE_TEMPLATES.get(key)
    if template is None:
        raise NotFound(f"No exercise {key!r}.")
    return template


def template_json(template: ExerciseTemplate) -> dict[str, Any]:
    return {
        "key": template.key,
        "title": template.title,
        "intro": template.intro,
        "fields": [
            {
                "key": f.key,
                "label": f.label,
                "prompt": f.prompt,
                "kind": f.kind.value,
                "min_words": f.min_words,
                "min_items": f.min_items,
                "max_items": f.max_items,
                "max_length": f.max_length,
                "options": list(f.options),
                "parts": [
                    {"key": p.key, "label": p.label, "min_words": p.min_words, "max_length": p.max_length}
                    for p in f.parts
                ],
                "criterion": f.criterion if f.counts_towards_completion else None,
            }
            for f in template.fields
        ],
    }


def result_json(result: ExerciseResult) -> dict[str, Any]:
    return {
        "completion": result.completion,
        "complete": result.complete,
        "criteria": [
            {
                "field_key": c.field_key,
                "description": c.description,
                "fraction": c.fraction,
                "met": c.met,
                "message": c.message,
                "problems": list(c.problems),
            }
            for c in result.criteria
        ],
    }


def _record(subject: Subject, key: str) -> ReflectionRecord | None:
    """The latest answers to ``key`` the subject's reader may see (for the learner: from any course)."""
    return db.session.scalars(
        select(ReflectionRecord)
        .where(subject.where(ReflectionRecord, "reflections"), ReflectionRecord.template_key == key)
        .order_by(ReflectionRecord.updated_at.desc(), ReflectionRecord.id.desc())
    ).first()


def _own_record(subject: Subject, key: str) -> ReflectionRecord | None:
    """The answers this identity gave in this course: what a save writes (its origin)."""
    return db.session.scalars(
        select(ReflectionRecord).filter_by(user_id=subject.user_id, context_pk=subject.context_pk, template_key=key)
    ).first()


def answers_of(subject: Subject, key: str) -> dict[str, Any]:
    """The subject's latest saved answers to one exercise that they may see (empty when none yet)."""
    record = _record(subject, key)
    return dict(record.answers) if record else {}


def reflection_of(session: LaunchSession, key: str, subject: Subject | None = None) -> dict[str, Any]:
    """The exercise, the subject's answers (empty when none yet) and how complete they are."""
    template = template_of(key)
    record = _record(subject or own(session), key)
    answers = record.answers if record else {}
    return {
        "template": template_json(template),
        "answers": answers,
        "evaluation": result_json(evaluate_exercise(template, answers)),
        "updated_at": record.updated_at.replace(tzinfo=UTC) if record else None,
    }


def list_reflections(session: LaunchSession, subject: Subject | None = None) -> list[dict[str, Any]]:
    """Every exercise with the subject's completion of it."""
    subject = subject or own(session)
    records = {
        r.template_key: r  # the latest per exercise wins
        for r in db.session.scalars(
            select(ReflectionRecord)
            .where(subject.where(ReflectionRecord, "reflections"))
            .order_by(ReflectionRecord.updated_at, ReflectionRecord.id)
        )
    }
    return [
        {
            "key": key,
            "title": template.title,
            "completion": records[key].completion if key in records else 0.0,
            "complete": records[key].complete if key in records else False,
            "updated_at": records[key].updated_at.replace(tzinfo=UTC) if key in records else None,
        }
        for key, template in EXERCISE_TEMPLATES.items()
    ]


def save_answers(session: LaunchSession, key: str, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Store the caller's answers (whole) and their evaluation, as this course's record (the learner's latest
    answers, from whichever course, are what they see and edit); a learner's launch of a reflection placement
    (for this exercise, when the placement names one) publishes the completion's score. Commits.

    :raise NotFound: unknown exercise. :raise InvalidInput: malformed answers, by field.
    """
    template = template_of(key)
    subject = own(session)
    try:
        result = evaluate_exercise(template, answers)
    except ValidationError as error:
        raise InvalidInput.from_domain(error, prefix="answers.") from error
    record = _own_record(subject, key)
    if record is None:
        record = ReflectionRecord(user_id=subject.user_id, context_pk=subject.context_pk, template_key=key)
        db.session.add(record)
    record.resource_link_pk = session.resource_link_pk or record.resource_link_pk
    record.answers = dict(answers)
    record.completion = result.completion
    record.complete = result.complete
    record.updated_at = utcnow()
    settings = session.resource_link.settings if session.resource_link is not None else {}
    if (settings or {}).get("exercise") in (None, "", key):
        grading.publish_completion(session, ComponentKind.REFLECTION, reflection_completion(result))
    db.session.commit()
    return reflection_of(session, key)
