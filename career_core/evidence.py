"""Skill evidence: dated records that a learner showed a skill, and the append-only ledger of them.

Evidence is never edited or deleted: a correction is a newer record. That keeps the history
auditable and lets records be exported as xAPI statements or Open Badges without reconciliation.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from career_core._input import is_web_url
from career_core.errors import ValidationError

# Record ids are UUIDv5 under this namespace, so replaying the same completion yields the same ids
# and the ledger refuses the duplicates instead of counting the evidence twice.
EVIDENCE_NAMESPACE = uuid.UUID("6b0f8f5e-6f4b-5c1a-9a51-2f1d4c0e7a10")


class EvidenceSource(StrEnum):
    SELF_ASSESSMENT = "self_assessment"
    COMPLETED_ACTIVITY = "completed_activity"
    MANAGER_VERIFICATION = "manager_verification"
    IMPORT = "import"


@dataclass(frozen=True)
class EvidenceRecord:
    """One piece of evidence for one skill. ``learner_id`` is an opaque id, never an email address."""

    id: str
    learner_id: str
    skill_code: str
    level: int | None
    source: EvidenceSource
    recorded_at: datetime
    activity_id: str | None = None
    activity_url: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        errors = []
        for name in ("id", "learner_id", "skill_code"):
            if not getattr(self, name).strip():
                errors.append(f"evidence.{name}: must not be empty")
        if self.recorded_at.utcoffset() is None:
            # Naive times make "latest" ambiguous across servers and exports.
            errors.append("evidence.recorded_at: must carry a time zone")
        elif self.recorded_at.utcoffset() != timedelta(0):
            object.__setattr__(self, "recorded_at", self.recorded_at.astimezone(UTC))
        if self.activity_url is not None and not is_web_url(self.activity_url):
            errors.append(f"evidence.activity_url: {self.activity_url!r} is not an http(s) address")
        if self.level is not None and self.level < 0:
            errors.append(f"evidence.level: must be 0 or more, not {self.level}")
        if errors:
            raise ValidationError(errors)


@dataclass(frozen=True)
class EvidenceLedger:
    """An immutable, append-only sequence of evidence ordered by ``recorded_at``.

    Records recorded at the same instant keep the order they were appended in. There is no update
    or delete: ``append`` returns a new ledger.
    """

    records: tuple[EvidenceRecord, ...] = ()

    def __post_init__(self) -> None:
        ids = [record.id for record in self.records]
        if len(set(ids)) != len(ids):
            raise ValidationError("evidence: record ids must be unique")
        # sorted() is stable, so same-instant records keep their append order.
        object.__setattr__(self, "records", tuple(sorted(self.records, key=lambda r: r.recorded_at)))

    def __iter__(self) -> Iterator[EvidenceRecord]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def __contains__(self, record_id: object) -> bool:
        return any(record.id == record_id for record in self.records)

    def append(self, record: EvidenceRecord) -> EvidenceLedger:
        """:raise ValidationError: when a record with the same id is already in the ledger."""
        if record.id in self:
            raise ValidationError(f"evidence.id: {record.id!r} is already in the ledger")
        return EvidenceLedger((*self.records, record))

    def extend(self, records: Iterable[EvidenceRecord]) -> EvidenceLedger:
        """Append several records, skipping any already present (replays are expected)."""
        ledger = self
        for record in records:
            if record.id not in ledger:
                ledger = ledger.append(record)
        return ledger

    def for_skill(self, skill_code: str) -> tuple[EvidenceRecord, ...]:
        return tuple(record for record in self.records if record.skill_code == skill_code)

    def for_learner(self, learner_id: str) -> EvidenceLedger:
        return EvidenceLedger(tuple(record for record in self.records if record.learner_id == learner_id))

    def latest_level(self, skill_code: str) -> int | None:
        """The level of the most recent record for this skill that states one."""
        for record in reversed(self.for_skill(skill_code)):
            if record.level is not None:
                return record.level
        return None


def evidence_id(
    learner_id: str, skill_code: str, source: EvidenceSource, recorded_at: datetime, activity_id: str | None
) -> str:
    # The instant in UTC, so the same moment given in another zone yields the same id.
    instant = recorded_at.astimezone(UTC).isoformat()
    name = "\x1f".join((learner_id, skill_code, source.value, instant, activity_id or ""))
    return str(uuid.uuid5(EVIDENCE_NAMESPACE, name))


def evidence_for_completion(
    *,
    learner_id: str,
    skill_levels: Mapping[str, int | None],
    source: EvidenceSource,
    recorded_at: datetime,
    activity_id: str | None = None,
    activity_url: str | None = None,
    note: str = "",
) -> tuple[EvidenceRecord, ...]:
    """The records a completed activity produces: one per skill involved, in skill-code order.

    ``skill_levels`` maps each skill the activity touched to the level shown (or None when the
    activity shows the skill without a level, e.g. a finished plan goal).
    """
    return tuple(
        EvidenceRecord(
            id=evidence_id(learner_id, skill_code, source, recorded_at, activity_id),
            learner_id=learner_id,
            skill_code=skill_code,
            level=level,
            source=source,
            recorded_at=recorded_at,
            activity_id=activity_id,
            activity_url=activity_url,
            note=note,
        )
        for skill_code, level in sorted(skill_levels.items())
    )
