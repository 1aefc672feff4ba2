"""xAPI statements built from evidence records."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from career_core.errors import ValidationError
from career_core.evidence import EvidenceRecord, EvidenceSource
from career_core.xapi import statement_for_evidence

HOME = "https://career.example.edu/"
AT = datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


def make(source: EvidenceSource, *, level: int | None = 3, url: str | None = None) -> EvidenceRecord:
    return EvidenceRecord("ev-1", "opaque-42", "DATA/ANALYSIS", level, source, AT, "act-1", url, "")


def assert_valid_statement(statement: dict[str, Any]) -> None:
    """The xAPI 1.0.3 requirements this tool relies on."""
    uuid.UUID(statement["id"])
    actor = statement["actor"]
    assert actor["objectType"] == "Agent"
    assert set(actor) == {"objectType", "account"}  # no mbox, no name: nothing identifying
    assert set(actor["account"]) == {"homePage", "name"}
    verb = statement["verb"]
    assert re.match(r"^https?://", verb["id"])
    assert verb["display"]["en-US"]
    obj = statement["object"]
    assert obj["objectType"] == "Activity"
    assert re.match(r"^https?://", obj["id"])
    assert obj["definition"]["name"]["en-US"]
    for key in statement["result"].get("extensions", {}):
        assert re.match(r"^https?://", key)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", statement["timestamp"])
    json.dumps(statement)


def test_self_assessment_statement() -> None:
    statement = statement_for_evidence(make(EvidenceSource.SELF_ASSESSMENT), home_page=HOME, skill_name="Analysis")
    assert_valid_statement(statement)
    assert statement["actor"]["account"] == {"homePage": "https://career.example.edu", "name": "opaque-42"}
    assert statement["verb"] == {
        "id": "https://career.example.edu/xapi/verbs/self-assessed",
        "display": {"en-US": "self-assessed"},
    }
    assert statement["object"]["id"] == "https://career.example.edu/xapi/skills/DATA%2FANALYSIS"
    assert statement["result"]["extensions"]["https://career.example.edu/xapi/extensions/skill-level"] == 3
    assert "completion" not in statement["result"]
    assert statement["timestamp"] == "2025-03-01T09:30:15.123Z"
    assert "contextActivities" not in statement["context"]


def test_completed_activity_statement_puts_the_skill_in_context() -> None:
    record = make(EvidenceSource.COMPLETED_ACTIVITY, level=None, url="https://lms.example/plan/7")
    statement = statement_for_evidence(
        record, home_page=HOME, skill_name="Analysis", activity_name="My plan", platform="Open edX"
    )
    assert_valid_statement(statement)
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert statement["object"]["id"] == "https://lms.example/plan/7"
    assert statement["object"]["definition"]["name"] == {"en-US": "My plan"}
    assert statement["result"]["completion"] is True
    assert "https://career.example.edu/xapi/extensions/skill-level" not in statement["result"]["extensions"]
    (skill,) = statement["context"]["contextActivities"]["other"]
    assert skill["id"] == "https://career.example.edu/xapi/skills/DATA%2FANALYSIS"
    assert statement["context"]["platform"] == "Open edX"


def test_import_is_experienced_and_ids_are_stable() -> None:
    first = statement_for_evidence(make(EvidenceSource.IMPORT), home_page=HOME, skill_name="Analysis")
    again = statement_for_evidence(make(EvidenceSource.IMPORT), home_page=HOME, skill_name="Analysis")
    assert first["verb"]["id"] == "http://adlnet.gov/expapi/verbs/experienced"
    assert first["id"] == again["id"]
    verified = statement_for_evidence(make(EvidenceSource.MANAGER_VERIFICATION), home_page=HOME, skill_name="Analysis")
    assert_valid_statement(verified)
    assert verified["verb"]["display"] == {"en-US": "verified"}


def test_an_email_address_as_learner_id_is_refused() -> None:
    record = EvidenceRecord("ev", "ada@example.org", "DATA", 2, EvidenceSource.IMPORT, AT)
    with pytest.raises(ValidationError, match="looks like an email address"):
        statement_for_evidence(record, home_page=HOME, skill_name="Analysis")
