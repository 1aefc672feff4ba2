"""Small helpers every block handler shares: the O*NET catalog, the clock, and 400 answers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from xblock.exceptions import JsonHandlerError

from career_core.errors import ValidationError
from career_core.onet import OnetCatalog, load_onet_catalog


def onet() -> OnetCatalog:
    return load_onet_catalog()


def now() -> datetime:
    return datetime.now(UTC)


def bad_request(problems: ValidationError | list[str] | str) -> JsonHandlerError:
    """The 400 answer for invalid input: ``{"error": "<every problem, joined>"}``."""
    if isinstance(problems, ValidationError):
        problems = problems.errors
    if isinstance(problems, str):
        problems = [problems]
    return JsonHandlerError(400, "; ".join(problems) or "invalid input")


def require_object(data: object, key: str | None = None) -> Mapping[str, Any]:
    """``data`` (or ``data[key]``) as a JSON object. :raise 400: when it is not one."""
    value = data.get(key) if key is not None and isinstance(data, Mapping) else data
    if not isinstance(value, Mapping):
        raise bad_request(f"{key or 'body'}: must be a JSON object")
    return value


def role_code_problems(code: str, where: str) -> list[str]:
    """Messages when ``code`` is set but is no O*NET-SOC code of the packaged catalog, with the rated
    occupations the author may have meant (title search, as in the LTI tool's role boxes)."""
    if not code or code in onet().catalog:
        return []
    from career_core.onet_details import load_onet_details

    details = load_onet_details()
    if code in details.occupations:
        meant = [s.role for s in details.stand_ins(code, onet().catalog)]
        return [
            f"{where}: {code!r} has no skill ratings in O*NET; did you mean a related rated one: "
            + ", ".join(f"{role.code} ({role.title})" for role in meant)
        ]
    rated = [m for m in details.search(code, 8) if m.code in onet().catalog][:3]
    hint = "; did you mean " + ", ".join(f"{m.code} ({m.title})" for m in rated) + "?" if rated else ""
    return [f"{where}: {code!r} is not an O*NET-SOC occupation code{hint}"]
