"""The append-only evidence ledger in the database, and its xAPI and Open Badges 3.0 exports.

Only :func:`record_evidence` writes, and it only inserts: there is no update or delete path (erasing a
learner, ``lti_app.career.erasure``, removes all of that learner's rows and nobody else's). Reads are per
person: every identity the learner linked, each piece of evidence once (``career_core.merge``).
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from career_core.badges import IssuerProfile, SkillAchievement, SkillAlignment, achievement_credential
from career_core.evidence import EvidenceLedger, EvidenceRecord, EvidenceSource
from career_core.merge import evidence_key
from career_core.xapi import XAPI_VERSION, statement_for_evidence
from lti_app.career.access import Subject, own, person_ids
from lti_app.career.paging import FIRST_PAGE, Paging
from lti_app.extensions import db
from lti_app.models.career import EvidenceRecordRow, SkillFrameworkRecord
from lti_app.models.people import LaunchSession, LtiUser

_CREDENTIAL_NAMESPACE = uuid.UUID("5f0e7d1c-3b2a-5c4d-8e9f-a0b1c2d3e4f5")


def record_evidence(
    subject: Subject,
    records: Iterable[EvidenceRecord],
    *,
    resource_link_pk: int | None,
    framework_pk: int | None,
) -> list[EvidenceRecordRow]:
    """Add (not commit) rows for records not yet in the ledger; replays of the same evidence add nothing."""
    records = list(records)
    ids = [record.id for record in records]
    known = set(db.session.scalars(select(EvidenceRecordRow.evidence_id).where(EvidenceRecordRow.evidence_id.in_(ids))))
    rows = []
    for record in records:
        if record.id in known:
            continue
        known.add(record.id)
        rows.append(
            EvidenceRecordRow(
                evidence_id=record.id,
                user_id=subject.user_id,
                context_pk=subject.context_pk,
                resource_link_pk=resource_link_pk,
                framework_pk=framework_pk,
                learner_id=record.learner_id,
                skill_code=record.skill_code,
                level=record.level,
                source=record.source.value,
                recorded_at=record.recorded_at,
                activity_id=record.activity_id,
                activity_url=record.activity_url,
                note=record.note,
            )
        )
    db.session.add_all(rows)
    return rows


def record_evidence_for_user(
    user: LtiUser,
    records: Iterable[EvidenceRecord],
    *,
    context_pk: int | None = None,
    resource_link_pk: int | None = None,
    framework_pk: int | None = None,
) -> list[EvidenceRecordRow]:
    """Add (not commit) a learner's records not yet in the ledger, in a course or (``context_pk`` None) from
    outside any, as evidence arriving over xAPI is. Replays of the same evidence add nothing."""
    return record_evidence(
        Subject(user, context_pk), records, resource_link_pk=resource_link_pk, framework_pk=framework_pk
    )


def ledger_of_user(user: LtiUser) -> EvidenceLedger:
    """The person's whole ledger (every linked identity, course and source): what the evidence rules compare
    a new action with."""
    return EvidenceLedger(tuple(_domain(row) for row in _rows(Subject(user, None, owner_ids=person_ids(user)))))


def _rows(subject: Subject) -> list[EvidenceRecordRow]:
    """The evidence the subject's reader may see, oldest first, each piece once across linked identities."""
    rows = db.session.scalars(
        select(EvidenceRecordRow)
        .where(subject.where(EvidenceRecordRow, "evidence"))
        .order_by(EvidenceRecordRow.recorded_at, EvidenceRecordRow.id)
    )
    seen: set[str] = set()
    kept = []
    for row in rows:
        key = evidence_key(_domain(row))
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


def _domain(row: EvidenceRecordRow) -> EvidenceRecord:
    return EvidenceRecord(
        id=row.evidence_id,
        learner_id=row.learner_id,
        skill_code=row.skill_code,
        level=row.level,
        source=EvidenceSource(row.source),
        recorded_at=_aware(row.recorded_at),
        activity_id=row.activity_id,
        activity_url=row.activity_url,
        note=row.note,
    )


domain_record = _domain


