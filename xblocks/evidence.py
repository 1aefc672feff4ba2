"""Skill evidence a block keeps in the learner's state, its export as xAPI, and its delivery to the toolkit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from xblock.core import XBlock, XBlockMixin
from xblock.fields import List, Scope, String

from career_core.errors import ValidationError
from career_core.evidence import EvidenceLedger, EvidenceRecord, EvidenceSource
from career_core.xapi import XAPI_VERSION, statement_for_evidence
from xblocks.common import now, onet
from xblocks.lrs import BATCH, LrsSettings, post_statements, settings_from_bucket

# Used only when the deployment sets no XBLOCK_SETTINGS bucket with "xapi_home_page": the
# reserved .invalid domain makes the IRIs valid without pretending to be anybody's namespace.
DEFAULT_XAPI_HOME_PAGE = "https://career-toolkit.invalid"
XAPI_PLATFORM = "Open edX"
SETTINGS_BUCKET = "CareerToolkit"
# After a failed delivery, later interactions wait this long before trying again, so a learner on a page of a
# down toolkit waits for at most one short time-out a minute; the deliver_evidence handler always tries.
RETRY_DELAY = timedelta(seconds=60)


@XBlock.wants("user", "settings")
class EvidenceMixin(XBlockMixin):
    """Keeps the learner's evidence records (as dicts), answers ``export_evidence`` with xAPI, and sends the
    records to the Career Toolkit as xAPI statements when the deployment configured it.

    Subclasses call ``add_evidence`` with the records a career_core evidence rule produced. A record is
    delivered until the toolkit acknowledged its statement; statement ids derive from record ids, so a resend
    after a lost answer is recognised by the toolkit as the same statement.
    """

    # Open edX's settings service reads XBLOCK_SETTINGS[block_settings_key]: one bucket for all four blocks.
    block_settings_key = SETTINGS_BUCKET

    evidence = List(
        help="Skill evidence records this learner earned here, oldest first (append-only).",
        default=[],
        scope=Scope.user_state,
    )
    xapi_delivered = List(
        help="Ids of this learner's evidence records whose statements the Career Toolkit acknowledged.",
        default=[],
        scope=Scope.user_state,
    )
    xapi_retry_after = String(
        help="When (ISO 8601, UTC) to try delivering again after a failed attempt; empty when none failed.",
        default="",
        scope=Scope.user_state,
    )
    xapi_last_error = String(
        help="What the Career Toolkit (or the network) answered to the last failed delivery.",
        default="",
        scope=Scope.user_state,
    )

    def learner_id(self) -> str:
        """The learner as Open edX's LTI 1.3 launches name them (the ``sub``), so the toolkit sees one person.

        Open edX's LTI consumer sends ``get_external_user_id("lti")`` as ``sub``; outside Open edX (or when that
        id type is missing) the runtime's anonymous user id, else its user id.
        """
        service = self.runtime.service(self, "user")
        if service is not None:
            try:
                external = service.get_external_user_id("lti")
            except Exception:  # no such service method or id type here: fall back, never fail a handler
                external = None
            if external:
                return str(external)
        user = service.get_current_user() if service is not None else None
        attrs = getattr(user, "opt_attrs", None) or {}
        anonymous = attrs.get("edx-platform.anonymous_user_id")
        return str(anonymous or self.scope_ids.user_id or "anonymous")

    def evidence_ledger(self) -> EvidenceLedger:
        return EvidenceLedger(tuple(record_from_dict(item) for item in self.evidence))

    def add_evidence(self, records: Iterable[EvidenceRecord]) -> tuple[EvidenceRecord, ...]:
        """Append the records not yet in the ledger and try to deliver what is pending; returns the new ones."""
        ledger = self.evidence_ledger()
        new = tuple(record for record in records if record.id not in ledger)
        if new:
            self.evidence = [record_to_dict(record) for record in ledger.extend(new)]
        self.deliver_pending()
        return new

    def lrs_settings(self) -> LrsSettings | None:
        return settings_from_bucket(self._settings_bucket())

    def _settings_bucket(self) -> Mapping[str, Any] | None:
        service = self.runtime.service(self, "settings")
        bucket = service.get_settings_bucket(self) if service is not None else None
        return bucket if isinstance(bucket, Mapping) else None

    def xapi_home_page(self) -> str:
        """The namespace of the toolkit's xAPI vocabulary: set explicitly, else the toolkit the block sends to."""
        bucket = self._settings_bucket() or {}
        home_page = bucket.get("xapi_home_page")
        if isinstance(home_page, str) and home_page:
            return home_page
        lrs = self.lrs_settings()
        return lrs.toolkit_base if lrs is not None else DEFAULT_XAPI_HOME_PAGE

    def pending_records(self) -> list[EvidenceRecord]:
        delivered = set(self.xapi_delivered)
        return [record for record in self.evidence_ledger() if record.id not in delivered]

    def deliver_pending(self, *, force: bool = False) -> dict[str, Any]:
        """Send pending records' statements; after a failure, wait before trying again unless ``force``."""
        lrs = self.lrs_settings()
        pending = self.pending_records()
        if lrs is None or not pending:
            return self.delivery_status()
        if not force and now() < self._retry_after():
            return self.delivery_status()
        account = (lrs.platform_issuer, self.learner_id())
        for start in range(0, len(pending), BATCH):
            statements: dict[str, EvidenceRecord] = {}
            sent = []
            for record in pending[start : start + BATCH]:
                try:
                    statement = self.xapi_statement(record, account=account)
                except ValidationError as error:
                    # A record no statement can carry (an id that looks like an address) is never sent.
                    self.xapi_last_error = f"not sent: {error}"[:500]
                    self.xapi_delivered = [*self.xapi_delivered, record.id]
                    continue
                statements[statement["id"]] = record
                sent.append(statement)
            if not sent:
                continue
            delivery = post_statements(lrs, sent)
            if delivery.retry:
                self.xapi_last_error = f"{delivery.status or 'unreachable'}: {delivery.error}"[:500]
                self.xapi_retry_after = (now() + RETRY_DELAY).isoformat()
                return self.delivery_status()
            if delivery.status >= 400:
                # Refused as invalid or conflicting: sending the same statements again cannot succeed.
                self.xapi_last_error = f"{delivery.status}: {delivery.error}"[:500]
                accepted = list(statements)
            else:
                accepted = [sid for sid in delivery.accepted if sid in statements]
                self.xapi_last_error = ""
            self.xapi_delivered = [*self.xapi_delivered, *(statements[sid].id for sid in accepted)]
        self.xapi_retry_after = ""
        return self.delivery_status()

    def _retry_after(self) -> datetime:
        try:
            return datetime.fromisoformat(self.xapi_retry_after)
        except ValueError:  # none set (or unreadable): no reason to wait
            return datetime.min.replace(tzinfo=UTC)

    def delivery_status(self) -> dict[str, Any]:
        return {
            "configured": self.lrs_settings() is not None,
            "pending": len(self.pending_records()),
            "delivered": len(self.xapi_delivered),
            "last_error": self.xapi_last_error,
        }

    def xapi_statement(self, record: EvidenceRecord, *, account: tuple[str, str] | None = None) -> dict[str, Any]:
        framework = onet().framework
        skill = framework.get(record.skill_code)
        return statement_for_evidence(
            record,
            home_page=self.xapi_home_page(),
            skill_name=skill.name if skill else record.skill_code,
            activity_name=self.display_name,
            platform=XAPI_PLATFORM,
            framework_name=framework.title,
            account=account,
        )

    def xapi_statements(self) -> list[dict[str, Any]]:
        return [self.xapi_statement(record) for record in self.evidence_ledger()]

    @XBlock.json_handler
    def export_evidence(self, data: Any, suffix: str = "") -> dict[str, Any]:
        """The learner's evidence as xAPI statements, ready to send to a Learning Record Store."""
        return {"version": XAPI_VERSION, "statements": self.xapi_statements()}

    @XBlock.json_handler
    def deliver_evidence(self, data: Any, suffix: str = "") -> dict[str, Any]:
        """Send the learner's undelivered evidence to the Career Toolkit now, without waiting for the retry delay."""
        return self.deliver_pending(force=True)


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
