"""The REST API under ``/api/v1``: marshmallow schemas, OpenAPI generated from them."""

from __future__ import annotations

from flask import Flask

from lti_app.extensions import api


def init_app(app: Flask) -> None:
    from lti_app.api.me import blp as me_blp

    api.init_app(
        app,
        spec_kwargs={
            "components": {
                "securitySchemes": {
                    "launchToken": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "The launched page's api-token.",
                    }
                }
            }
        },
    )
    api.register_blueprint(me_blp)
