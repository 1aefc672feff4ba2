"""Open Badges 3.0 credentials for skill evidence."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from career_core.badges import (
    IssuerProfile,
    SkillAchievement,
    SkillAlignment,
    achievement_credential,
    credential_problems,
    issuer_id,
)
from career_core.errors import ValidationError
from career_core.evidence import EvidenceRecord, EvidenceSource

AT = datetime(2025, 3, 1, 9, 30, 15, 500000, tzinfo=UTC)
ISSUER = IssuerProfile("https://career.example.edu/issuer", "Example University", "https://example.edu")
ACHIEVEMENT = SkillAchievement(
    id="https://career.example.edu/achievements/DATA",
    name="Data analysis",
    description="Shows data analysis at a working level.",
    criteria_narrative="Complete the self-assessment and a manager verification.",
    alignment=SkillAlignment(
        target_code="DATA",
        target_name="Data analysis",
        target_url="https://case.example.edu/uri/1234",
        target_framework="Digital skills",
    ),
)


def evidence(id: str, level: int | None, source: EvidenceSource, hours: int = 0) -> EvidenceRecord:
    return EvidenceRecord(
        id, "opaque-42", "DATA", level, source, AT + timedelta(hours=hours), "act", "https://lms.example/a"
    )


RECORDS = (
    evidence("e1", 2, EvidenceSource.SELF_ASSESSMENT),
    evidence("e2", 3, EvidenceSource.MANAGER_VERIFICATION, hours=2),
)


def credential() -> dict[str, Any]:
    return achievement_credential(
        ACHIEVEMENT, RECORDS, credential_id="urn:uuid:1b7c", issuer=ISSUER, identity_salt="pepper"
    )


def test_required_credential_fields() -> None:
    vc = credential()
    assert vc["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["id"] == "urn:uuid:1b7c"
    assert vc["name"] == "Data analysis"
    assert vc["issuer"] == {
        "id": "https://career.example.edu/issuer",
        "type": ["Profile"],
        "name": "Example University",
        "url": "https://example.edu",
    }
    assert vc["validFrom"] == "2025-03-01T11:30:15Z"
    assert "proof" not in vc
    json.dumps(vc)


def test_subject_is_a_salted_hash_never_the_raw_id() -> None:
    subject = credential()["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    (identity,) = subject["identifier"]
    expected = "sha256$" + hashlib.sha256(b"opaque-42pepper").hexdigest()
    assert identity == {
        "type": "IdentityObject",
        "identityHash": expected,
        "identityType": "systemId",
        "hashed": True,
        "salt": "pepper",
    }
    assert "opaque-42" not in json.dumps(credential())


def test_achievement_and_alignment() -> None:
    achievement = credential()["credentialSubject"]["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["criteria"] == {"narrative": "Complete the self-assessment and a manager verification."}
    assert achievement["alignment"] == [
        {
            "type": ["Alignment"],
            "targetCode": "DATA",
            "targetName": "Data analysis",
            "targetUrl": "https://case.example.edu/uri/1234",
            "targetType": "CFItem",
            "targetFramework": "Digital skills",
        }
    ]
    (result,) = credential()["credentialSubject"]["result"]
    assert result["value"] == "3"
    assert result["resultDescription"] == achievement["resultDescription"][0]["id"]


def test_evidence_list_has_one_item_per_record() -> None:
    items = credential()["evidence"]
    assert [item["type"] for item in items] == [["Evidence"], ["Evidence"]]
    assert items[0]["name"] == "Self assessment at level 2"
    assert items[1]["narrative"] == "Manager verification on 2025-03-01 at level 3."
    assert items[0]["id"] == "https://lms.example/a"


def test_refuses_mixed_or_missing_evidence_and_empty_salt() -> None:
    stranger = EvidenceRecord("x", "someone-else", "PY", 1, EvidenceSource.IMPORT, AT)
    with pytest.raises(ValidationError) as excinfo:
        achievement_credential(
            ACHIEVEMENT, (*RECORDS, stranger), credential_id="urn:x", issuer=ISSUER, identity_salt=""
        )
    assert excinfo.value.errors == [
        "records: all evidence must concern the same learner",
        "records: all evidence must be for skill 'DATA'",
        "identity_salt: must not be empty",
    ]
    with pytest.raises(ValidationError, match="at least one evidence record"):
        achievement_credential(ACHIEVEMENT, (), credential_id="urn:x", issuer=ISSUER, identity_salt="s")


def test_alignment_target_type_must_be_known_or_extension() -> None:
    SkillAlignment("C", "N", "https://x", target_type="ext:ESCOSkill")
    with pytest.raises(ValidationError, match="'Skill' is not an Open Badges target type"):
        SkillAlignment("C", "N", "https://x", target_type="Skill")


def test_a_built_credential_has_every_field_ob3_requires() -> None:
    assert credential_problems(credential()) == []
    assert issuer_id(credential()) == ISSUER.id
    assert issuer_id({"issuer": "https://issuer.example/"}) == "https://issuer.example/"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"@context": None}, "@context: must be a list starting with"),
        ({"@context": ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]}, "@context: must be a list"),
        ({"@context": ["https://www.w3.org/ns/credentials/v2"]}, "@context: must include the Open Badges 3.0"),
        ({"id": "not a uri"}, "id: must be a URI"),
        ({"type": "OpenBadgeCredential"}, "type: must be a list including 'VerifiableCredential'"),
        ({"type": ["VerifiableCredential"]}, "type: must include 'OpenBadgeCredential'"),
        ({"issuer": {"type": ["Profile"]}}, "issuer.id: must be a URI"),
        ({"issuer": {"id": "https://i.example"}}, "issuer.type: must include 'Profile'"),
        ({"issuer": 42}, "issuer: must be a URI or a Profile"),
        ({"validFrom": "2025-03-01T09:30:15"}, "validFrom: must be a date-time with a time zone"),
        ({"validFrom": "yesterday"}, "validFrom: must be a date-time"),
        ({"validUntil": "soon"}, "validUntil: must be a date-time"),
        ({"credentialSubject": []}, "credentialSubject: must be an object"),
        ({"credentialSubject": {"type": ["AchievementSubject"]}}, "credentialSubject.achievement: must be an object"),
    ],
)
def test_credential_problems_name_the_missing_or_wrong_field(change: dict[str, Any], problem: str) -> None:
    changed = credential() | change
    problems = credential_problems(changed)
    assert any(p.startswith(problem) for p in problems), problems


def test_credential_problems_look_inside_the_achievement() -> None:
    changed = credential()
    changed["credentialSubject"]["achievement"] = {"id": "urn:a", "type": ["Thing"], "name": ""}
    assert credential_problems(changed) == [
        "credentialSubject.achievement.type: must include 'Achievement'",
        "credentialSubject.achievement.name: must not be empty",
        "credentialSubject.achievement.criteria: must be an object",
    ]
