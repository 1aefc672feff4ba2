"""Registering platforms: validation with clear messages, and a registration lands whole or not at all."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lti_app.extensions import db
from lti_app.models.platform import Deployment, Platform


class PlatformError(ValueError):
    """The registration was refused; ``errors`` maps each bad field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


@dataclass
class PlatformRegistration:
    name: str
    issuer: str
    client_id: str
    auth_login_url: str
    auth_token_url: str
    key_set_url: str | None = None
    key_set: str | None = None
    auth_audience: str | None = None
    deployment_ids: list[str] = field(default_factory=list)

    def problems(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        for name in ("name", "issuer", "client_id"):
            if not (getattr(self, name) or "").strip():
                errors[name] = "is required"
        for name in ("issuer", "auth_login_url", "auth_token_url", "key_set_url", "auth_audience"):
            value = getattr(self, name)
            if value and not _is_http_url(value):
                errors.setdefault(name, f"must be an http(s) URL, not {value!r}")
        for name in ("auth_login_url", "auth_token_url"):
            if not getattr(self, name):
                errors.setdefault(name, "is required")
        if bool(self.key_set_url) == bool(self.key_set):
            errors["key_set_url"] = "give either a key set URL or an inline key set (JWKS), exactly one"
        if self.key_set:
            try:
                keys = json.loads(self.key_set).get("keys")
                if not isinstance(keys, list) or not keys:
                    raise ValueError
            except (ValueError, AttributeError):
                errors["key_set"] = 'must be a JWKS: {"keys": [...]}'
        cleaned = [deployment.strip() for deployment in self.deployment_ids]
        if not cleaned or any(not deployment for deployment in cleaned):
            errors["deployment_id"] = "at least one non-empty deployment id is required"
        elif len(set(cleaned)) != len(cleaned):
            errors["deployment_id"] = "deployment ids must not repeat"
        return errors


def _is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


def add_platform(registration: PlatformRegistration) -> Platform:
    """Validate and store a platform with its deployments. :raise PlatformError: nothing is written."""
    errors = registration.problems()
    if (
        not errors
        and db.session.scalars(
            select(Platform).where(Platform.issuer == registration.issuer, Platform.client_id == registration.client_id)
        ).first()
    ):
        errors["client_id"] = (
            f"a platform with issuer {registration.issuer!r} and client id {registration.client_id!r} "
            "is already registered"
        )
    if errors:
        raise PlatformError(errors)
    platform = Platform(
        name=registration.name.strip(),
        issuer=registration.issuer.strip(),
        client_id=registration.client_id.strip(),
        auth_login_url=registration.auth_login_url,
        auth_token_url=registration.auth_token_url,
        auth_audience=registration.auth_audience,
        key_set_url=registration.key_set_url,
        key_set=registration.key_set,
        deployments=[Deployment(deployment_id=value.strip()) for value in registration.deployment_ids],
    )
    db.session.add(platform)
    try:
        db.session.commit()
    except IntegrityError as error:  # a concurrent add of the same issuer + client id
        db.session.rollback()
        raise PlatformError({"client_id": "this issuer and client id are already registered"}) from error
    return platform


def add_deployment(platform: Platform, deployment_id: str) -> Deployment:
    deployment = Deployment(platform_id=platform.id, deployment_id=deployment_id)
    db.session.add(deployment)
    db.session.commit()
    return deployment


def find_platform(reference: str) -> Platform | None:
    """A platform by numeric id, by name, or by issuer when that is unambiguous."""
    if reference.isdigit():
        return db.session.get(Platform, int(reference))
    matches = db.session.scalars(
        select(Platform).where((Platform.name == reference) | (Platform.issuer == reference))
    ).all()
    return matches[0] if len(matches) == 1 else None


def remove_platform(platform: Platform) -> None:
    db.session.delete(platform)
    db.session.commit()
