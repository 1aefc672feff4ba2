"""Skill evidence records and the append-only ledger."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest

from career_core.errors import ValidationError
from career_core.evidence import (
    EvidenceLedger,
    EvidenceRecord,
    EvidenceSource,
    evidence_for_completion,
)

T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def record(id: str, skill: str = "DATA", level: int | None = 3, at: datetime = T0) -> EvidenceRecord:
    return EvidenceRecord(id, "learner-1", skill, level, EvidenceSource.SELF_ASSESSMENT, at)


def test_record_rejects_naive_times_empty_ids_and_unsafe_urls() -> None:
    with pytest.raises(ValidationError) as excinfo:
        EvidenceRecord(
            " ", "learner-1", "", 2, EvidenceSource.IMPORT, datetime(2025, 1, 1), activity_url="javascript:x"
        )
    assert excinfo.value.errors == [
        "evidence.id: must not be empty",
        "evidence.skill_code: must not be empty",
        "evidence.recorded_at: must carry a time zone",
        "evidence.activity_url: 'javascript:x' is not an http(s) address",
    ]


def test_record_times_are_normalised_to_utc() -> None:
    local = datetime(2025, 3, 1, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    assert record("r", at=local).recorded_at.tzinfo is UTC
    assert record("r", at=local).recorded_at == T0


def test_ledger_is_append_only_and_ordered_by_time() -> None:
    empty = EvidenceLedger()
    later = record("b", at=T0 + timedelta(days=1), level=4)
    ledger = empty.append(later).append(record("a"))
    assert len(empty) == 0
    assert [r.id for r in ledger] == ["a", "b"]
    assert ledger.latest_level("DATA") == 4
    assert not hasattr(ledger, "remove") and not hasattr(ledger, "update")
    with pytest.raises(dataclasses.FrozenInstanceError):
        ledger.records = ()  # type: ignore[misc]


def test_same_instant_keeps_append_order() -> None:
    ledger = EvidenceLedger().append(record("x", level=2)).append(record("y", level=5))
    assert [r.id for r in ledger] == ["x", "y"]
    assert ledger.latest_level("DATA") == 5


def test_duplicate_ids_are_refused() -> None:
    ledger = EvidenceLedger().append(record("a"))
    with pytest.raises(ValidationError, match="'a' is already in the ledger"):
        ledger.append(record("a", level=5))
    with pytest.raises(ValidationError, match="unique"):
        EvidenceLedger((record("a"), record("a")))


def test_for_skill_and_latest_level_skip_records_without_a_level() -> None:
    ledger = EvidenceLedger(
        (
            record("1", "DATA", 2),
            record("2", "PY", 4, T0 + timedelta(hours=1)),
            record("3", "DATA", None, T0 + timedelta(hours=2)),
        )
    )
    assert [r.id for r in ledger.for_skill("DATA")] == ["1", "3"]
    assert ledger.latest_level("DATA") == 2
    assert ledger.latest_level("NONE") is None


def test_completion_produces_one_record_per_skill_with_stable_ids() -> None:
    def produce() -> tuple[EvidenceRecord, ...]:
        return evidence_for_completion(
            learner_id="learner-1",
            skill_levels={"PY": 3, "DATA": None},
            source=EvidenceSource.COMPLETED_ACTIVITY,
            recorded_at=T0,
            activity_id="plan-7",
            activity_url="https://lms.example/plan/7",
        )

    records = produce()
    assert [(r.skill_code, r.level) for r in records] == [("DATA", None), ("PY", 3)]
    assert len({r.id for r in records}) == 2
    assert produce() == records
    ledger = EvidenceLedger().extend(records).extend(produce())
    assert len(ledger) == 2
    other = evidence_for_completion(
        learner_id="learner-2",
        skill_levels={"PY": 3},
        source=EvidenceSource.COMPLETED_ACTIVITY,
        recorded_at=T0,
        activity_id="plan-7",
    )
    assert other[0].id != records[1].id
