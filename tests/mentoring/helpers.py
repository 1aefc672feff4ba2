"""People for mentoring programme tests: real launches that rate themselves, volunteer and ask for help."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from lti_app.extensions import db
from lti_app.models.people import LtiUser

MANAGER_ROLE = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Manager"]
A, B, C = "2.A.1.a", "2.A.1.b", "2.A.1.c"


def person(as_user: Any, sub: str, name: str, roles: list[str] | None = None, **kwargs: Any) -> Any:
    kwargs.pop("scope", None)
    api = as_user(sub=sub, roles=roles, extra_claims={"name": name, **kwargs.pop("extra", {})}, **kwargs)
    issuer = kwargs["peer"].issuer if kwargs.get("peer") is not None else "https://lms-a.example.edu"
    api.user_id = db.session.scalars(select(LtiUser.id).where(LtiUser.sub == sub, LtiUser.issuer == issuer)).one()
    return api


def rated(as_user: Any, sub: str, name: str, levels: dict[str, int], **kwargs: Any) -> Any:
    api = person(as_user, sub, name, **dict(kwargs))
    response = api.post("/assessments", {"ratings": [{"skill_code": k, "level": v} for k, v in levels.items()]})
    assert response.status_code in (200, 201), response.get_json()
    return api


def mentor(as_user: Any, sub: str, name: str, levels: dict[str, int], capacity: int = 1, **kwargs: Any) -> Any:
    api = rated(as_user, sub, name, levels, **kwargs)
    scope = kwargs.get("scope", "course")
    response = api.put("/mentoring/offer", {"skills": sorted(levels), "capacity": capacity, "scope": scope})
    assert response.status_code == 200, response.get_json()
    return api


def mentee(as_user: Any, sub: str, name: str, levels: dict[str, int], targets: dict[str, int], **kwargs: Any) -> Any:
    api = rated(as_user, sub, name, levels, **kwargs)
    response = api.put("/mentoring/ask", {"targets": targets, "scope": kwargs.get("scope", "course")})
    assert response.status_code == 200, response.get_json()
    return api


def user_id(api: Any) -> int:
    return int(api.user_id)


def ask_for(api: Any, mentor_api: Any, message: str = "", scope: str = "course") -> Any:
    return api.post("/mentoring/requests", {"mentor_user_id": user_id(mentor_api), "message": message, "scope": scope})
