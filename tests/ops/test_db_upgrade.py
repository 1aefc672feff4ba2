"""`career-toolkit db upgrade` migrates and brings the packaged O*NET catalog up to date, idempotently."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event, select

from career_core.onet import load_onet_catalog
from lti_app.extensions import db
from lti_app.models.career import SkillFrameworkRecord


def _frameworks() -> list[tuple[Any, ...]]:
    rows = db.session.execute(
        select(
            SkillFrameworkRecord.id,
            SkillFrameworkRecord.identifier,
            SkillFrameworkRecord.version,
            SkillFrameworkRecord.skills,
            SkillFrameworkRecord.attribution,
        )
    ).all()
    db.session.rollback()
    return [tuple(row) for row in rows]


def test_upgrade_on_a_fresh_database_loads_the_catalog_once(fresh_app: Flask) -> None:
    runner = fresh_app.test_cli_runner()
    identifier = load_onet_catalog().framework.identifier

    first = runner.invoke(args=["db", "upgrade"])

    assert first.exit_code == 0, first.output
    assert f"O*NET catalog: {identifier} loaded" in first.output
    with fresh_app.app_context():
        [stored] = _frameworks()
        assert stored[1] == identifier and len(stored[3]) == len(load_onet_catalog().framework.skills)

        writes: list[str] = []

        def count_writes(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
                writes.append(statement)

        event.listen(db.engine, "before_cursor_execute", count_writes)
        try:
            again = runner.invoke(args=["db", "upgrade"])
        finally:
            event.remove(db.engine, "before_cursor_execute", count_writes)
        assert again.exit_code == 0, again.output
        assert f"O*NET catalog: {identifier} already up to date." in again.output
        assert writes == []
        assert _frameworks() == [stored]


def test_an_older_stored_release_is_brought_up_to_date(fresh_app: Flask) -> None:
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with fresh_app.app_context():
        record = db.session.scalars(select(SkillFrameworkRecord)).one()
        record.version, record.skills = "an-older-release", record.skills[:3]
        db.session.commit()

        result = runner.invoke(args=["db", "upgrade"])

        assert "brought up to date with the packaged release" in result.output
        record = db.session.scalars(select(SkillFrameworkRecord)).one()
        assert record.version == load_onet_catalog().framework.version
        assert len(record.skills) == len(load_onet_catalog().framework.skills)


def test_an_upgrade_to_an_older_revision_or_offline_sql_writes_no_catalog(fresh_app: Flask) -> None:
    runner = fresh_app.test_cli_runner()

    partial = runner.invoke(args=["db", "upgrade", "0002_career"])
    assert partial.exit_code == 0, partial.output
    assert "not at the newest revision" in partial.output
    with fresh_app.app_context():
        assert _frameworks() == []

    # SQLite's batch migrations (0005 on) need a live connection, so the offline range stops before them.
    offline = runner.invoke(args=["db", "upgrade", "--sql", "0002_career:0004_roster"])
    assert offline.exit_code == 0, offline.output
    assert "O*NET" not in offline.output
