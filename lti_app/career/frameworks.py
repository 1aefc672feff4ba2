"""Skill frameworks in the database: the packaged O*NET one (shared by every platform) and CASE imports
(seen only by the deployment that imported them); CASE and CSV export."""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import Select, bindparam, or_, select

from career_core.case import export_case, import_case
from career_core.csv_io import export_csv
from career_core.errors import ValidationError
from career_core.frameworks import Skill, SkillFramework
from career_core.onet import load_onet_catalog
from career_core.scales import ProficiencyLevel, ProficiencyScale
from lti_app.career.access import require_staff
from lti_app.career.errors import Conflict, InvalidInput, NotFound
from lti_app.extensions import db
from lti_app.models.career import SHARED_OWNER, SkillFrameworkRecord
from lti_app.models.people import LaunchSession

ONET_SOURCE = "onet"
CASE_SOURCE = "case_import"

# Storage limits (the columns' sizes and a sane package size); career_core checks the framework's own rules.
MAX_SKILLS = 2000
_TEXT_LIMITS = {"code": 100, "name": 1000, "description": 10_000, "category": 200}
_FRAMEWORK_LIMITS = {"identifier": 255, "title": 500, "version": 100}


def deployment_owner_key(session: LaunchSession) -> str:
    return f"deployment:{session.deployment_pk}"


# --- conversion between the record and career_core's value -------------------------------------------------


def framework_of(record: SkillFrameworkRecord) -> SkillFramework:
    """The career_core framework a record stores."""
    scale = ProficiencyScale(
        id=record.scale["id"],
        name=record.scale["name"],
        levels=tuple(
            ProficiencyLevel(level["value"], level["name"], level.get("descriptor", ""))
            for level in record.scale["levels"]
        ),
    )
    skills = tuple(
        Skill(
            code=skill["code"],
            name=skill["name"],
            description=skill.get("description", ""),
            category=skill.get("category", ""),
            parent_code=skill.get("parent_code"),
        )
        for skill in record.skills
    )
    return SkillFramework(record.identifier, record.title, record.version, scale, skills)


def scale_json(scale: ProficiencyScale) -> dict[str, Any]:
    return {
        "id": scale.id,
        "name": scale.name,
        "levels": [{"value": lv.value, "name": lv.name, "descriptor": lv.descriptor} for lv in scale.levels],
    }


def skills_json(framework: SkillFramework) -> list[dict[str, Any]]:
    return [
        {
            "code": s.code,
            "name": s.name,
            "description": s.description,
            "category": s.category,
            "parent_code": s.parent_code,
        }
        for s in framework.skills
    ]


def _same_content(record: SkillFrameworkRecord, framework: SkillFramework) -> bool:
    return (
        record.title == framework.title
        and record.version == framework.version
        and record.scale == scale_json(framework.scale)
        and record.skills == skills_json(framework)
    )


# --- the O*NET fixture --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadResult:
    identifier: str
    created: bool
    skills: int


def load_onet_framework(progress: Callable[[int], None] | None = None) -> LoadResult:
    """Store the packaged O*NET framework as a shared framework; running it again changes nothing. Commits.

    ``progress`` is called with the number of skills handled, for a CLI progress bar.
    """
    onet = load_onet_catalog()
    framework = onet.framework
    existing = db.session.scalars(
        select(SkillFrameworkRecord).filter_by(owner_key=SHARED_OWNER, identifier=framework.identifier)
    ).first()
    skills: list[dict[str, Any]] = []
    for skill in skills_json(framework):
        skills.append(skill)
        if progress is not None:
            progress(1)
    if existing is not None:
        if not _same_content(existing, framework) or existing.attribution != onet.attribution:
            # A newer packaged release: refresh the shared copy in place (same identifier, same scale).
            existing.title, existing.version = framework.title, framework.version
            existing.scale, existing.skills = scale_json(framework.scale), skills
            existing.attribution, existing.license_url = onet.attribution, onet.license_url
            db.session.commit()
        return LoadResult(framework.identifier, False, len(skills))
    db.session.add(
        SkillFrameworkRecord(
            owner_key=SHARED_OWNER,
            identifier=framework.identifier,
            title=framework.title,
            version=framework.version,
            scale=scale_json(framework.scale),
            skills=skills,
            source=ONET_SOURCE,
            attribution=onet.attribution,
            license_url=onet.license_url,
        )
    )
    db.session.commit()
    return LoadResult(framework.identifier, True, len(skills))


def onet_identifier() -> str:
    return load_onet_catalog().framework.identifier


# --- reads ----------------------------------------------------------------------------------------------------


def _visible(session: LaunchSession) -> Any:
    return or_(
        SkillFrameworkRecord.owner_key == SHARED_OWNER,
        SkillFrameworkRecord.owner_key == deployment_owner_key(session),
    )


def list_frameworks(session: LaunchSession) -> list[dict[str, Any]]:
    """The frameworks this launch's deployment may use: shared ones and its own imports."""
    records = db.session.scalars(
        select(SkillFrameworkRecord).where(_visible(session)).order_by(SkillFrameworkRecord.title)
    ).all()
    return [summary(record) for record in records]


@functools.cache
def _find_framework_query() -> Select[SkillFrameworkRecord]:
    """Built once: every launch onto a self-assessment runs it, and composing it cost as much as running it."""
    return select(SkillFrameworkRecord).where(
        or_(
            SkillFrameworkRecord.owner_key == SHARED_OWNER,
            SkillFrameworkRecord.owner_key == bindparam("deployment_owner"),
        ),
        SkillFrameworkRecord.identifier == bindparam("identifier"),
    )


