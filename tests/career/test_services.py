"""Career services without HTTP: fixtures, error grouping, grading settings, the append-only ledger."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from career_core.evidence import EvidenceSource, evidence_for_completion
from career_core.scoring import GradingMode
from lti_app.career import grading
from lti_app.career.access import own
from lti_app.career.errors import messages_by_field
from lti_app.career.evidence import record_evidence
from lti_app.career.frameworks import load_onet_framework
from lti_app.extensions import db
from lti_app.launch_tokens import session_for_token
from lti_app.models import EvidenceRecordRow, SkillFrameworkRecord


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_fixture_load_is_idempotent(runner, app) -> None:
    first = runner.invoke(args=["fixtures", "load"])
    assert first.exit_code == 0, first.output
    assert "35 skills loaded" in first.output and "CC BY 4.0" in first.output
    record = db.session.scalars(select(SkillFrameworkRecord)).one()
    snapshot = (record.id, record.skills, record.scale, record.attribution)
    second = runner.invoke(args=["fixtures", "load", "onet"])
    assert "already loaded" in second.output
    db.session.expire_all()
    record = db.session.scalars(select(SkillFrameworkRecord)).one()
    assert (record.id, record.skills, record.scale, record.attribution) == snapshot
    assert runner.invoke(args=["fixtures", "load", "nope"]).exit_code != 0


def test_load_reports_progress_per_skill(app) -> None:
    steps: list[int] = []
    load_onet_framework(progress=steps.append)
    assert sum(steps) == 35


def test_domain_messages_are_grouped_by_location() -> None:
    grouped = messages_by_field(["goals[1].title: must not be empty", "goals[1].title: too long", "no location here"])
    assert grouped == {"goals[1].title": ["must not be empty", "too long"], "_schema": ["no location here"]}


def test_grading_settings_come_from_the_placement(as_user) -> None:
    api = as_user(custom={"max_score": "12.5", "grading": "on_progress"})
    session = session_for_token(api.token)
    assert grading.max_score(session) == 12.5 and grading.grading_mode(session) is GradingMode.ON_PROGRESS
    session.resource_link.settings = {"max_score": "-3", "grading": "sometimes"}
    assert grading.max_score(session) == 100.0 and grading.grading_mode(session) is GradingMode.ON_COMPLETION


def test_evidence_replays_add_nothing(as_user) -> None:
    session = session_for_token(as_user().token)
    subject = own(session)
    records = evidence_for_completion(
        learner_id=subject.learner_id,
        skill_levels={"2.A.1.a": 3},
        source=EvidenceSource.SELF_ASSESSMENT,
        recorded_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    record_evidence(subject, records, resource_link_pk=None, framework_pk=None)
    db.session.commit()
    assert record_evidence(subject, records, resource_link_pk=None, framework_pk=None) == []
    db.session.commit()
    assert _count(EvidenceRecordRow) == 1


def test_the_ledger_service_has_no_update_or_delete_path() -> None:
    import inspect

    from lti_app.career import evidence

    source = inspect.getsource(evidence)
    assert "delete(" not in source and "update(" not in source and ".merge(" not in source
