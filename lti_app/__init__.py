"""Career Toolkit's LTI 1.3 tool: the Flask application factory."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from lti_app.config import ConfigurationError, settings_from_environment, sqlalchemy_url


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the tool. ``test_config`` overrides the environment (tests, the demo)."""
    app = Flask(__name__, instance_relative_config=True)
    configure(app, test_config)
    register_logging(app)
    register_extensions(app)
    register_input_guard(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security_headers(app)
    register_commands(app)
    return app


def configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    settings = settings_from_environment()
    settings.update(test_config or {})
    if settings.get("INSTANCE_PATH"):
        app.instance_path = str(settings["INSTANCE_PATH"])
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not settings.get("SECRET_KEY"):
        settings["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
        # `career-toolkit doctor` tells a deployed server from a local one that may rely on this.
        settings["SECRET_KEY_FROM_INSTANCE"] = True
    database_url = settings.get("DATABASE_URL") or "sqlite:///" + os.path.join(
        app.instance_path, "career_toolkit.sqlite"
    )
    app.config.update(settings)
    app.config["SQLALCHEMY_DATABASE_URI"] = sqlalchemy_url(database_url)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    app.config.setdefault("API_TITLE", "Career Toolkit API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    if app.config["BASE_URL"].endswith("/"):
        app.config["BASE_URL"] = app.config["BASE_URL"].rstrip("/")


def _instance_secret(instance: Path) -> str:
    """A secret kept in the instance folder, so a demo or dev server needs no setup and survives restarts."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    secret = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(secret)
    return secret


def register_extensions(app: Flask) -> None:
    from lti_app import models  # noqa: F401  (registers the tables)
    from lti_app.extensions import db, migrate
    from lti_app.lti import registrations

    db.init_app(app)
    registrations.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    from lti_app import grades

    grades.init_app(app)


def register_logging(app: Flask) -> None:
    from lti_app import logs

    logs.init_app(app)


def register_input_guard(app: Flask) -> None:
    # Before the blueprints: their ``<int:...>`` rules take the converter installed here.
    from lti_app.input_guard import init_app

    init_app(app)


def register_blueprints(app: Flask) -> None:
    from lti_app.health import bp as health_bp

    app.register_blueprint(health_bp)
    from lti_app.lti.views import bp as lti_bp

    app.register_blueprint(lti_bp)
    from lti_app.lti.register_views import bp as lti_register_bp

    app.register_blueprint(lti_register_bp)
    from lti_app.admin.views import bp as admin_bp

    app.register_blueprint(admin_bp)
    from lti_app.xapi.views import bp as xapi_bp

    app.register_blueprint(xapi_bp)
    if app.config.get("DEMO_LMS"):
        from lti_app.demo_lms.views import bp as demo_lms_bp

        app.register_blueprint(demo_lms_bp)

    from lti_app import api

    api.init_app(app)
    from lti_app import pages

    pages.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from lti_app.errors import init_app

    init_app(app)


def register_security_headers(app: Flask) -> None:
    from lti_app.security_headers import init_app

    init_app(app)


def register_commands(app: Flask) -> None:
    from lti_app.cli import init_app

    init_app(app)


__all__ = ["ConfigurationError", "create_app"]
