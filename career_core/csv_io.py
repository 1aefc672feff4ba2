"""CSV export and import of a framework's skills, for authoring frameworks in a spreadsheet."""

from __future__ import annotations

import csv
import io

from career_core.errors import ValidationError
from career_core.frameworks import Skill, SkillFramework, validate_framework
from career_core.scales import ProficiencyScale

COLUMNS = ("code", "name", "description", "category", "parent_code")


def export_csv(framework: SkillFramework) -> str:
    """The framework's skills as CSV with a header row; an empty ``parent_code`` means top level."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for s in framework.skills:
        writer.writerow((s.code, s.name, s.description, s.category, s.parent_code or ""))
    return out.getvalue()


def import_csv(text: str, *, identifier: str, title: str, version: str, scale: ProficiencyScale) -> SkillFramework:
    """Skills from CSV text (columns as :data:`COLUMNS`, in any order, extra columns ignored).

    :raise ValidationError: listing every problem, located by line number (the header is line 1).
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError(["line 1: missing header row"]) from None
    except csv.Error as error:
        raise ValidationError([f"line 1: {error}"]) from None
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ValidationError([f"line 1: missing column {c!r}" for c in missing])
    at = {c: header.index(c) for c in COLUMNS}

    problems: list[str] = []
    skills: list[Skill] = []
    lines: list[int] = []
    # A quoted field may span lines, so a row's number is where it starts, not its position.
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(f"line {start}: {error}")
            break
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue  # spreadsheets leave blank rows behind
        if len(row) < len(header):
            problems.append(f"line {line}: expected {len(header)} columns, got {len(row)}")
            continue
        parent = row[at["parent_code"]]
        skills.append(
            Skill(
                row[at["code"]],
                row[at["name"]],
                row[at["description"]],
                row[at["category"]],
                parent if parent.strip() else None,
            )
        )
        lines.append(line)
    try:
        validate_framework(skills, locate=lambda i: f"line {lines[i]}")
    except ValidationError as error:
        problems.extend(error.errors)
    if problems:
        raise ValidationError(problems)
    return SkillFramework(identifier, title, version, scale, tuple(skills))
