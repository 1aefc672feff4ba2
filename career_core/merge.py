"""One person's evidence from several identities, each piece counted once.

A record's id names the learner identity that made it, so the same piece of evidence reaching the toolkit
under two linked identities (an xAPI statement forwarded from both platforms, say) has two ids. What makes
it the same evidence is everything else: the skill, the level, the source, the instant and the activity.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC

from career_core.evidence import EvidenceRecord


def evidence_key(record: EvidenceRecord) -> str:
    """The dedupe key: the record without the identity that recorded it (sha256, hex)."""
    parts = (
        record.skill_code,
        "" if record.level is None else str(record.level),
        record.source.value,
        record.recorded_at.astimezone(UTC).isoformat(),
        record.activity_id or "",
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def merge_evidence(records: Iterable[EvidenceRecord]) -> list[EvidenceRecord]:
    """The records in the order given, without later copies of the same evidence (by :func:`evidence_key`)."""
    seen: set[str] = set()
    merged = []
    for record in records:
        key = evidence_key(record)
        if key not in seen:
            seen.add(key)
            merged.append(record)
    return merged
