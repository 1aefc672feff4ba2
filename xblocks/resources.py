"""Package resources of the blocks: Mako templates (HTML-escaped by default) and static files."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from mako.template import Template
from web_fragments.fragment import Fragment

PACKAGE = "xblocks"


def load_text(path: str) -> str:
    """A text resource of the package, such as ``static/css/career.css``; works from a wheel."""
    return resources.files(PACKAGE).joinpath(path).read_text(encoding="utf-8")


@cache
def _template(name: str) -> Template:
    # "h" escapes every ${...} by default, so user text can never become markup; trusted markup
    # (the server-drawn SVG) must opt out explicitly with "| n".
    return Template(load_text(f"templates/{name}"), default_filters=["h"], strict_undefined=True)  # noqa: S702


def render_template(name: str, **context: Any) -> str:
    return str(_template(name).render(**context))


def fragment_for(html: str, *, css: Iterable[str] = (), js: Iterable[str] = (), init: str | None = None) -> Fragment:
    """A fragment carrying ``html`` with the package's CSS and JS inlined, initialised by ``init``."""
    fragment = Fragment(html)
    for path in css:
        fragment.add_css(load_text(path))
    for path in js:
        fragment.add_javascript(load_text(path))
    if init:
        fragment.initialize_js(init)
    return fragment
