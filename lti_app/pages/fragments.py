"""Page fragments that repeat with the same inputs, rendered once per process.

A self-assessment shows every skill of its framework (35 for O*NET) with a radio button per proficiency
level (8), each level described in that skill's own terms: the same few hundred inputs for every learner,
differing only in the level already chosen.
Rendering them through Jinja on every launch was most of the launch's time, so each skill's fieldset is
rendered once per combination of scale, skill, position and chosen level, and reused.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from flask import get_template_attribute
from markupsafe import Markup

Levels = tuple[tuple[int, str, str], ...]
Skill = tuple[str, str, str]
Anchors = tuple[tuple[int, str], ...]


def level_key(levels: Iterable[Mapping[str, Any]]) -> Levels:
    """A scale's levels as hashable (value, name, descriptor) triples."""
    return tuple((int(level["value"]), str(level["name"]), str(level.get("descriptor") or "")) for level in levels)


def skill_key(skill: Mapping[str, Any]) -> Skill:
    """A skill as a hashable (code, name, description) triple."""
    return (str(skill["code"]), str(skill["name"]), str(skill.get("description") or ""))


# A framework of 35 skills on an 8-level scale fills 35 x 9 entries (each ~3 KB); room for a few frameworks.
@functools.lru_cache(maxsize=2048)
def skill_rating(levels: Levels, skill: Skill, number: int, chosen: int | None, anchors: Anchors = ()) -> Markup:
    """Skill ``number`` (1-based) of the form, with ``chosen`` checked (``None``: not rated yet).

    ``levels`` are this skill's own (value, name, meaning) triples and ``anchors`` its (value, example) pairs.
    """
    macro = get_template_attribute("pages/_skill_rating.html", "skill_rating")
    return Markup(macro(levels, skill, number, chosen, anchors))  # noqa: S704 (a template's output, autoescaped)


def assessment_form(
    groups: Iterable[Mapping[str, Any]],
    skill_levels: Mapping[str, Mapping[str, Any]],
    chosen: Mapping[str, int],
) -> Markup:
    """The form's skill groups, each skill's fieldset from :func:`skill_rating`, ``chosen`` checked.

    Composed here rather than looped over in the page's template: some forty Jinja calls per launch became
    one. Only the learner's own ``chosen`` levels and counts vary; every fragment is autoescaped markup.
    """
    group_macro = get_template_attribute("pages/_skill_rating.html", "skill_group")
    parts = []
    for index, group in enumerate(groups, start=1):
        skills = group["skills"]
        fieldsets = []
        for skill in skills:
            code = skill["code"]
            own = skill_levels[code]
            fieldsets.append(
                skill_rating(own["levels"], skill_key(skill), skill["number"], chosen.get(code), own["anchors"])
            )
        body = Markup("\n    ").join(fieldsets)
        rated = sum(1 for skill in skills if skill["code"] in chosen)
        parts.append(Markup(group_macro(index, group["name"], rated, len(skills), body)))  # noqa: S704 (autoescaped)
    return Markup("\n  ").join(parts)
