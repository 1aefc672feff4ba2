"""Migration 0005_profile: a database at 0004 with records in the old (per-course) shape upgrades without loss,
and every record is readable through the new, person-level services.

Runs on SQLite, and on PostgreSQL with ``CAREER_TOOLKIT_TEST_DATABASE=postgresql`` (a database of its own).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from career_core.checkins import checkin_to_dict, parse_checkin
from career_core.evidence import EvidenceSource, evidence_for_completion
from career_core.plans import parse_plan, plan_to_dict
from tests.services import postgres_admin_url, require_service

ISSUER = "https://lms-a.example.edu"
T0 = datetime(2026, 10, 1, 9, 0)
LATER = datetime(2099, 1, 1)
TABLES = (
    "lti_user",
    "context",
    "resource_link",
    "membership",
    "launch_session",
    "skill_framework",
    "self_assessment",
    "career_target",
    "development_plan",
    "plan_checkin",
    "reflection",
    "skill_evidence",
)


@pytest.fixture()
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    if os.environ.get("CAREER_TOOLKIT_TEST_DATABASE", "sqlite") != "postgresql":
        yield "sqlite:///" + str(tmp_path / "at_0004.sqlite")
        return
    import psycopg

    require_service("postgres")
    name = "ct_migration_" + uuid.uuid4().hex[:12]
    with psycopg.connect(postgres_admin_url(), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_admin_url(name)
    finally:
        with psycopg.connect(postgres_admin_url(), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _insert(connection: Any, table: str, **values: Any) -> None:
    values = {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in values.items()}
    columns = ", ".join(values)
    params = ", ".join(f":{k}" for k in values)
    connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({params})"), values)


def _old_shape_data(connection: Any) -> None:
    """Records as the 0004 schema held them: per (user, course), written with plain SQL."""
    _insert(
        connection,
        "platform",
        id=1,
        name="University Moodle",
        issuer=ISSUER,
        client_id="tool",
        auth_login_url="https://lms-a.example.edu/auth",
        auth_token_url="https://lms-a.example.edu/token",
        created_at=T0,
    )
    _insert(connection, "deployment", id=1, platform_id=1, deployment_id="d1")
    _insert(connection, "lti_user", id=1, issuer=ISSUER, sub="mia-sub", name="Mia", created_at=T0, last_launch_at=T0)
    _insert(connection, "lti_user", id=2, issuer=ISSUER, sub="teacher", created_at=T0, last_launch_at=T0)
    for pk, context_id in ((1, "course-a"), (2, "course-b")):
        _insert(
            connection, "context", id=pk, platform_id=1, deployment_pk=1, lti_context_id=context_id, title=context_id
        )
    links = ((1, 1, "self_assessment"), (2, 1, "development_plan"), (3, 2, "home"))
    for pk, context, kind in links:
        _insert(
            connection,
            "resource_link",
            id=pk,
            context_pk=context,
            lti_resource_link_id=f"link-{pk}",
            component_kind=kind,
            settings={},
        )
    for pk, user, context, role in ((1, 1, 1, "learner"), (2, 1, 2, "learner"), (3, 2, 1, "instructor")):
        _insert(
            connection,
            "membership",
            id=pk,
            user_id=user,
            context_pk=context,
            role=role,
            lti_roles=[],
            last_seen_at=T0,
        )
    for sid, user, context, link, role in (("mia-in-b", 1, 2, 3, "learner"), ("teacher-in-a", 2, 1, 1, "instructor")):
        _insert(
            connection,
            "launch_session",
            id=sid,
            user_id=user,
            platform_id=1,
            deployment_pk=1,
            context_pk=context,
            resource_link_pk=link,
            role=role,
            message_type="LtiResourceLinkRequest",
            claims={},
            created_at=T0,
            expires_at=LATER,
        )
    _insert(
        connection,
        "skill_framework",
        id=1,
        owner_key="shared",
        identifier="test-framework",
        title="Test framework",
        version="1",
        scale={"id": "s", "name": "Scale", "levels": [{"value": 1, "name": "Some", "descriptor": ""}]},
        skills=[{"code": "S1", "name": "Skill one", "description": "", "category": "", "parent_code": None}],
        source="case_import",
        created_at=T0,
    )
    _insert(
        connection,
        "self_assessment",
        id=1,
        user_id=1,
        context_pk=1,
        resource_link_pk=1,
        framework_pk=1,
        taken_at=T0,
        ratings=[{"skill_code": "S1", "level": 1, "confidence": "high", "note": "old note"}],
    )
    _insert(
        connection,
        "career_target",
        id=1,
        user_id=1,
        context_pk=1,
        resource_link_pk=1,
        target_role_code="11-1021.00",
        updated_at=T0,
    )
    plan = plan_to_dict(parse_plan({"owner": "mia", "vision": "a distinctive old vision", "goals": []}))
    _insert(
        connection,
        "development_plan",
        id=1,
        user_id=1,
        context_pk=1,
        resource_link_pk=2,
        status="draft",
        requires_review=True,
        plan=plan,
        created_at=T0,
        updated_at=T0,
    )
    checkin = checkin_to_dict(
        parse_checkin({"author_role": "mentor", "author_name": "T", "held_on": "2026-10-02", "notes": "old talk"})
    )
    _insert(
        connection,
        "plan_checkin",
        id=1,
        plan_id=1,
        user_id=1,
        context_pk=1,
        author_user_id=2,
        held_on=datetime(2026, 10, 2).date(),
        checkin=checkin,
        created_at=T0,
    )
    _insert(
        connection,
        "reflection",
        id=1,
        user_id=1,
        context_pk=1,
        resource_link_pk=None,
        template_key="strengths",
        answers={"use_more": "old answer text"},
        completion=0.5,
        complete=False,
        updated_at=T0,
    )
    (record,) = evidence_for_completion(
        learner_id="old-learner-id",
        skill_levels={"S1": 1},
        source=EvidenceSource.SELF_ASSESSMENT,
        recorded_at=T0.replace(tzinfo=UTC),
        activity_id="self-assessment/1",
    )
    _insert(
        connection,
        "skill_evidence",
        id=1,
        evidence_id=record.id,
        user_id=1,
        context_pk=1,
        resource_link_pk=1,
        framework_pk=1,
        learner_id=record.learner_id,
        skill_code="S1",
        level=1,
        source="self_assessment",
        recorded_at=T0,
        activity_id="self-assessment/1",
        note="",
    )


def _counts(connection: Any) -> dict[str, int]:
    return {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() for table in TABLES}


def test_0005_keeps_every_record_readable_per_person(fresh_database_url: str, tmp_path: Path) -> None:
    from flask_migrate import upgrade

    from lti_app import create_app
    from lti_app.career import assessments, careers, evidence, learners, plans, profile, reflections
    from lti_app.extensions import db
    from lti_app.models.people import LaunchSession

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": fresh_database_url,
            "SECRET_KEY": "migration-test",
            "BASE_URL": "http://tool.test",
            "GRADE_DELIVERY": "manual",
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    try:
        with app.app_context():
            upgrade(revision="0004_roster")
            with db.engine.begin() as connection:
                _old_shape_data(connection)
                before = _counts(connection)
            upgrade(revision="heads")
            with db.engine.connect() as connection:
                assert _counts(connection) == before

            with app.test_request_context():
                mia = db.session.get(LaunchSession, "mia-in-b")  # launched in course B; her records are in A
                assert mia is not None
                history = assessments.my_history(mia)
                assert [s["ratings"][0]["note"] for s in history["assessments"]] == ["old note"]
                (plan,) = plans.list_plans(mia)
                assert plan["vision"] == "a distinctive old vision"
                assert [c["notes"] for c in plans.list_checkins(mia, plan["id"])] == ["old talk"]
                assert reflections.reflection_of(mia, "strengths")["answers"] == {"use_more": "old answer text"}
                assert careers.target_of(mia)["target"]["code"] == "11-1021.00"
                (item,) = evidence.my_evidence(mia)["evidence"]
                assert (item["skill_name"], item["level"]) == ("Skill one", 1)
                document = profile.export(mia)
                assert len(document["evidence"]["statements"]) == 1
                assert [c["course"]["context_id"] for c in document["self_assessments"]] == ["course-a"]

                # Course A's instructor still sees what course A produced.
                teacher = db.session.get(LaunchSession, "teacher-in-a")
                assert teacher is not None
                assert [p["id"] for p in learners.learner_plans(teacher, 1)] == [plan["id"]]
                assert learners.learner_reflection(teacher, 1, "strengths")["answers"] == {
                    "use_more": "old answer text"
                }
            db.session.remove()
    finally:
        with app.app_context():
            db.engine.dispose()
