"""The API keeps the promises of its OpenAPI document under generated input (schemathesis, in-process WSGI).

Every operation the document lists is called with generated parameters and bodies, valid and invalid, as a
launched learner and as a launched instructor; no answer may be a server error, or a status, content type or
body the document does not declare. Generated ids mostly miss, so every read is also called once on records
that exist. Examples per operation are bounded so the file costs about a minute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.generation.modes import GenerationMode

from tests.api.launching import INSTRUCTOR, LEARNER, launch

EXAMPLES = 6
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@dataclass
class Launched:
    token: str
    known: dict[str, Any]  # path parameter values naming records that exist


@pytest.fixture(params=["learner", "instructor"])
def launched(request: pytest.FixtureRequest, client: Any, peer_a: Any, onet: str) -> Launched:
    """A learner's or an instructor's launch, in a course where the learner has a plan and a reflection."""
    token = launch(client, peer_a, sub="learner-1", roles=LEARNER)
    headers = {"Authorization": f"Bearer {token}"}
    plan = client.post("/api/v1/plans", json={"vision": "Data work"}, headers=headers).get_json()
    template = client.get("/api/v1/reflections", headers=headers).get_json()["reflections"][0]["key"]
    client.put(f"/api/v1/reflections/{template}", json={"answers": {}}, headers=headers)
    known = {
        "plan_id": plan["id"],
        "user_id": plan["owner"]["user_id"],
        "identifier": onet,
        "code": "15-2051.00",
        "template": template,
    }
    if request.param == "instructor":
        token = launch(client, peer_a, sub="staff-1", roles=INSTRUCTOR)
    return Launched(token, known)


def _operations(app: Flask) -> list[Any]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_generated_requests_get_documented_answers(app: Flask, launched: Launched, mode: GenerationMode) -> None:
    # schemathesis' own pytest integration (``from_fixture``) does not run under pytest 9 yet, so each
    # operation's strategy is driven through Hypothesis here; shrinking is off to keep the run bounded.
    headers = {"Authorization": f"Bearer {launched.token}"}
    failures: list[str] = []
    for operation in _operations(app):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def call(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            call()
        except (Exception, BaseExceptionGroup) as error:  # every operation's failure, not only the first
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)


def test_reads_of_existing_records_get_documented_answers(app: Flask, launched: Launched) -> None:
    headers = {"Authorization": f"Bearer {launched.token}"}
    failures: list[str] = []
    called = 0
    for operation in _operations(app):
        names = re.findall(r"\{([^}]+)\}", operation.path)
        if operation.method.upper() != "GET" or not all(name in launched.known for name in names):
            continue
        queries: list[dict[str, str]] = [{}]
        if operation.path.endswith("/frameworks/{identifier}"):
            queries += [{"format": "case"}, {"format": "csv"}]
        for query in queries:
            case = operation.Case(path_parameters={name: launched.known[name] for name in names}, query=query)
            called += 1
            try:
                case.call_and_validate(headers=headers, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as error:
                failures.append(f"{operation.label} {query}: {error}")
    assert called >= 25
    assert not failures, "\n\n".join(failures)
