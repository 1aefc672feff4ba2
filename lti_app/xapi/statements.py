"""Accepting xAPI statements from a source: idempotent by statement id, mapped to the platform's learner,
turned into evidence by career_core's rules, kept whole so they can be read back by id."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from career_core.errors import ValidationError
from career_core.evidence import EvidenceLedger, EvidenceRecord, EvidenceSource, evidence_for_completion
from career_core.evidence_rules import sitting_evidence, verification_evidence
from career_core.xapi import XAPI_VERSION, xapi_timestamp
from career_core.xapi_inbox import EvidenceClaim, InboundStatement, evidence_claim
from lti_app.career.access import learner_id
from lti_app.career.evidence import ledger_of_user, record_evidence_for_user
from lti_app.extensions import db
from lti_app.models.base import utcnow
from lti_app.models.career import SHARED_OWNER, SkillFrameworkRecord, platform_owner_key
from lti_app.models.people import LtiUser
from lti_app.models.platform import Platform
from lti_app.models.xapi import XapiSource, XapiStatementRow
from lti_app.upsert import insert_or_get


class StatementConflict(Exception):
    """A statement id the toolkit already holds, with different content (409)."""


class ForeignLearner(Exception):
    """A statement about a learner of another platform than the source's (403)."""


def store_statements(source: XapiSource, statements: list[InboundStatement], *, home_page: str) -> list[str]:
    """Store the batch and the evidence it gives, all or nothing. Commits. Returns the ids in order.

    A statement already held with the same content is not stored again (a replay, answered with its id).

    :raise ForeignLearner: an actor's ``homePage`` is not the source's platform's issuer.
    :raise StatementConflict: a statement id already held with different content.
    """
    platform = source.platform
    for statement in statements:
        if _same_site(statement.actor.home_page) != _same_site(platform.issuer):
            raise ForeignLearner(
                f"statement {statement.id}: actor.account.homePage must be {platform.issuer!r}, "
                "the issuer of the platform this source sends for"
            )
    # Authentication updated the source's row (last use) in this transaction, so one source's requests commit one
    # after the other and a replay racing its original sees it. Across sources, the unique statement id decides.
    try:
        _store(source, platform, statements, home_page)
        db.session.commit()
    except IntegrityError:
        # Another request stored one of these ids meanwhile: decide again against what it stored.
        db.session.rollback()
        _store(source, platform, statements, home_page)
        db.session.commit()
    return [statement.id for statement in statements]


def _store(source: XapiSource, platform: Platform, statements: list[InboundStatement], home_page: str) -> None:
    held = {
        row.statement_id: row
        for row in db.session.scalars(
            select(XapiStatementRow).where(XapiStatementRow.statement_id.in_([s.id for s in statements]))
        )
    }
    # A batch is usually one learner's backlog: each learner and their ledger are read once per batch.
    users = {
        user.sub: user
        for user in db.session.scalars(
            select(LtiUser).where(
                LtiUser.issuer == platform.issuer, LtiUser.sub.in_({s.actor.name for s in statements})
            )
        )
    }
    ledgers: dict[int, EvidenceLedger] = {}
    frameworks: dict[str | None, int | None] = {}
    for statement in statements:
        existing = held.get(statement.id)
        if existing is not None:
            if existing.digest != statement.digest or existing.platform_id != platform.id:
                raise StatementConflict(f"statement {statement.id}: this id is already used by another statement")
            continue
        user = users.get(statement.actor.name)
        if user is None:
            user = insert_or_get(LtiUser, {"issuer": platform.issuer, "sub": statement.actor.name})
            users[user.sub] = user
        if user.id not in ledgers:
            ledgers[user.id] = ledger_of_user(user)
        stored_at = utcnow()
        claim = evidence_claim(statement, home_page=home_page)
        records, note = _evidence_of(claim, statement, user, ledgers[user.id], stored_at.replace(tzinfo=UTC))
        if records:
            framework = claim.framework_name if claim is not None else None
            if framework not in frameworks:
                frameworks[framework] = _framework_pk(framework, platform)
            record_evidence_for_user(user, records, framework_pk=frameworks[framework])
            ledgers[user.id] = ledgers[user.id].extend(records)
        # Without a timestamp, the statement happened when it was stored (xAPI 1.0.3, 2.4.7).
        timestamp = (
            {} if "timestamp" in statement.data else {"timestamp": xapi_timestamp(stored_at.replace(tzinfo=UTC))}
        )
        row = XapiStatementRow(
            statement_id=statement.id,
            platform_id=platform.id,
            source_id=source.id,
            user_id=user.id,
            verb_id=statement.verb_id,
            digest=statement.digest,
            statement={
                **statement.data,
                **timestamp,
                "stored": xapi_timestamp(stored_at.replace(tzinfo=UTC)),
                "authority": {
                    "objectType": "Agent",
                    "account": {"homePage": home_page, "name": f"xapi-source/{source.name}"},
                },
                "version": XAPI_VERSION,
            },
            stored_at=stored_at,
            outcome="evidence" if claim is not None and not note else "ignored",
            note=note,
            evidence_ids=[record.id for record in records],
        )
        db.session.add(row)
        held[statement.id] = row


