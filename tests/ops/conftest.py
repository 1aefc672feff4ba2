"""Operations fixtures: an app on a brand-new, empty database (SQLite, or PostgreSQL when the suite runs on it)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import _fresh_postgres_database
from tests.services import postgres_admin_url

__all__ = ["postgres_admin_url"]


@pytest.fixture()
def fresh_app(tmp_path: Path) -> Iterator[Flask]:
    """An app whose database has no tables yet, as an operator has it before `career-toolkit db upgrade`."""
    import os

    from lti_app import create_app

    if os.environ.get("CAREER_TOOLKIT_TEST_DATABASE", "sqlite") == "postgresql":
        databases = _fresh_postgres_database()
        url = next(databases)
    else:
        databases = None
        url = "sqlite:///" + str(tmp_path / "fresh.sqlite")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SECRET_KEY": "fresh-" + uuid.uuid4().hex,
            "BASE_URL": "https://tool.example.edu",
            "GRADE_DELIVERY": "manual",
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    try:
        yield app
    finally:
        from lti_app.extensions import db

        with app.app_context():
            db.engine.dispose()
        if databases is not None:
            next(databases, None)
