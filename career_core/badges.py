"""Open Badges 3.0 achievement credentials for skill evidence (unsigned; a signer adds the proof).

The learner is identified by a salted SHA-256 hash of their opaque id, so the credential carries no
email address or raw account id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from career_core.errors import ValidationError
from career_core.evidence import EvidenceRecord

CREDENTIAL_CONTEXTS: tuple[str, ...] = (
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
)
CREDENTIAL_TYPES: tuple[str, ...] = ("VerifiableCredential", "OpenBadgeCredential")
# The alignment target types OB 3.0 names; anything else must use the "ext:" prefix.
ALIGNMENT_TARGET_TYPES = frozenset(
    {
        "ceasn:Competency",
        "ceterms:Credential",
        "CFItem",
        "CFRubric",
        "CFRubricCriterion",
        "CFRubricCriterionLevel",
        "CTDL",
    }
)


@dataclass(frozen=True)
class IssuerProfile:
    """The organisation awarding the credential; ``id`` is a URL or DID it controls."""

    id: str
    name: str
    url: str | None = None


@dataclass(frozen=True)
class SkillAlignment:
    """Where the skill sits in its framework, e.g. a CASE ``CFItem`` with its URI."""

    target_code: str
    target_name: str
    target_url: str
    target_framework: str | None = None
    target_type: str = "CFItem"

    def __post_init__(self) -> None:
        if self.target_type not in ALIGNMENT_TARGET_TYPES and not self.target_type.startswith("ext:"):
            raise ValidationError(
                f"alignment.target_type: {self.target_type!r} is not an Open Badges target type "
                "and does not start with 'ext:'"
            )


@dataclass(frozen=True)
class SkillAchievement:
    """The achievement a credential attests: showing one skill, aligned to its framework."""

    id: str
    name: str
    description: str
    criteria_narrative: str
    alignment: SkillAlignment


def hashed_identity(learner_id: str, salt: str) -> str:
    """``sha256$<hex>`` of the id with the salt appended, as OB 3.0 ``IdentityObject`` expects."""
    return "sha256$" + hashlib.sha256((learner_id + salt).encode("utf-8")).hexdigest()


def achievement_credential(
    achievement: SkillAchievement,
    records: Sequence[EvidenceRecord],
    *,
    credential_id: str,
    issuer: IssuerProfile,
    identity_salt: str,
    valid_from: datetime | None = None,
    identity_type: str = "systemId",
) -> dict[str, Any]:
    """An unsigned OB 3.0 ``AchievementCredential`` for one learner's evidence of one skill.

    ``valid_from`` defaults to the time of the latest record. The highest level in the records, if
    any, is stated as the subject's result.

    :raise ValidationError: when there are no records, or they concern several learners or skills,
        or the salt is empty (an unsalted hash of a short id is easy to reverse).
    """
    errors: list[str] = []
    if not records:
        errors.append("records: at least one evidence record is needed")
    if len({record.learner_id for record in records}) > 1:
        errors.append("records: all evidence must concern the same learner")
    if {record.skill_code for record in records} - {achievement.alignment.target_code}:
        errors.append(f"records: all evidence must be for skill {achievement.alignment.target_code!r}")
    if not identity_salt:
        errors.append("identity_salt: must not be empty")
    if errors:
        raise ValidationError(errors)

    learner_id = records[0].learner_id
    levels = [record.level for record in records if record.level is not None]
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": hashed_identity(learner_id, identity_salt),
                "identityType": identity_type,
                "hashed": True,
                "salt": identity_salt,
            }
        ],
        "achievement": _achievement_json(achievement, issuer),
    }
    if levels:
        subject["result"] = [
            {
                "type": ["Result"],
                "resultDescription": _level_description_id(achievement),
                "value": str(max(levels)),
            }
        ]
        subject["achievement"]["resultDescription"] = [
            {
                "id": _level_description_id(achievement),
                "type": ["ResultDescription"],
                "name": "Proficiency level",
                "resultType": "RawScore",
            }
        ]
    issued = valid_from or max(record.recorded_at for record in records)
    return {
        "@context": list(CREDENTIAL_CONTEXTS),
        "id": credential_id,
        "type": list(CREDENTIAL_TYPES),
        "name": achievement.name,
        "issuer": _issuer_json(issuer),
        "validFrom": _utc_seconds(issued),
        "credentialSubject": subject,
        "evidence": [_evidence_json(record) for record in records],
    }


def _issuer_json(issuer: IssuerProfile) -> dict[str, Any]:
    profile: dict[str, Any] = {"id": issuer.id, "type": ["Profile"], "name": issuer.name}
    if issuer.url:
        profile["url"] = issuer.url
    return profile


def _achievement_json(achievement: SkillAchievement, issuer: IssuerProfile) -> dict[str, Any]:
    alignment = achievement.alignment
    aligned: dict[str, Any] = {
        "type": ["Alignment"],
        "targetCode": alignment.target_code,
        "targetName": alignment.target_name,
        "targetUrl": alignment.target_url,
        "targetType": alignment.target_type,
    }
    if alignment.target_framework:
        aligned["targetFramework"] = alignment.target_framework
    return {
        "id": achievement.id,
        "type": ["Achievement"],
        "achievementType": "Competency",
        "name": achievement.name,
        "description": achievement.description,
        "criteria": {"narrative": achievement.criteria_narrative},
        "alignment": [aligned],
        "creator": _issuer_json(issuer),
    }


def _evidence_json(record: EvidenceRecord) -> dict[str, Any]:
    source = record.source.value.replace("_", " ")
    level = f" at level {record.level}" if record.level is not None else ""
    day = record.recorded_at.date().isoformat()
    item: dict[str, Any] = {
        "type": ["Evidence"],
        "name": f"{source.capitalize()}{level}",
        "narrative": record.note or f"{source.capitalize()} on {day}{level}.",
    }
    if record.activity_url:
        item["id"] = record.activity_url
    return item


def _level_description_id(achievement: SkillAchievement) -> str:
    return f"{achievement.id}#proficiency-level"


def _utc_seconds(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


OB3_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/context"


def credential_problems(credential: Mapping[str, Any]) -> list[str]:
    """What an ``OpenBadgeCredential`` lacks of the fields OB 3.0 requires (empty when it has them all).

    Checked: ``@context`` (VC 2.0 first, then an OB 3.0 context), ``id``, ``type``, ``issuer`` (a URI or a
    ``Profile`` with an ``id``), ``validFrom`` (a date-time with a time zone) and ``credentialSubject`` with its
    ``achievement`` (``id``, ``type`` Achievement, ``name``, ``criteria``).
    """
    problems: list[str] = []
    contexts = credential.get("@context")
    if not isinstance(contexts, list) or not contexts or contexts[0] != CREDENTIAL_CONTEXTS[0]:
        problems.append(f"@context: must be a list starting with {CREDENTIAL_CONTEXTS[0]!r}")
    elif not any(isinstance(c, str) and c.startswith(OB3_CONTEXT_PREFIX) for c in contexts):
        problems.append("@context: must include the Open Badges 3.0 context")
    if not _is_uri(credential.get("id")):
        problems.append("id: must be a URI")
    types = credential.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        problems.append("type: must be a list including 'VerifiableCredential'")
    elif not {"OpenBadgeCredential", "AchievementCredential"} & set(types):
        problems.append("type: must include 'OpenBadgeCredential'")
    issuer = credential.get("issuer")
    if isinstance(issuer, dict):
        if not _is_uri(issuer.get("id")):
            problems.append("issuer.id: must be a URI")
        if "Profile" not in (issuer.get("type") or []):
            problems.append("issuer.type: must include 'Profile'")
    elif not _is_uri(issuer):
        problems.append("issuer: must be a URI or a Profile")
    if not _is_aware_datetime(credential.get("validFrom")):
        problems.append("validFrom: must be a date-time with a time zone")
    if "validUntil" in credential and not _is_aware_datetime(credential.get("validUntil")):
        problems.append("validUntil: must be a date-time with a time zone")
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if not isinstance(subject, dict):
        problems.append("credentialSubject: must be an object")
    elif not isinstance(achievement, dict):
        problems.append("credentialSubject.achievement: must be an object")
    else:
        if not _is_uri(achievement.get("id")):
            problems.append("credentialSubject.achievement.id: must be a URI")
        if "Achievement" not in (achievement.get("type") or []):
            problems.append("credentialSubject.achievement.type: must include 'Achievement'")
        if not isinstance(achievement.get("name"), str) or not achievement["name"]:
            problems.append("credentialSubject.achievement.name: must not be empty")
        if not isinstance(achievement.get("criteria"), dict):
            problems.append("credentialSubject.achievement.criteria: must be an object")
    return problems


def issuer_id(credential: Mapping[str, Any]) -> str | None:
    """The issuer's URI, whether ``issuer`` is a URI or a ``Profile``."""
    issuer = credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    return value if isinstance(value, str) else None


def _is_uri(value: object) -> bool:
    return isinstance(value, str) and bool(urlsplit(value).scheme) and not any(c.isspace() for c in value)


def _is_aware_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return moment.utcoffset() is not None
