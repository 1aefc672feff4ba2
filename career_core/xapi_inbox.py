"""Incoming xAPI 1.0.3 statements: strict validation of the subset the toolkit stores, and the evidence they claim.

A statement is checked as the specification asks an LRS to (no unknown properties, UUID ids, IRIs, ISO 8601
timestamps with a zone, language maps) with limits on sizes. Only an ``account`` identifies the learner: the
toolkit never stores an email address as an identity. What a statement says about a skill is read with the
vocabulary :mod:`career_core.xapi` writes; any other verb is stored without becoming evidence.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from career_core.errors import ValidationError
from career_core.evidence import EvidenceSource
from career_core.xapi import COMPLETED, EXPERIENCED, extension_iri, verb_for

MAX_STATEMENT_BYTES = 64 * 1024
MAX_BATCH = 100
MAX_IRI = 1000
MAX_TEXT = 5000
MAX_NAME = 255
MAX_SKILL_CODE = 100
# Properties the LRS sets itself; a client may send them but they take no part in "the same statement".
LRS_SET = ("stored", "authority", "version")

_STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp", *LRS_SET, "attachments"}
_AGENT_KEYS = {"objectType", "name", "account", "mbox", "mbox_sha1sum", "openid"}
_ACCOUNT_KEYS = {"homePage", "name"}
_VERB_KEYS = {"id", "display"}
_ACTIVITY_KEYS = {"objectType", "id", "definition"}
_DEFINITION_KEYS = {
    "name",
    "description",
    "type",
    "moreInfo",
    "extensions",
    "interactionType",
    "correctResponsesPattern",
    "choices",
    "scale",
    "source",
    "target",
    "steps",
}
_RESULT_KEYS = {"score", "success", "completion", "response", "duration", "extensions"}
_SCORE_KEYS = {"scaled", "raw", "min", "max"}
_CONTEXT_KEYS = {
    "registration",
    "instructor",
    "team",
    "contextActivities",
    "revision",
    "platform",
    "language",
    "statement",
    "extensions",
}
_CONTEXT_ACTIVITY_KEYS = {"parent", "grouping", "category", "other"}
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_DURATION = re.compile(r"^P(?=\d|T)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_SKILL_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")


@dataclass(frozen=True)
class Account:
    home_page: str
    name: str


@dataclass(frozen=True)
class InboundStatement:
    """A statement that passed validation: ``data`` as received (with its id), and what the ledger needs."""

    id: str
    data: dict[str, Any]
    actor: Account
    verb_id: str
    object_id: str
    timestamp: datetime | None

    @property
    def digest(self) -> str:
        """A fingerprint of the statement without what the LRS sets: equal digests are the same statement."""
        return statement_digest(self.data)


@dataclass(frozen=True)
class EvidenceClaim:
    """What a statement says a learner showed: a skill, maybe a level, of a kind of evidence."""

    source: EvidenceSource
    skill_code: str
    level: int | None
    activity_id: str
    activity_url: str | None
    note: str
    verifier: Account | None
    framework_name: str | None


def parse_batch(body: object) -> list[InboundStatement]:
    """One statement or an array of them, validated as a whole: any problem refuses the batch.

    Statements without an id get a fresh one (the LRS assigns it); two statements of the batch with the same
    id must be the same statement.

    :raise ValidationError: every problem, each prefixed with where it is (``statements[2].verb.id: ...``).
    """
    items = body if isinstance(body, list) else [body]
    if not items:
        raise ValidationError("statements: send one statement or a non-empty array")
    if len(items) > MAX_BATCH:
        raise ValidationError(f"statements: at most {MAX_BATCH} statements per request")
    errors: list[str] = []
    parsed: list[InboundStatement] = []
    for index, item in enumerate(items):
        where = f"statements[{index}]" if isinstance(body, list) else "statement"
        try:
            parsed.append(parse_statement(item, where=where))
        except ValidationError as error:
            errors.extend(error.errors)
    seen: dict[str, str] = {}
    for statement in parsed:
        if seen.setdefault(statement.id, statement.digest) != statement.digest:
            errors.append(f"statements: id {statement.id} appears twice with different content")
    if errors:
        raise ValidationError(errors)
    return parsed


def parse_statement(data: object, *, where: str = "statement") -> InboundStatement:
    """:raise ValidationError: when ``data`` is not a statement this toolkit accepts."""
    errors: list[str] = []
    if not isinstance(data, Mapping):
        raise ValidationError(f"{where}: must be a JSON object")
    statement = dict(data)
    size = len(json.dumps(statement, separators=(",", ":"), ensure_ascii=False).encode())
    if size > MAX_STATEMENT_BYTES:
        raise ValidationError(f"{where}: {size} bytes is more than the {MAX_STATEMENT_BYTES} a statement may have")
    _unknown(statement, _STATEMENT_KEYS, where, errors)
    if "attachments" in statement:
        errors.append(f"{where}.attachments: this LRS does not accept attachments")
    if "id" in statement:
        statement_id = _uuid(statement["id"], f"{where}.id", errors)
        statement["id"] = statement_id or statement["id"]  # the canonical (lower-case) form is the one kept
    else:
        statement_id = str(uuid.uuid4())
        statement = {"id": statement_id, **statement}
    version = statement.get("version")
    if version is not None and (not isinstance(version, str) or not re.fullmatch(r"1\.0(\.\d+)?", version)):
        errors.append(f"{where}.version: must be a 1.0.x version, not {version!r}")
    actor = _actor(statement.get("actor"), f"{where}.actor", errors)
    verb_id = _verb(statement.get("verb"), f"{where}.verb", errors)
    object_id = _object(statement.get("object"), f"{where}.object", errors)
    if "result" in statement:
        _result(statement["result"], f"{where}.result", errors)
    if "context" in statement:
        _context(statement["context"], f"{where}.context", errors)
    timestamp = None
    if "timestamp" in statement:
        timestamp = _timestamp(statement["timestamp"], f"{where}.timestamp", errors)
    if errors or actor is None:
        raise ValidationError(errors or [f"{where}.actor: is required"])
    return InboundStatement(
        id=statement_id, data=statement, actor=actor, verb_id=verb_id, object_id=object_id, timestamp=timestamp
    )


def is_statement_id(value: str) -> bool:
    """Whether ``value`` is a statement id as this LRS writes them (a hyphenated UUID)."""
    errors: list[str] = []
    _uuid(value, "statementId", errors)
    return not errors


def statement_digest(statement: Mapping[str, Any]) -> str:
    kept = {key: value for key, value in statement.items() if key not in LRS_SET}
    if isinstance(kept.get("timestamp"), str):
        # The same instant written in another zone or precision is the same statement.
        moment = _parse_time(kept["timestamp"])
        if moment is not None:
            kept["timestamp"] = moment.astimezone(UTC).isoformat()
    return hashlib.sha256(json.dumps(kept, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def evidence_claim(statement: InboundStatement, *, home_page: str) -> EvidenceClaim | None:
    """The evidence a statement claims in the toolkit's vocabulary under ``home_page``, or None for any other.

    The skill is the ``skill-code`` result extension (else a skill activity of the toolkit as the object or in
    ``contextActivities.other``); the level is the ``skill-level`` extension. A self-assessment needs a level;
    a verification needs the verifier as ``context.instructor``.
    """
    source = _source_of(statement.verb_id, home_page)
    if source is None:
        return None
    data = statement.data
    result = data.get("result") or {}
    context = data.get("context") or {}
    extensions = result.get("extensions") or {}
    skill_code = extensions.get(extension_iri(home_page, "skill-code"))
    if skill_code is None:
        skill_code = _skill_from_activities(statement, home_page)
    if not isinstance(skill_code, str) or not _SKILL_CODE.match(skill_code) or len(skill_code) > MAX_SKILL_CODE:
        return None
    level = extensions.get(extension_iri(home_page, "skill-level"))
    if level is not None and (isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 100):
        return None
    if source is EvidenceSource.SELF_ASSESSMENT and level is None:
        return None
    verifier = None
    if source is EvidenceSource.MANAGER_VERIFICATION:
        instructor = context.get("instructor") or {}
        account = instructor.get("account") if isinstance(instructor, Mapping) else None
        if not isinstance(account, Mapping):
            return None
        verifier = Account(str(account["homePage"]), str(account["name"]))
    object_id = statement.object_id
    framework = (context.get("extensions") or {}).get(extension_iri(home_page, "framework"))
    note = result.get("response")
    return EvidenceClaim(
        source=source,
        skill_code=skill_code,
        level=level,
        activity_id=object_id if len(object_id) <= 255 else f"xapi-statement/{statement.id}",
        activity_url=object_id if urlsplit(object_id).scheme in ("http", "https") else None,
        note=note.strip() if isinstance(note, str) else "",
        verifier=verifier,
        framework_name=framework if isinstance(framework, str) else None,
    )


def _source_of(verb_id: str, home_page: str) -> EvidenceSource | None:
    known = {
        COMPLETED.id: EvidenceSource.COMPLETED_ACTIVITY,
        EXPERIENCED.id: EvidenceSource.IMPORT,
        verb_for(EvidenceSource.SELF_ASSESSMENT, home_page).id: EvidenceSource.SELF_ASSESSMENT,
        verb_for(EvidenceSource.MANAGER_VERIFICATION, home_page).id: EvidenceSource.MANAGER_VERIFICATION,
    }
    return known.get(verb_id)


def _skill_from_activities(statement: InboundStatement, home_page: str) -> str | None:
    prefix = f"{home_page.rstrip('/')}/xapi/skills/"
    candidates = [statement.object_id]
    other = ((statement.data.get("context") or {}).get("contextActivities") or {}).get("other") or []
    candidates += [item.get("id", "") for item in (other if isinstance(other, list) else [other])]
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.startswith(prefix):
            return unquote(candidate[len(prefix) :])
    return None


# --- validation helpers ----------------------------------------------------------------------------------------


def _unknown(value: Mapping[str, Any], allowed: set[str], where: str, errors: list[str]) -> None:
    for key in sorted(set(value) - allowed):
        errors.append(f"{where}: unknown property {key!r}")


def _object_at(value: object, where: str, errors: list[str]) -> Mapping[str, Any] | None:
    if not isinstance(value, Mapping):
        errors.append(f"{where}: must be a JSON object")
        return None
    return value


def _uuid(value: object, where: str, errors: list[str]) -> str:
    if isinstance(value, str):
        try:
            parsed = uuid.UUID(value)
        except ValueError:
            pass
        else:
            if str(parsed) == value.lower():
                return str(parsed)
    errors.append(f"{where}: must be a UUID in its hyphenated form, not {value!r}")
    return ""


def _iri(value: object, where: str, errors: list[str]) -> str:
    if (
        isinstance(value, str)
        and 0 < len(value) <= MAX_IRI
        and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", value)
        and not any(ord(c) < 32 for c in value)
    ):
        return value
    errors.append(f"{where}: must be an absolute IRI of at most {MAX_IRI} characters")
    return ""


def _text(value: object, where: str, errors: list[str], limit: int = MAX_TEXT) -> None:
    if not isinstance(value, str) or len(value) > limit:
        errors.append(f"{where}: must be text of at most {limit} characters")


def _language_map(value: object, where: str, errors: list[str]) -> None:
    mapping = _object_at(value, where, errors)
    if mapping is None:
        return
    for tag, text in mapping.items():
        if not _LANGUAGE_TAG.match(tag):
            errors.append(f"{where}: {tag!r} is not a language tag")
        _text(text, f"{where}.{tag}", errors)


def _extensions(value: object, where: str, errors: list[str]) -> None:
    mapping = _object_at(value, where, errors)
    for key in mapping or {}:
        _iri(key, f"{where}[{key!r}]", errors)


def _actor(value: object, where: str, errors: list[str]) -> Account | None:
    agent = _object_at(value, where, errors)
    if agent is None:
        return None
    _unknown(agent, _AGENT_KEYS, where, errors)
    if agent.get("objectType", "Agent") != "Agent":
        errors.append(f"{where}.objectType: must be Agent (groups are not accepted)")
    if any(key in agent for key in ("mbox", "mbox_sha1sum", "openid")):
        errors.append(f"{where}: identify the learner by account, never by email address or OpenID")
    if "name" in agent:
        _text(agent["name"], f"{where}.name", errors, MAX_NAME)
    account = _object_at(agent.get("account"), f"{where}.account", errors)
    if account is None:
        return None
    _unknown(account, _ACCOUNT_KEYS, f"{where}.account", errors)
    home_page = account.get("homePage")
    if not isinstance(home_page, str) or urlsplit(home_page).scheme not in ("http", "https") or len(home_page) > 500:
        errors.append(f"{where}.account.homePage: must be an http(s) address of at most 500 characters")
        return None
    name = account.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        errors.append(f"{where}.account.name: must be a non-empty id of at most {MAX_NAME} characters")
        return None
    return Account(home_page, name)


def _verb(value: object, where: str, errors: list[str]) -> str:
    verb = _object_at(value, where, errors)
    if verb is None:
        return ""
    _unknown(verb, _VERB_KEYS, where, errors)
    if "display" in verb:
        _language_map(verb["display"], f"{where}.display", errors)
    return _iri(verb.get("id"), f"{where}.id", errors)


def _object(value: object, where: str, errors: list[str]) -> str:
    target = _object_at(value, where, errors)
    if target is None:
        return ""
    kind = target.get("objectType", "Activity")
    if kind == "StatementRef":
        _unknown(target, {"objectType", "id"}, where, errors)
        return _uuid(target.get("id"), f"{where}.id", errors)
    if kind != "Activity":
        errors.append(f"{where}.objectType: must be Activity or StatementRef, not {kind!r}")
        return ""
    _unknown(target, _ACTIVITY_KEYS, where, errors)
    if "definition" in target:
        _definition(target["definition"], f"{where}.definition", errors)
    return _iri(target.get("id"), f"{where}.id", errors)


def _definition(value: object, where: str, errors: list[str]) -> None:
    definition = _object_at(value, where, errors)
    if definition is None:
        return
    _unknown(definition, _DEFINITION_KEYS, where, errors)
    for key in ("name", "description"):
        if key in definition:
            _language_map(definition[key], f"{where}.{key}", errors)
    for key in ("type", "moreInfo"):
        if key in definition:
            _iri(definition[key], f"{where}.{key}", errors)
    if "extensions" in definition:
        _extensions(definition["extensions"], f"{where}.extensions", errors)


def _result(value: object, where: str, errors: list[str]) -> None:
    result = _object_at(value, where, errors)
    if result is None:
        return
    _unknown(result, _RESULT_KEYS, where, errors)
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            errors.append(f"{where}.{key}: must be true or false")
    if "response" in result:
        _text(result["response"], f"{where}.response", errors)
    if "duration" in result and not (isinstance(result["duration"], str) and _DURATION.match(result["duration"])):
        errors.append(f"{where}.duration: must be an ISO 8601 duration")
    if "score" in result:
        score = _object_at(result["score"], f"{where}.score", errors)
        if score is not None:
            _unknown(score, _SCORE_KEYS, f"{where}.score", errors)
            for key, number in score.items():
                if isinstance(number, bool) or not isinstance(number, int | float):
                    errors.append(f"{where}.score.{key}: must be a number")
            scaled = score.get("scaled")
            if isinstance(scaled, int | float) and not isinstance(scaled, bool) and not -1 <= scaled <= 1:
                errors.append(f"{where}.score.scaled: must be between -1 and 1")
    if "extensions" in result:
        _extensions(result["extensions"], f"{where}.extensions", errors)


def _context(value: object, where: str, errors: list[str]) -> None:
    context = _object_at(value, where, errors)
    if context is None:
        return
    _unknown(context, _CONTEXT_KEYS, where, errors)
    if "registration" in context:
        _uuid(context["registration"], f"{where}.registration", errors)
    if "instructor" in context:
        _actor(context["instructor"], f"{where}.instructor", errors)
    for key in ("revision", "platform"):
        if key in context:
            _text(context[key], f"{where}.{key}", errors, MAX_NAME)
    if "language" in context and not (
        isinstance(context["language"], str) and _LANGUAGE_TAG.match(context["language"])
    ):
        errors.append(f"{where}.language: must be a language tag")
    if "statement" in context:
        _object(context["statement"], f"{where}.statement", errors)
    if "extensions" in context:
        _extensions(context["extensions"], f"{where}.extensions", errors)
    if "contextActivities" in context:
        activities = _object_at(context["contextActivities"], f"{where}.contextActivities", errors)
        if activities is not None:
            _unknown(activities, _CONTEXT_ACTIVITY_KEYS, f"{where}.contextActivities", errors)
            for key, items in activities.items():
                for index, item in enumerate(items if isinstance(items, list) else [items]):
                    path = f"{where}.contextActivities.{key}[{index}]"
                    if isinstance(item, Mapping) and item.get("objectType", "Activity") != "Activity":
                        errors.append(f"{path}.objectType: must be Activity")
                    else:
                        _object(item, path, errors)


def _timestamp(value: object, where: str, errors: list[str]) -> datetime | None:
    moment = _parse_time(value) if isinstance(value, str) and _TIMESTAMP.match(value) else None
    if isinstance(value, str) and value.endswith("-00:00"):
        moment = None  # RFC 3339's "unknown local offset", which xAPI 1.0.3 forbids
    if moment is None:
        errors.append(f"{where}: must be an ISO 8601 date-time with a time zone, not {value!r}")
    return moment


def _parse_time(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.utcoffset() is not None else None
