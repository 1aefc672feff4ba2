"""Page fragments that repeat with the same inputs, rendered once per process.

A self-assessment shows every skill of its framework (35 for O*NET) with a radio button per proficiency
level (8): the same few hundred inputs for every learner, differing only in the level already chosen.
Rendering them through Jinja on every launch was most of the launch's time, so each combination of
levels, skill number and chosen level is rendered once and reused.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from flask import get_template_attribute
from markupsafe import Markup

Levels = tuple[tuple[int, str], ...]


def level_key(levels: Iterable[Mapping[str, Any]]) -> Levels:
    """A scale's levels as the hashable (value, name) pairs ``level_choices`` is cached by."""
    return tuple((int(level["value"]), str(level["name"])) for level in levels)


@functools.lru_cache(maxsize=4096)
def level_choices(levels: Levels, number: int, chosen: int | None) -> Markup:
    """The radio buttons for skill ``number`` (1-based), with ``chosen`` checked."""
    macro = get_template_attribute("pages/_level_choices.html", "level_choices")
    return Markup(macro(levels, number, chosen))  # noqa: S704 (a template's output, autoescaped)
