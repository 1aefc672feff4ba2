"""When a learner's action becomes skill evidence: the one rule both front ends (tool and XBlocks) apply.

- A self-assessment sitting adds a record for each rated skill whose level is new or differs from the
  learner's latest self-assessed level for it; a repeated level adds nothing. Course completion plays no
  part: evidence belongs to the person, completion is what a course asked for.
- A development-plan goal adds a record once, when it turns achieved, for its skill at its target level.
- A reflection adds no record: its answers rate no skill and show no level, and a record is per skill.
- A verification adds a record each time someone other than the learner confirms a skill at a level.

See docs/decisions/0014-xapi-evidence-rules.md for why.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from career_core.errors import ValidationError
from career_core.evidence import EvidenceLedger, EvidenceRecord, EvidenceSource, evidence_for_completion
from career_core.plans import DevelopmentPlan


def latest_self_assessed_level(ledger: EvidenceLedger, skill_code: str) -> int | None:
    """The level of the learner's most recent self-assessment record for this skill."""
    for record in reversed(ledger.for_skill(skill_code)):
        if record.source is EvidenceSource.SELF_ASSESSMENT and record.level is not None:
            return record.level
    return None


def sitting_evidence(
    *,
    learner_id: str,
    ratings: Mapping[str, int],
    ledger: EvidenceLedger,
    recorded_at: datetime,
    activity_id: str,
    activity_url: str | None = None,
) -> tuple[EvidenceRecord, ...]:
    """The records one sitting adds: rated skills whose level is new or changed since the last self-assessment."""
    changed = {
        code: int(level) for code, level in ratings.items() if latest_self_assessed_level(ledger, code) != int(level)
    }
    return evidence_for_completion(
        learner_id=learner_id,
        skill_levels=changed,
        source=EvidenceSource.SELF_ASSESSMENT,
        recorded_at=recorded_at,
        activity_id=activity_id,
        activity_url=activity_url,
    )


def goal_evidence(
    *,
    learner_id: str,
    before: DevelopmentPlan | None,
    after: DevelopmentPlan,
    recorded_at: datetime,
    activity_id: str,
    activity_url: str | None = None,
) -> tuple[EvidenceRecord, ...]:
    """The records a plan change adds: goals tied to a skill that are achieved now and were not before."""
    previously = {goal.id for goal in before.goals if goal.achieved} if before is not None else set()
    achieved = {
        goal.skill_code: goal.target_level
        for goal in after.goals
        if goal.achieved and goal.id not in previously and goal.skill_code
    }
    return evidence_for_completion(
        learner_id=learner_id,
        skill_levels=achieved,
        source=EvidenceSource.COMPLETED_ACTIVITY,
        recorded_at=recorded_at,
        activity_id=activity_id,
        activity_url=activity_url,
    )


def reflection_evidence(*, was_complete: bool, is_complete: bool) -> tuple[EvidenceRecord, ...]:
    """No records: a reflection's completion is scored by the course but rates no skill, so it is not evidence."""
    del was_complete, is_complete
    return ()


def verification_evidence(
    *,
    learner_id: str,
    verifier_id: str,
    skill_code: str,
    level: int | None,
    recorded_at: datetime,
    activity_id: str,
    note: str = "",
) -> tuple[EvidenceRecord, ...]:
    """One record for a skill someone else confirmed.

    :raise ValidationError: when the verifier is the learner (nobody verifies their own skill).
    """
    if not verifier_id.strip() or verifier_id == learner_id:
        raise ValidationError("verification: the verifier must be someone other than the learner")
    return evidence_for_completion(
        learner_id=learner_id,
        skill_levels={skill_code: level},
        source=EvidenceSource.MANAGER_VERIFICATION,
        recorded_at=recorded_at,
        activity_id=activity_id,
        note=note,
    )
