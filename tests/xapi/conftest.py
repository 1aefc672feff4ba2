"""Fixtures for the xAPI tests: two platforms, a registered source for each, and statements as a block makes them."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from career_core.evidence import EvidenceSource, evidence_for_completion
from career_core.xapi import statement_for_evidence
from lti_app.platforms import PlatformRegistration, add_platform
from lti_app.xapi.sources import add_source

ISSUER_A = "https://courses.example.org"
ISSUER_B = "https://moodle.example.edu"
TOOL = "http://tool.test"  # the test app's BASE_URL: the namespace of the toolkit's vocabulary


@dataclass
class Source:
    name: str
    key: str
    secret: str
    issuer: str

    @property
    def headers(self) -> dict[str, str]:
        token = base64.b64encode(f"{self.key}:{self.secret}".encode()).decode()
        return {"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3"}


def register_platform(name: str, issuer: str) -> None:
    add_platform(
        PlatformRegistration(
            name=name,
            issuer=issuer,
            client_id="client-" + name,
            auth_login_url=issuer + "/auth",
            auth_token_url=issuer + "/token",
            key_set_url=issuer + "/jwks",
            deployment_ids=["1"],
        )
    )


def make_source(name: str, issuer: str) -> Source:
    created = add_source(name, issuer)
    return Source(name, created.source.key, created.secret, issuer)


@pytest.fixture
def sources(app: Flask) -> dict[str, Source]:
    register_platform("Open edX", ISSUER_A)
    register_platform("Moodle", ISSUER_B)
    return {"a": make_source("openedx-blocks", ISSUER_A), "b": make_source("moodle-forwarder", ISSUER_B)}


def statement(
    sub: str = "ext-learner-1",
    *,
    issuer: str = ISSUER_A,
    skill: str = "2.A.1.a",
    level: int | None = 4,
    source: EvidenceSource = EvidenceSource.SELF_ASSESSMENT,
    at: datetime | None = None,
    activity: str = "block-v1:Org+Course+Run+type@career_self_assessment+block@1",
) -> dict[str, Any]:
    """A statement exactly as the blocks build it (career_core.xapi), for a learner of ``issuer``."""
    (record,) = evidence_for_completion(
        learner_id=sub,
        skill_levels={skill: level},
        source=source,
        recorded_at=at or datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
        activity_id=activity,
    )
    return statement_for_evidence(
        record, home_page=TOOL, skill_name=skill, platform="Open edX", framework_name="O*NET", account=(issuer, sub)
    )


def post(client: FlaskClient, source: Source, body: Any, **headers: str) -> Any:
    return client.post("/xapi/statements", json=body, headers={**source.headers, **headers})


def new_id() -> str:
    return str(uuid.uuid4())
