"""Shared fixtures: an app on a migrated database (SQLite by default, PostgreSQL when asked), a client, a runner.

``CAREER_TOOLKIT_TEST_DATABASE=postgresql`` runs the same suite on a fresh PostgreSQL database made for
this run and dropped after it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.services import postgres_admin_url, require_service

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("CAREER_TOOLKIT_TEST_DATABASE", "sqlite") == "postgresql":
        yield from _fresh_postgres_database()
    else:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "career_toolkit.sqlite")


def _fresh_postgres_database() -> Iterator[str]:
    import psycopg

    require_service("postgres")
    name = "ct_test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(postgres_admin_url(), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_admin_url(name)
    finally:
        with psycopg.connect(postgres_admin_url(), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def migrated_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from flask_migrate import upgrade

    from lti_app import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret-" + uuid.uuid4().hex,
            "BASE_URL": "http://tool.test",
            "GRADE_DELIVERY": "manual",
        }
    )
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    with app.app_context():
        upgrade(revision="heads")
    yield app
    # Close the pool before the database is dropped, so no socket is left for the garbage collector.
    from lti_app.extensions import db

    with app.app_context():
        db.engine.dispose()


@pytest.fixture()
def app(migrated_app: Flask) -> Iterator[Flask]:
    """The migrated app with empty tables for each test."""
    from lti_app.extensions import db
    from lti_app.lti.registrations import registrations

    config_before = dict(migrated_app.config)
    with migrated_app.app_context():
        yield migrated_app
        db.session.rollback()
        db.session.remove()
        _empty_tables()
        # Emptied behind the ORM's back, as another process would: the next test starts like a fresh worker.
        registrations().clear()
    migrated_app.config.clear()
    migrated_app.config.update(config_before)


def _empty_tables() -> None:
    from sqlalchemy import text

    from lti_app.extensions import db

    tables = [table.name for table in db.metadata.sorted_tables]
    with db.engine.begin() as connection:
        if db.engine.dialect.name == "postgresql":
            connection.execute(text("TRUNCATE " + ", ".join(f'"{name}"' for name in tables) + " CASCADE"))
        else:
            for name in reversed(tables):
                connection.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = Path(os.environ.get("CAREER_TOOLKIT_ARTIFACTS", "artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path
