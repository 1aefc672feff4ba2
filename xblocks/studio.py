"""Studio editing of a block's authored settings: one form, one validating ``save_settings`` handler."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from web_fragments.fragment import Fragment
from xblock.core import XBlock, XBlockMixin
from xblock.fields import Boolean, Float, List, String

from xblocks.common import bad_request, require_object
from xblocks.resources import fragment_for, render_template

MAX_SETTING_LENGTH = 200
_LIST_SEPARATOR = re.compile(r"[\s,]+")


class StudioSettingsMixin(XBlockMixin):
    """A Studio form over ``editable_fields`` (all in ``Scope.settings``).

    Subclasses list their fields in ``editable_fields`` and may add block rules in
    ``settings_problems(settings)``, which sees the settings as they would be after saving.
    """

    editable_fields: tuple[str, ...] = ("display_name", "weight", "grading_mode")

    def studio_context(self) -> dict[str, Any]:
        _ = self.ugettext
        rows = []
        for name in self.editable_fields:
            field = self.fields[name]
            value = getattr(self, name)
            if isinstance(field, Boolean):
                kind = "checkbox"
            elif isinstance(field, List):
                kind, value = "list", "\n".join(value)
            elif isinstance(field, Float):
                kind = "number"
            elif getattr(field, "values", None):
                kind = "select"
            else:
                kind = "text"
            rows.append(
                {
                    "name": name,
                    "label": _(field.display_name or name),
                    "help": _(field.help or ""),
                    "kind": kind,
                    "value": value,
                    "options": list(getattr(field, "values", None) or []),
                }
            )
        return {"fields": rows, "_": _}

    def studio_view(self, context: Any = None) -> Fragment:
        html = render_template("studio.html", **self.studio_context())
        return fragment_for(
            html, css=["static/css/career.css"], js=["static/js/career.js"], init="CareerToolkitStudioEditor"
        )

    def settings_problems(self, settings: Mapping[str, Any]) -> list[str]:
        problems = []
        if not str(settings.get("display_name", "")).strip():
            problems.append("display_name: must not be empty")
        if "weight" in settings and settings["weight"] < 0:
            problems.append("weight: must be 0 or more")
        return problems

    def clean_settings(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The submitted settings, typed. :raise 400: listing every problem; nothing is saved then."""
        errors = [f"{key}: is not a setting of this component" for key in data if key not in self.editable_fields]
        cleaned: dict[str, Any] = {}
        for name in self.editable_fields:
            if name in data:
                cleaned[name] = _coerce(self.fields[name], data[name], name, errors)
        if not errors:
            after = {name: getattr(self, name) for name in self.editable_fields} | cleaned
            errors.extend(self.settings_problems(after))
        if errors:
            raise bad_request(errors)
        return cleaned

    @XBlock.json_handler
    def save_settings(self, data: Any, suffix: str = "") -> dict[str, Any]:
        """Save the Studio form. :raise 400: on any invalid setting, leaving every setting unchanged."""
        cleaned = self.clean_settings(require_object(data))
        for name, value in cleaned.items():
            setattr(self, name, value)
        return {"result": "success", "saved": sorted(cleaned)}


def _coerce(field: Any, value: object, name: str, errors: list[str]) -> Any:
    if isinstance(field, Boolean):
        if not isinstance(value, bool):
            errors.append(f"{name}: must be true or false")
        return value
    if isinstance(field, Float):
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            errors.append(f"{name}: must be a number, not {value!r}")
            return None
        if isinstance(value, bool) or not math.isfinite(number):
            errors.append(f"{name}: must be a finite number, not {value!r}")
        return number
    if isinstance(field, List):
        items = _LIST_SEPARATOR.split(value) if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            errors.append(f"{name}: must be a list of codes")
            return []
        return list(dict.fromkeys(item.strip() for item in items if item.strip()))
    if isinstance(field, String):
        if not isinstance(value, str):
            errors.append(f"{name}: must be text")
            return ""
        text = value.strip()
        if len(text) > MAX_SETTING_LENGTH:
            errors.append(f"{name}: is longer than {MAX_SETTING_LENGTH} characters")
        allowed = getattr(field, "values", None)
        if allowed and text not in allowed:
            errors.append(f"{name}: {text!r} is not one of {', '.join(allowed)}")
        return text
    errors.append(f"{name}: cannot be edited here")
    return None
