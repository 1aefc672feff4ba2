"""career_core's evidence rules: when a sitting, a goal, a reflection or a verification becomes evidence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from career_core.errors import ValidationError
from career_core.evidence import EvidenceLedger, EvidenceSource, evidence_for_completion
from career_core.evidence_rules import (
    goal_evidence,
    reflection_evidence,
    sitting_evidence,
    verification_evidence,
)
from career_core.plans import DevelopmentPlan, Goal

T0 = datetime(2026, 11, 30, 9, tzinfo=UTC)


def sit(ledger: EvidenceLedger, ratings: dict[str, int], at: datetime) -> EvidenceLedger:
    return ledger.extend(
        sitting_evidence(learner_id="l", ratings=ratings, ledger=ledger, recorded_at=at, activity_id="sa")
    )


def test_a_sitting_records_new_and_changed_levels_only() -> None:
    ledger = sit(EvidenceLedger(), {"A": 3, "B": 2}, T0)
    ledger = sit(ledger, {"A": 3, "B": 4, "C": 1}, T0 + timedelta(hours=1))
    ledger = sit(ledger, {"B": 2}, T0 + timedelta(hours=2))  # lower is a change too
    assert [(r.skill_code, r.level) for r in ledger] == [("A", 3), ("B", 2), ("B", 4), ("C", 1), ("B", 2)]
    assert all(r.source is EvidenceSource.SELF_ASSESSMENT for r in ledger)


def test_a_sitting_compares_with_self_assessments_not_other_evidence() -> None:
    verified = evidence_for_completion(
        learner_id="l",
        skill_levels={"A": 4},
        source=EvidenceSource.MANAGER_VERIFICATION,
        recorded_at=T0,
        activity_id="check-in",
    )
    ledger = EvidenceLedger(verified)
    assert [
        r.level
        for r in sitting_evidence(
            learner_id="l", ratings={"A": 4}, ledger=ledger, recorded_at=T0 + timedelta(1), activity_id="sa"
        )
    ] == [4]


def plan(*achieved: str) -> DevelopmentPlan:
    goals = (
        Goal(id="g1", title="one", skill_code="A", target_level=4, achieved="g1" in achieved),
        Goal(id="g2", title="two", skill_code=None, achieved="g2" in achieved),
        Goal(id="g3", title="three", skill_code="B", target_level=2, achieved="g3" in achieved),
    )
    return DevelopmentPlan(owner="l", goals=goals)


def test_a_goal_is_evidence_once_when_it_turns_achieved() -> None:
    def records(before: DevelopmentPlan | None, after: DevelopmentPlan) -> list[tuple[str, int | None]]:
        made = goal_evidence(learner_id="l", before=before, after=after, recorded_at=T0, activity_id="p")
        assert all(r.source is EvidenceSource.COMPLETED_ACTIVITY for r in made)
        return [(r.skill_code, r.level) for r in made]

    assert records(None, plan()) == []
    assert records(None, plan("g1")) == [("A", 4)]
    assert records(plan("g1"), plan("g1")) == []  # saved again: nothing new
    assert records(plan("g1"), plan("g1", "g2", "g3")) == [("B", 2)]  # g2 names no skill


def test_a_reflection_is_never_skill_evidence() -> None:
    assert reflection_evidence(was_complete=False, is_complete=True) == ()


def test_a_verification_needs_someone_else() -> None:
    (record,) = verification_evidence(
        learner_id="l", verifier_id="m", skill_code="A", level=4, recorded_at=T0, activity_id="c"
    )
    assert (record.source, record.level) == (EvidenceSource.MANAGER_VERIFICATION, 4)
    with pytest.raises(ValidationError):
        verification_evidence(learner_id="l", verifier_id="l", skill_code="A", level=4, recorded_at=T0, activity_id="c")
