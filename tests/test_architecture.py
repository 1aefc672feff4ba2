"""The dependency arrows: lti_app -> career_core <- xblocks, and the domain imports no framework."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "career_core": {
        "flask",
        "flask_sqlalchemy",
        "flask_smorest",
        "sqlalchemy",
        "pylti1p3",
        "xblock",
        "django",
        "webob",
        "marshmallow",
        "requests",
        "lti_app",
        "xblocks",
    },
    "xblocks": {"flask", "flask_sqlalchemy", "flask_smorest", "sqlalchemy", "pylti1p3", "lti_app", "marshmallow"},
}


def imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_point_the_agreed_way(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    if package == "career_core":
        assert files, "career_core must exist"
    offenders = {str(path.relative_to(ROOT)): sorted(imported_top_levels(path) & FORBIDDEN[package]) for path in files}
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("import os\nfrom flask import Flask\nfrom . import sibling\n")
    assert imported_top_levels(module) & FORBIDDEN["career_core"] == {"flask"}
