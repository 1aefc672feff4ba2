"""Export and import skill frameworks as 1EdTech CASE 1.1 JSON packages.

Mapping: the framework is the ``CFDocument``; each skill is a ``CFItem`` (``humanCodingScheme`` =
code, ``fullStatement`` = name, ``notes`` = description, ``CFItemType`` = category); the tree is
``isChildOf`` ``CFAssociations`` (origin = child, destination = parent item, or the document for
top-level skills); the proficiency scale is one ``CFRubric`` with one criterion whose levels are
the scale's levels (``score`` = value, ``quality`` = name, ``description`` = descriptor). CASE has
no slot for a scale's id, so it travels in the criterion's ``category``.

Import either returns a whole, valid framework or raises :class:`ValidationError` listing every
problem with its JSON location; it never returns part of a package.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from career_core.errors import ValidationError
from career_core.frameworks import Skill, SkillFramework, validate_framework
from career_core.scales import ProficiencyLevel, ProficiencyScale

CASE_VERSION = "1.1"


def _uuid(framework_id: str, kind: str, key: str) -> str:
    # Stable identifiers: exporting the same framework twice gives the same package.
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"career-toolkit:{framework_id}:{kind}:{key}"))


def _uri(base_uri: str | None, kind: str, identifier: str) -> str:
    return f"{base_uri.rstrip('/')}/{kind}/{identifier}" if base_uri else f"urn:uuid:{identifier}"


def export_case(
    framework: SkillFramework,
    *,
    creator: str = "Career Toolkit",
    base_uri: str | None = None,
    changed_at: datetime | None = None,
) -> dict[str, Any]:
    """The framework as a CASE 1.1 package (a JSON-ready dict)."""
    stamp = (changed_at or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    doc_id = framework.identifier
    doc_ref = {"identifier": doc_id, "uri": _uri(base_uri, "CFDocuments", doc_id), "title": framework.title}
    item_refs: dict[str, dict[str, str]] = {}
    items = []
    for skill in framework.skills:
        item_id = _uuid(doc_id, "item", skill.code)
        item_refs[skill.code] = {
            "identifier": item_id,
            "uri": _uri(base_uri, "CFItems", item_id),
            "title": skill.name,
        }
        item: dict[str, Any] = {
            "identifier": item_id,
            "uri": item_refs[skill.code]["uri"],
            "fullStatement": skill.name,
            "humanCodingScheme": skill.code,
            "lastChangeDateTime": stamp,
            "CFDocumentURI": doc_ref,
        }
        if skill.description:
            item["notes"] = skill.description
        if skill.category:
            item["CFItemType"] = skill.category
        items.append(item)
    associations = []
    for skill in framework.skills:
        parent = item_refs[skill.parent_code] if skill.parent_code is not None else doc_ref
        assoc_id = _uuid(doc_id, "isChildOf", skill.code)
        associations.append(
            {
                "identifier": assoc_id,
                "uri": _uri(base_uri, "CFAssociations", assoc_id),
                "associationType": "isChildOf",
                "originNodeURI": item_refs[skill.code],
                "destinationNodeURI": parent,
                "lastChangeDateTime": stamp,
                "CFDocumentURI": doc_ref,
            }
        )
    scale = framework.scale
    rubric_id = _uuid(doc_id, "rubric", scale.id)
    criterion_id = _uuid(doc_id, "criterion", scale.id)
    rubric = {
        "identifier": rubric_id,
        "uri": _uri(base_uri, "CFRubrics", rubric_id),
        "title": scale.name,
        "description": f"Proficiency scale {scale.name}",
        "lastChangeDateTime": stamp,
        "CFRubricCriteria": [
            {
                "identifier": criterion_id,
                "uri": _uri(base_uri, "CFRubricCriteria", criterion_id),
                "category": scale.id,
                "description": scale.name,
                "position": 1,
                "rubricId": rubric_id,
                "lastChangeDateTime": stamp,
                "CFRubricCriterionLevels": [
                    {
                        "identifier": (level_id := _uuid(doc_id, "level", f"{scale.id}:{level.value}")),
                        "uri": _uri(base_uri, "CFRubricCriterionLevels", level_id),
                        "quality": level.name,
                        "description": level.descriptor,
                        "score": level.value,
                        "position": position,
                        "rubricCriterionId": criterion_id,
                        "lastChangeDateTime": stamp,
                    }
                    for position, level in enumerate(scale.levels, start=1)
                ],
            }
        ],
    }
    return {
        "CFDocument": {
            "identifier": doc_id,
            "uri": doc_ref["uri"],
            "creator": creator,
            "title": framework.title,
            "version": framework.version,
            "lastChangeDateTime": stamp,
            "adoptionStatus": "Draft",
            "language": "en",
            "caseVersion": CASE_VERSION,
            "CFPackageURI": {
                "identifier": doc_id,
                "uri": _uri(base_uri, "CFPackages", doc_id),
                "title": framework.title,
            },
        },
        "CFItems": items,
        "CFAssociations": associations,
        "CFRubrics": [rubric],
    }


class _Reader:
    """Collects every structural problem with its JSON path instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def obj(self, value: object, path: str) -> Mapping[str, Any] | None:
        if isinstance(value, Mapping):
            return value
        self.problems.append(f"{path}: expected an object, got {type(value).__name__}")
        return None

    def array(self, value: object, path: str) -> list[Any]:
        if isinstance(value, list):
            return value
        self.problems.append(f"{path}: expected an array, got {type(value).__name__}")
        return []

    def text(self, data: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.problems.append(f"{path}.{key}: required")
            return ""
        if not isinstance(value, str):
            self.problems.append(f"{path}.{key}: expected a string, got {type(value).__name__}")
            return ""
        return value

    def integer(self, data: Mapping[str, Any], key: str, path: str) -> int:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            self.problems.append(f"{path}.{key}: expected a whole number, got {value!r}")
            return 0
        return int(value)


def import_case(package: Mapping[str, Any]) -> SkillFramework:
    """Read a CASE 1.1 package (as parsed JSON) into a framework.

    Only ``isChildOf`` associations are used; other association types are ignored. The package must
    hold exactly one rubric criterion describing the proficiency scale.

    :raise ValidationError: listing every problem, each prefixed with its JSON path.
    """
    r = _Reader()
    root = r.obj(package, "$")
    if root is None:
        raise ValidationError(r.problems)
    document = r.obj(root.get("CFDocument"), "CFDocument") or {}
    doc_id = r.text(document, "identifier", "CFDocument")
    title = r.text(document, "title", "CFDocument")
    version = r.text(document, "version", "CFDocument", required=False)

    skills: list[Skill] = []
    code_of_item: dict[str, str] = {}
    for i, raw in enumerate(r.array(root.get("CFItems", []), "CFItems")):
        where = f"CFItems[{i}]"
        item = r.obj(raw, where)
        if item is None:
            continue
        identifier = r.text(item, "identifier", where)
        code = r.text(item, "humanCodingScheme", where)
        if identifier in code_of_item:
            r.problems.append(f"{where}.identifier: duplicate identifier {identifier!r}")
        code_of_item.setdefault(identifier, code)
        skills.append(
            Skill(
                code=code,
                name=r.text(item, "fullStatement", where),
                description=r.text(item, "notes", where, required=False),
                category=r.text(item, "CFItemType", where, required=False),
            )
        )

    parents: dict[str, tuple[str, str]] = {}  # child code -> (parent code, where it was declared)
    for i, raw in enumerate(r.array(root.get("CFAssociations", []), "CFAssociations")):
        where = f"CFAssociations[{i}]"
        assoc = r.obj(raw, where)
        if assoc is None or assoc.get("associationType") != "isChildOf":
            continue
        origin = r.obj(assoc.get("originNodeURI"), f"{where}.originNodeURI")
        destination = r.obj(assoc.get("destinationNodeURI"), f"{where}.destinationNodeURI")
        if origin is None or destination is None:
            continue
        child_id = r.text(origin, "identifier", f"{where}.originNodeURI")
        parent_id = r.text(destination, "identifier", f"{where}.destinationNodeURI")
        if child_id not in code_of_item:
            r.problems.append(f"{where}.originNodeURI.identifier: no CFItem {child_id!r}")
            continue
        if parent_id == doc_id:
            continue  # top-level skill
        if parent_id not in code_of_item:
            r.problems.append(f"{where}.destinationNodeURI.identifier: no CFItem or CFDocument {parent_id!r}")
            continue
        child = code_of_item[child_id]
        if child in parents and parents[child][0] != code_of_item[parent_id]:
            r.problems.append(
                f"{where}: {child!r} already has parent {parents[child][0]!r} ({parents[child][1]});"
                " a skill can have only one parent"
            )
            continue
        parents[child] = (code_of_item[parent_id], where)
    skills = [
        Skill(s.code, s.name, s.description, s.category, parents[s.code][0] if s.code in parents else None)
        for s in skills
    ]

    scale = _read_scale(r, root)
    try:
        validate_framework(skills, locate=lambda i: f"CFItems[{i}]")
    except ValidationError as error:
        r.problems.extend(error.errors)
    if not title.strip():
        r.problems.append("CFDocument.title: must not be empty")
    if r.problems or scale is None:
        raise ValidationError(r.problems or ["CFRubrics: no proficiency scale"])
    return SkillFramework(doc_id, title, version, scale, tuple(skills))


def _read_scale(r: _Reader, root: Mapping[str, Any]) -> ProficiencyScale | None:
    rubrics = r.array(root.get("CFRubrics", []), "CFRubrics")
    criteria = []
    for i, raw in enumerate(rubrics):
        rubric = r.obj(raw, f"CFRubrics[{i}]")
        if rubric is None:
            continue
        for j, crit in enumerate(r.array(rubric.get("CFRubricCriteria", []), f"CFRubrics[{i}].CFRubricCriteria")):
            criteria.append((f"CFRubrics[{i}].CFRubricCriteria[{j}]", crit, rubric))
    if len(criteria) != 1:
        r.problems.append(f"CFRubrics: expected exactly one rubric criterion (the scale), found {len(criteria)}")
        return None
    where, raw_crit, rubric = criteria[0]
    crit = r.obj(raw_crit, where)
    if crit is None:
        return None
    levels = []
    for k, raw_level in enumerate(r.array(crit.get("CFRubricCriterionLevels"), f"{where}.CFRubricCriterionLevels")):
        lw = f"{where}.CFRubricCriterionLevels[{k}]"
        level = r.obj(raw_level, lw)
        if level is None:
            continue
        levels.append(
            ProficiencyLevel(
                r.integer(level, "score", lw),
                r.text(level, "quality", lw),
                r.text(level, "description", lw, required=False),
            )
        )
    levels.sort(key=lambda level: level.value)
    scale_id = r.text(crit, "category", where)
    name = r.text(rubric, "title", where.split(".")[0])
    try:
        return ProficiencyScale(scale_id, name, tuple(levels))
    except ValidationError as error:
        r.problems.extend(f"{where}: {problem}" for problem in error.errors)
        return None