def find_framework(session: LaunchSession, identifier: str) -> SkillFrameworkRecord:
    """A framework the caller may see (shared ones and its deployment's own imports). :raise NotFound:"""
    records = db.session.scalars(
        _find_framework_query(), {"deployment_owner": deployment_owner_key(session), "identifier": identifier}
    ).all()
    if not records:
        raise NotFound(f"No framework {identifier!r}.")
    # The shared copy wins if a deployment imported one with the same identifier before the fixture landed.
    return min(records, key=lambda r: r.owner_key != SHARED_OWNER)


def framework_for_link(session: LaunchSession) -> SkillFrameworkRecord:
    """The framework a placement rates against: its ``framework`` setting, else O*NET. :raise NotFound:"""
    settings = session.resource_link.settings if session.resource_link is not None else {}
    identifier = str((settings or {}).get("framework") or onet_identifier())
    return find_framework(session, identifier)


def summary(record: SkillFrameworkRecord) -> dict[str, Any]:
    return {
        "identifier": record.identifier,
        "title": record.title,
        "version": record.version,
        "source": record.source,
        "skill_count": len(record.skills),
        "scale": record.scale,
        "attribution": record.attribution,
        "license_url": record.license_url,
    }


def framework_detail(session: LaunchSession, identifier: str) -> dict[str, Any]:
    record = find_framework(session, identifier)
    return {**summary(record), "skills": record.skills}


def framework_case(session: LaunchSession, identifier: str, *, base_uri: str | None = None) -> dict[str, Any]:
    """The framework as a CASE 1.1 package; O*NET's carries its attribution and license in the CFDocument."""
    record = find_framework(session, identifier)
    package = export_case(framework_of(record), base_uri=base_uri, changed_at=record.created_at.replace(tzinfo=UTC))
    if record.attribution:
        package["CFDocument"]["notes"] = record.attribution
    if record.license_url:
        package["CFDocument"]["licenseURI"] = {
            "title": "CC BY 4.0",
            "identifier": record.license_url,
            "uri": record.license_url,
        }
    return package


def framework_csv(session: LaunchSession, identifier: str) -> tuple[str, str | None]:
    """The skills as CSV and the attribution to send with it.

    The attribution also rides in an extra ``attribution`` column on the first row: the CSV importer ignores
    extra columns, so the file re-imports unchanged while carrying its licence wherever it is copied.
    """
    record = find_framework(session, identifier)
    text = export_csv(framework_of(record))
    if not record.attribution:
        return text, None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rows[0].append("attribution")
    for number, row in enumerate(rows[1:]):
        row.append(record.attribution if number == 0 else "")
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue(), record.attribution


# --- CASE import ----------------------------------------------------------------------------------------------


def import_framework(session: LaunchSession, package: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """Import a CASE package for the caller's deployment; it lands whole or not at all. Commits.

    Re-importing a package identical to a framework the caller already sees returns that framework
    (``created`` False); one with the same identifier but other content is refused: a changed framework
    needs a new identifier, because stored self-assessments refer to the old skills.

    :raise Forbidden: the caller is not staff. :raise InvalidInput: every problem with the package.
    :raise Conflict: same identifier, different content.
    """
    require_staff(session)
    try:
        framework = import_case(package)
    except ValidationError as error:
        raise InvalidInput.from_domain(error) from error
    _check_sizes(framework)
    try:
        existing = find_framework(session, framework.identifier)
    except NotFound:
        existing = None
    if existing is not None:
        if _same_content(existing, framework):
            return framework_detail(session, existing.identifier), False
        raise Conflict(
            f"A framework {framework.identifier!r} already exists with other content; "
            "give the changed framework a new CFDocument.identifier."
        )
    record = SkillFrameworkRecord(
        owner_key=deployment_owner_key(session),
        identifier=framework.identifier,
        title=framework.title,
        version=framework.version,
        scale=scale_json(framework.scale),
        skills=skills_json(framework),
        source=CASE_SOURCE,
        attribution=_attribution_of(package),
        license_url=None,
        imported_by_user_id=session.user_id,
    )
    db.session.add(record)
    db.session.commit()
    return framework_detail(session, record.identifier), True


def _attribution_of(package: Mapping[str, Any]) -> str | None:
    # A package exported from here carries its attribution as CFDocument.notes; keep it with the copy.
    notes = (package.get("CFDocument") or {}).get("notes")
    return notes[:5000] if isinstance(notes, str) and notes.strip() else None


def _check_sizes(framework: SkillFramework) -> None:
    errors: dict[str, list[str]] = {}
    for name, limit in _FRAMEWORK_LIMITS.items():
        value = getattr(framework, name)
        if len(value) > limit:
            errors[f"CFDocument.{name}"] = [f"is {len(value)} characters long; the limit is {limit}"]
    if len(framework.skills) > MAX_SKILLS:
        errors["CFItems"] = [f"at most {MAX_SKILLS} items, not {len(framework.skills)}"]
    for index, skill in enumerate(framework.skills):
        for name, limit in _TEXT_LIMITS.items():
            value = getattr(skill, name)
            if len(value) > limit:
                errors.setdefault(f"CFItems[{index}]", []).append(
                    f"{name} is {len(value)} characters long; the limit is {limit}"
                )
    if errors:
        raise InvalidInput(errors)
