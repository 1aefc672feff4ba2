"""xAPI 1.0.3 statements for skill evidence, for sending to a Learning Record Store.

The learner appears only as an account on the tool (``homePage`` + opaque id), never by email.
Verbs and extensions this tool coins live under the deployment's own ``home_page``, a namespace the
deployer controls; standard ADL verbs are used where one fits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from career_core.errors import ValidationError
from career_core.evidence import EvidenceRecord, EvidenceSource

# Sent as the X-Experience-API-Version header; the statement itself leaves "version" to the LRS,
# as the specification recommends.
XAPI_VERSION = "1.0.3"
# Statement ids derive from evidence ids, so resending a record is idempotent at the LRS.
STATEMENT_NAMESPACE = uuid.UUID("0d6c3b8e-2a8f-5e57-8f3c-6c1d9b7a4e21")
ASSESSMENT_ACTIVITY_TYPE = "http://adlnet.gov/expapi/activities/assessment"
MODULE_ACTIVITY_TYPE = "http://adlnet.gov/expapi/activities/module"
# ADL's "objective" is the standard activity type closest to a skill in a framework.
SKILL_ACTIVITY_TYPE = "http://adlnet.gov/expapi/activities/objective"


@dataclass(frozen=True)
class Verb:
    id: str
    display: str


COMPLETED = Verb("http://adlnet.gov/expapi/verbs/completed", "completed")
EXPERIENCED = Verb("http://adlnet.gov/expapi/verbs/experienced", "experienced")
LANGUAGE = "en-US"


def verb_for(source: EvidenceSource, home_page: str) -> Verb:
    """The verb for a kind of evidence; self-assessment and verification have no ADL verb."""
    if source is EvidenceSource.COMPLETED_ACTIVITY:
        return COMPLETED
    if source is EvidenceSource.IMPORT:
        return EXPERIENCED
    if source is EvidenceSource.SELF_ASSESSMENT:
        return Verb(f"{_base(home_page)}/xapi/verbs/self-assessed", "self-assessed")
    return Verb(f"{_base(home_page)}/xapi/verbs/verified", "verified")


def skill_activity_id(home_page: str, skill_code: str) -> str:
    return f"{_base(home_page)}/xapi/skills/{quote(skill_code, safe='')}"


def extension_iri(home_page: str, name: str) -> str:
    return f"{_base(home_page)}/xapi/extensions/{name}"


def statement_for_evidence(
    record: EvidenceRecord,
    *,
    home_page: str,
    skill_name: str,
    activity_name: str | None = None,
    platform: str | None = None,
    framework_name: str | None = None,
    account: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """An xAPI statement saying the learner showed ``record.skill_code`` (at ``record.level``).

    ``account`` (homePage, name) names the learner as their platform knows them, when the statement goes to
    a toolkit that maps it to that platform's learner; by default the learner is ``record.learner_id`` on
    ``home_page``.

    The object is the activity that produced the evidence when it has a URL, otherwise the skill
    itself; the skill is always in the context so an LRS can query by skill.

    :raise ValidationError: when the learner id looks like an email address.
    """
    if "@" in record.learner_id:
        # The account name is visible to anyone who can read the LRS; an address must never get there.
        raise ValidationError("evidence.learner_id: looks like an email address; use an opaque id")
    verb = verb_for(record.source, home_page)
    skill = {
        "objectType": "Activity",
        "id": skill_activity_id(home_page, record.skill_code),
        "definition": {
            "name": {LANGUAGE: skill_name},
            "type": SKILL_ACTIVITY_TYPE,
        },
    }
    if record.activity_url is not None:
        activity_object: dict[str, Any] = {
            "objectType": "Activity",
            "id": record.activity_url,
            "definition": {
                "name": {LANGUAGE: activity_name or skill_name},
                "type": ASSESSMENT_ACTIVITY_TYPE
                if record.source is EvidenceSource.SELF_ASSESSMENT
                else MODULE_ACTIVITY_TYPE,
            },
        }
    else:
        activity_object = skill
    extensions: dict[str, Any] = {
        extension_iri(home_page, "skill-code"): record.skill_code,
        extension_iri(home_page, "evidence-source"): record.source.value,
    }
    if record.level is not None:
        extensions[extension_iri(home_page, "skill-level")] = record.level
    result: dict[str, Any] = {"extensions": extensions}
    if record.source is EvidenceSource.COMPLETED_ACTIVITY:
        result["completion"] = True
    if record.note:
        result["response"] = record.note
    context: dict[str, Any] = {
        "language": LANGUAGE,
        "contextActivities": {"other": [skill]} if activity_object is not skill else {},
        "extensions": {extension_iri(home_page, "evidence-id"): record.id},
    }
    if framework_name:
        context["extensions"][extension_iri(home_page, "framework")] = framework_name
    if platform:
        context["platform"] = platform
    if not context["contextActivities"]:
        del context["contextActivities"]
    return {
        "id": str(uuid.uuid5(STATEMENT_NAMESPACE, record.id)),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": account[0], "name": account[1]}
            if account is not None
            else {"homePage": _base(home_page), "name": record.learner_id},
        },
        "verb": {"id": verb.id, "display": {LANGUAGE: verb.display}},
        "object": activity_object,
        "result": result,
        "context": context,
        "timestamp": xapi_timestamp(record.recorded_at),
    }


def xapi_timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with millisecond precision and a ``Z``, the form LRSs store most faithfully."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _base(home_page: str) -> str:
    return home_page.rstrip("/")
