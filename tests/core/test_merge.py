"""Merging a person's evidence from linked identities counts each piece once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from career_core.evidence import EvidenceSource, evidence_for_completion
from career_core.merge import evidence_key, merge_evidence

AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def _records(learner: str, at: datetime = AT, activity: str = "block-1", level: int = 3):
    return evidence_for_completion(
        learner_id=learner,
        skill_levels={"2.A.1.a": level, "2.A.1.b": None},
        source=EvidenceSource.COMPLETED_ACTIVITY,
        recorded_at=at,
        activity_id=activity,
    )


def test_the_same_evidence_under_two_identities_is_kept_once() -> None:
    moodle, edx = _records("learner-moodle"), _records("learner-edx")
    assert {r.id for r in moodle}.isdisjoint(r.id for r in edx)  # different ids: different identities
    merged = merge_evidence([*moodle, *edx])
    assert merged == list(moodle)  # the first copy wins, order kept


def test_the_same_instant_in_another_zone_is_the_same_evidence() -> None:
    other_zone = AT.astimezone(timezone(timedelta(hours=5)))
    assert [evidence_key(r) for r in _records("a")] == [evidence_key(r) for r in _records("b", at=other_zone)]


def test_different_evidence_is_all_kept() -> None:
    base = _records("a")
    others = [
        *_records("b", at=AT + timedelta(seconds=1)),
        *_records("b", activity="block-2"),
        *_records("b", level=4),
    ]
    merged = merge_evidence([*base, *others])
    assert len(merged) == len(base) + 5  # the level-less record of the level-4 copy is the same as base's
