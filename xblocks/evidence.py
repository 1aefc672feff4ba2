"""Skill evidence a block keeps in the learner's state, and its export as xAPI statements."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from xblock.core import XBlock, XBlockMixin
from xblock.fields import List, Scope

from career_core.evidence import EvidenceLedger, EvidenceRecord, EvidenceSource, evidence_for_completion
from career_core.xapi import XAPI_VERSION, statement_for_evidence
from xblocks.common import now, onet

# Used only when the deployment sets no XBLOCK_SETTINGS bucket with "xapi_home_page": the
# reserved .invalid domain makes the IRIs valid without pretending to be anybody's namespace.
DEFAULT_XAPI_HOME_PAGE = "https://career-toolkit.invalid"
XAPI_PLATFORM = "Open edX"
SETTINGS_BUCKET = "CareerToolkit"


@XBlock.wants("user", "settings")
class EvidenceMixin(XBlockMixin):
    """Keeps the learner's evidence records (as dicts) and answers ``export_evidence`` with xAPI.

    Subclasses call ``record_evidence`` when the learner completes something that shows skills.
    """

    # Open edX's settings service reads XBLOCK_SETTINGS[block_settings_key]: one bucket for all four blocks.
    block_settings_key = SETTINGS_BUCKET

    evidence = List(
        help="Skill evidence records this learner earned here, oldest first (append-only).",
        default=[],
        scope=Scope.user_state,
    )

    def learner_id(self) -> str:
        """An opaque id for the learner: Open edX's anonymous user id when the runtime has one."""
        service = self.runtime.service(self, "user")
        user = service.get_current_user() if service is not None else None
        attrs = getattr(user, "opt_attrs", None) or {}
        anonymous = attrs.get("edx-platform.anonymous_user_id")
        return str(anonymous or self.scope_ids.user_id or "anonymous")

    def evidence_ledger(self) -> EvidenceLedger:
        return EvidenceLedger(tuple(record_from_dict(item) for item in self.evidence))

    def record_evidence(
        self,
        skill_levels: Mapping[str, int | None],
        source: EvidenceSource,
        *,
        note: str = "",
        recorded_at: datetime | None = None,
    ) -> tuple[EvidenceRecord, ...]:
        records = evidence_for_completion(
            learner_id=self.learner_id(),
            skill_levels=skill_levels,
            source=source,
            recorded_at=recorded_at or now(),
            activity_id=str(self.scope_ids.usage_id),
            note=note,
        )
        ledger = self.evidence_ledger().extend(records)
        self.evidence = [record_to_dict(record) for record in ledger]
        return records

    def xapi_home_page(self) -> str:
        service = self.runtime.service(self, "settings")
        bucket = service.get_settings_bucket(self) if service is not None else None
        home_page = bucket.get("xapi_home_page") if isinstance(bucket, Mapping) else None
        return home_page if isinstance(home_page, str) and home_page else DEFAULT_XAPI_HOME_PAGE

    def xapi_statements(self) -> list[dict[str, Any]]:
        framework = onet().framework
        home_page = self.xapi_home_page()
        statements = []
        for record in self.evidence_ledger():
            skill = framework.get(record.skill_code)
            statements.append(
                statement_for_evidence(
                    record,
                    home_page=home_page,
                    skill_name=skill.name if skill else record.skill_code,
                    activity_name=self.display_name,
                    platform=XAPI_PLATFORM,
                    framework_name=framework.title,
                )
            )
        return statements

    @XBlock.json_handler
    def export_evidence(self, data: Any, suffix: str = "") -> dict[str, Any]:
        """The learner's evidence as xAPI statements, ready to send to a Learning Record Store."""
        return {"version": XAPI_VERSION, "statements": self.xapi_statements()}


def record_to_dict(record: EvidenceRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "learner_id": record.learner_id,
        "skill_code": record.skill_code,
        "level": record.level,
        "source": record.source.value,
        "recorded_at": record.recorded_at.isoformat(),
        "activity_id": record.activity_id,
        "activity_url": record.activity_url,
        "note": record.note,
    }


def record_from_dict(data: Mapping[str, Any]) -> EvidenceRecord:
    return EvidenceRecord(
        id=data["id"],
        learner_id=data["learner_id"],
        skill_code=data["skill_code"],
        level=data["level"],
        source=EvidenceSource(data["source"]),
        recorded_at=datetime.fromisoformat(data["recorded_at"]),
        activity_id=data.get("activity_id"),
        activity_url=data.get("activity_url"),
        note=data.get("note", ""),
    )
