"""The REST API under ``/api/v1``: marshmallow schemas, OpenAPI generated from them."""

from __future__ import annotations

from flask import Flask

from lti_app.extensions import api


def init_app(app: Flask) -> None:
    from lti_app.api import (
        assessments,
        base,
        career,
        evidence,
        frameworks,
        insight,
        learners,
        mentoring,
        people,
        plans,
        profile,
        reflections,
        roles,
    )
    from lti_app.api.me import blp as me_blp

    api.init_app(
        app,
        spec_kwargs={
            "info": {
                "description": (
                    "Authenticate with the launched page's token: `Authorization: Bearer <token>`. "
                    "Invalid input answers 400 with `errors` keyed by location then field, e.g. "
                    '`{"errors": {"json": {"ratings[0].level": ["..."]}}}`; a role that may not act answers 403; '
                    "another learner's, course's, deployment's or platform's record answers 404, like a missing one. "
                    "Responses showing O*NET data carry its CC BY 4.0 `attribution`."
                )
            },
            "components": {
                "securitySchemes": {
                    "launchToken": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "The launched page's api-token.",
                    }
                }
            },
        },
    )
    api.register_blueprint(me_blp)
    for module in (
        frameworks,
        assessments,
        roles,
        career,
        plans,
        reflections,
        evidence,
        learners,
        profile,
        people,
        mentoring,
        insight,
    ):
        api.register_blueprint(module.blp)
    base.init_app(app)