def _evidence_of(
    claim: EvidenceClaim | None,
    statement: InboundStatement,
    user: LtiUser,
    ledger: EvidenceLedger,
    stored_at: datetime,
) -> tuple[tuple[EvidenceRecord, ...], str]:
    """The records career_core's rules make of a claim, and why there are none when a claim gives none."""
    if claim is None:
        return (), "not a skill-evidence statement in the toolkit's vocabulary"
    learner = learner_id(user)
    at = statement.timestamp or stored_at
    if claim.source is EvidenceSource.SELF_ASSESSMENT:
        assert claim.level is not None  # evidence_claim refuses a self-assessment without a level
        records = sitting_evidence(
            learner_id=learner,
            ratings={claim.skill_code: claim.level},
            ledger=ledger,
            recorded_at=at,
            activity_id=claim.activity_id,
            activity_url=claim.activity_url,
        )
        return records, "" if records else "the same level as the learner's latest self-assessment"
    if claim.source is EvidenceSource.MANAGER_VERIFICATION:
        verifier = claim.verifier
        if verifier is None or _same_site(verifier.home_page) != _same_site(user.issuer):
            return (), "the verifier is not a person of the learner's platform"
        try:
            return verification_evidence(
                learner_id=learner,
                # The verifier matters here only as "someone other than the learner".
                verifier_id=learner if verifier.name == user.sub else f"account:{verifier.name}",
                skill_code=claim.skill_code,
                level=claim.level,
                recorded_at=at,
                activity_id=claim.activity_id,
                note=claim.note,
            ), ""
        except ValidationError as error:
            return (), "; ".join(error.errors)[:500]
    return evidence_for_completion(
        learner_id=learner,
        skill_levels={claim.skill_code: claim.level},
        source=claim.source,
        recorded_at=at,
        activity_id=claim.activity_id,
        activity_url=claim.activity_url,
        note=claim.note,
    ), ""


def _framework_pk(name: str | None, platform: Platform) -> int | None:
    """The framework a statement names (by title), among those the platform sees."""
    if not name:
        return None
    return db.session.scalars(
        select(SkillFrameworkRecord.id)
        .where(
            SkillFrameworkRecord.title == name,
            or_(
                SkillFrameworkRecord.owner_key == SHARED_OWNER,
                SkillFrameworkRecord.owner_key == platform_owner_key(platform.id),
            ),
        )
        .order_by(SkillFrameworkRecord.id)
    ).first()


def find_statement(source: XapiSource, statement_id: str) -> dict[str, Any] | None:
    """A statement by id, as stored, when it concerns a learner of the source's platform."""
    row = db.session.scalars(
        select(XapiStatementRow).where(
            XapiStatementRow.statement_id == statement_id, XapiStatementRow.platform_id == source.platform_id
        )
    ).first()
    return dict(row.statement) if row is not None else None


def _same_site(url: str) -> str:
    return url.rstrip("/").lower()