def _aware(moment: datetime) -> datetime:
    """Stored times are UTC; older rows (and SQLite) hand them back naive."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _skill_name(framework: SkillFrameworkRecord | None, code: str) -> str:
    if framework is not None:
        for skill in framework.skills:
            if skill["code"] == code:
                return str(skill["name"])
    return code


def _evidence_json(row: EvidenceRecordRow) -> dict[str, Any]:
    return {
        "id": row.evidence_id,
        "skill_code": row.skill_code,
        "skill_name": _skill_name(row.framework, row.skill_code),
        "framework": row.framework.identifier if row.framework else None,
        "level": row.level,
        "source": row.source,
        "recorded_at": _aware(row.recorded_at),
        "activity_id": row.activity_id,
        "activity_url": row.activity_url,
        "note": row.note,
    }


def evidence_page(subject: Subject, paging: Paging = FIRST_PAGE) -> dict[str, Any]:
    """One page of the evidence the subject's reader may see, oldest first, with the paging envelope.

    Paged in SQL, so a long record is never loaded whole; a piece recorded for two linked identities is shown
    once within a page (``total`` counts stored records, so it can count such a piece twice).
    """
    where = subject.where(EvidenceRecordRow, "evidence")
    total = db.session.scalar(select(func.count()).select_from(EvidenceRecordRow).where(where)) or 0
    rows = db.session.scalars(
        select(EvidenceRecordRow)
        .options(joinedload(EvidenceRecordRow.framework))
        .where(where)
        .order_by(EvidenceRecordRow.recorded_at, EvidenceRecordRow.id)
        .offset(paging.offset)
        .limit(paging.per_page)
    )
    seen: set[str] = set()
    items = []
    for row in rows:
        key = evidence_key(_domain(row))
        if key not in seen:
            seen.add(key)
            items.append(_evidence_json(row))
    return {"evidence": items, **paging.envelope(total)}


def attribution_of(subject: Subject) -> dict[str, str | None]:
    """The attribution owed for the frameworks the subject's evidence names (O*NET skill names need it); reads
    the frameworks named, not the evidence."""
    named = select(EvidenceRecordRow.framework_pk).where(subject.where(EvidenceRecordRow, "evidence")).distinct()
    frameworks = list(db.session.scalars(select(SkillFrameworkRecord).where(SkillFrameworkRecord.id.in_(named))))
    texts = sorted({f.attribution for f in frameworks if f.attribution})
    licenses = sorted({f.license_url for f in frameworks if f.license_url})
    return {"attribution": " ".join(texts) or None, "license_url": licenses[0] if len(licenses) == 1 else None}


def evidence_with_attribution(subject: Subject, paging: Paging = FIRST_PAGE) -> dict[str, Any]:
    return {**evidence_page(subject, paging), **attribution_of(subject)}


def xapi_statements(subject: Subject, *, home_page: str, platform: str | None = None) -> list[dict[str, Any]]:
    """One xAPI statement per evidence record, the learner named only by their opaque id."""
    return [
        statement_for_evidence(
            _domain(row),
            home_page=home_page,
            skill_name=_skill_name(row.framework, row.skill_code),
            platform=platform,
            framework_name=row.framework.title if row.framework else None,
        )
        for row in _rows(subject)
    ]


def badge_credentials(subject: Subject, *, base_url: str, issuer_name: str, secret: str) -> list[dict[str, Any]]:
    """One unsigned Open Badges 3.0 credential per (framework, skill) the subject has evidence for."""
    grouped: dict[tuple[int | None, str], list[EvidenceRecordRow]] = {}
    for row in _rows(subject):
        grouped.setdefault((row.framework_pk, row.skill_code), []).append(row)
    issuer = IssuerProfile(id=base_url, name=issuer_name, url=base_url)
    # A per-learner salt that is stable (the same credential twice) but not guessable from the learner id.
    salt = hmac.new(secret.encode(), subject.learner_id.encode(), hashlib.sha256).hexdigest()[:16]
    credentials = []
    for (_, code), rows in grouped.items():
        framework = rows[0].framework
        skill_name = _skill_name(framework, code)
        framework_id = framework.identifier if framework else "unknown"
        target_url = f"{base_url}/api/v1/frameworks/{quote(framework_id, safe='')}?format=case#{quote(code, safe='')}"
        achievement = SkillAchievement(
            id=f"{base_url}/api/v1/achievements/{quote(framework_id, safe='')}/{quote(code, safe='')}",
            name=skill_name,
            description=f"Showed the skill {skill_name}.",
            criteria_narrative="Evidence recorded in Career Toolkit: self-assessments and completed activities.",
            alignment=SkillAlignment(
                target_code=code,
                target_name=skill_name,
                target_url=target_url,
                target_framework=framework.title if framework else None,
            ),
        )
        credential_id = "urn:uuid:" + str(
            uuid.uuid5(_CREDENTIAL_NAMESPACE, f"{subject.learner_id}:{framework_id}:{code}")
        )
        credentials.append(
            achievement_credential(
                achievement,
                [_domain(row) for row in rows],
                credential_id=credential_id,
                issuer=issuer,
                identity_salt=salt,
            )
        )
    return credentials


def my_evidence(session: LaunchSession, paging: Paging = FIRST_PAGE) -> dict[str, Any]:
    """A page of the caller's evidence from every course and linked platform, oldest first, with the attribution
    its skill names need."""
    return evidence_with_attribution(own(session), paging)


def my_xapi_statements(session: LaunchSession) -> dict[str, Any]:
    """The caller's evidence as xAPI statements, with the version header value an LRS expects."""
    base_url = current_app.config["BASE_URL"]
    return {
        "version": XAPI_VERSION,
        "statements": xapi_statements(own(session), home_page=base_url, platform=session.platform.name),
        **attribution_of(own(session)),
    }


def my_badges(session: LaunchSession) -> dict[str, Any]:
    """The caller's evidence as unsigned Open Badges 3.0 credentials, one per skill."""
    return {
        "credentials": badge_credentials(
            own(session),
            base_url=current_app.config["BASE_URL"],
            issuer_name="Career Toolkit",
            secret=current_app.config["SECRET_KEY"],
        ),
        **attribution_of(own(session)),
    }
