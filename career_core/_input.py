"""Readers that turn untrusted JSON-like input (forms, stored JSON) into domain values.

Each reader appends a precise, located message to ``errors`` instead of raising, so a caller can
report every problem in one ``ValidationError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar
from urllib.parse import urlsplit

_MISSING = object()
_E = TypeVar("_E", bound=StrEnum)


def read_text(
    data: Mapping[str, Any],
    key: str,
    where: str,
    errors: list[str],
    *,
    required: bool = True,
    max_length: int = 1000,
) -> str:
    """Read a string field, stripped; an absent optional field reads as ``""``."""
    value = data.get(key, _MISSING)
    if value is _MISSING or value is None:
        if required:
            errors.append(f"{where}.{key}: is required")
        return ""
    if not isinstance(value, str):
        errors.append(f"{where}.{key}: must be text, not {type(value).__name__}")
        return ""
    text = value.strip()
    if required and not text:
        errors.append(f"{where}.{key}: must not be empty")
    if len(text) > max_length:
        errors.append(f"{where}.{key}: is {len(text)} characters long; the limit is {max_length}")
    return text


def read_optional_text(
    data: Mapping[str, Any], key: str, where: str, errors: list[str], *, max_length: int = 1000
) -> str | None:
    """Read a string field where absence or blank means "not set"."""
    text = read_text(data, key, where, errors, required=False, max_length=max_length)
    return text or None


def parse_date(value: object, where: str, errors: list[str]) -> date | None:
    """Parse an ISO 8601 calendar date (``YYYY-MM-DD``); ``None`` and ``""`` mean "no date"."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        errors.append(f"{where}: must be a date as YYYY-MM-DD, not {type(value).__name__}")
        return None
    try:
        # fromisoformat also accepts "20240105" and week dates; a plan form should only send one shape.
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        errors.append(f"{where}: {value!r} is not a date in the form YYYY-MM-DD")
        return None


def read_date(data: Mapping[str, Any], key: str, where: str, errors: list[str]) -> date | None:
    return parse_date(data.get(key), f"{where}.{key}", errors)


def read_optional_int(data: Mapping[str, Any], key: str, where: str, errors: list[str]) -> int | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    # bool is an int subclass; True as a level is a client bug, not level 1.
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value.strip())
        errors.append(f"{where}.{key}: must be a whole number, not {value!r}")
        return None
    return value


def read_bool(data: Mapping[str, Any], key: str, where: str, errors: list[str], *, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        errors.append(f"{where}.{key}: must be true or false, not {value!r}")
        return default
    return value


def is_web_url(value: str) -> bool:
    """True for absolute http(s) URLs: anything else (``javascript:``, ``data:``) must never become a link."""
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def read_enum(value: object, enum: type[_E], where: str, errors: list[str]) -> _E | None:
    """Read one member of a string enum by its value, naming the allowed values when it is not one."""
    if isinstance(value, str):
        try:
            return enum(value)
        except ValueError:
            pass
    allowed = ", ".join(member.value for member in enum)
    errors.append(f"{where}: {value!r} is not one of {allowed}")
    return None
