"""Every malformed request gets a 4xx with a JSON error, never a 500 (issue 12): on SQLite and PostgreSQL alike.

Each case is sent to every JSON-body operation the OpenAPI document lists, so an endpoint added later is
covered without touching this file.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.api.launching import INSTRUCTOR, Api


def _json_operations(client: Any) -> list[tuple[str, str]]:
    spec = client.get("/api/v1/openapi.json").get_json()
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and "requestBody" in operation:
                found.append((method.upper(), re.sub(r"\{[^}]+\}", "1", path)))
    return found


def _assert_json_error(response: Any, status: int, where: str) -> dict[str, Any]:
    assert response.status_code == status, (where, response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json", where
    body = response.get_json()
    assert body["code"] == status and body["message"], where
    return body


@pytest.fixture()
def api(as_user: Any) -> Api:
    return as_user(sub="staff-1", roles=INSTRUCTOR)


def test_every_json_body_operation_is_found(api: Api) -> None:
    operations = _json_operations(api.client)
    assert ("POST", "/api/v1/plans") in operations
    assert ("POST", "/api/v1/frameworks") in operations
    assert len(operations) >= 10


DEPTH = 100_000
MALFORMED_BODIES = {
    "deep nesting": "[" * DEPTH + "]" * DEPTH,
    "deep nesting in an object": '{"vision": ' + "[" * DEPTH + "]" * DEPTH + "}",
    "nested past the limit but parseable": "[" * 40 + "]" * 40,
    "a number past JSON's safe range": "18446744073709551616",
    "a NUL character in a key": '{"a\\u0000b": 1}',
}


@pytest.mark.parametrize("case", sorted(MALFORMED_BODIES))
def test_malformed_json_bodies_answer_400(api: Api, case: str) -> None:
    for method, path in _json_operations(api.client):
        response = api.client.open(
            path,
            method=method,
            data=MALFORMED_BODIES[case],
            content_type="application/json",
            headers={"Authorization": f"Bearer {api.token}"},
        )
        body = _assert_json_error(response, 400, f"{case}: {method} {path}")
        assert body["errors"]["json"], (case, method, path)


UNSTORABLE = {"a NUL character": "a\\u0000b", "a lone high surrogate": "\\ud800", "a lone low surrogate": "x\\udfffy"}


@pytest.mark.parametrize("case", sorted(UNSTORABLE))
def test_text_the_database_cannot_store_answers_400_and_nothing_is_stored(api: Api, case: str) -> None:
    """Bodies otherwise valid, so only the text can be the reason for the 400."""
    plan_id = api.post("/plans", {"vision": "ok"}).get_json()["id"]
    text = UNSTORABLE[case]
    for method, path, raw in [
        ("POST", "/plans", '{"vision": "%s"}'),
        ("PATCH", f"/plans/{plan_id}", '{"vision": "%s"}'),
        ("POST", f"/plans/{plan_id}/goals", '{"title": "%s"}'),
        ("POST", f"/plans/{plan_id}/checkins", '{"held_on": "2026-12-01", "notes": "%s"}'),
        ("POST", f"/plans/{plan_id}/checkins", '{"held_on": "2026-12-01", "agreed_actions": ["%s"]}'),
    ]:
        response = api.client.open(
            "/api/v1" + path,
            method=method,
            data=raw % text,
            content_type="application/json",
            headers={"Authorization": f"Bearer {api.token}"},
        )
        body = _assert_json_error(response, 400, f"{case}: {method} {path}")
        assert "can't store" in str(body["errors"]), body
    plans = api.get("/plans").get_json()["plans"]
    assert [(p["vision"], p["goals"]) for p in plans] == [("ok", [])]
    assert api.get(f"/plans/{plan_id}/checkins").get_json()["checkins"] == []


MULTIPART = '--b\r\nContent-Disposition: form-data; name="vision"\r\n\r\nx\r\n--b--\r\n'


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("text/plain", json.dumps({"vision": "x"})),
        ("application/x-www-form-urlencoded", "vision=x"),
        ("multipart/form-data; boundary=b", MULTIPART),
    ],
)
def test_a_body_that_is_not_json_answers_415(api: Api, content_type: str, data: str) -> None:
    for method, path in _json_operations(api.client):
        response = api.client.open(
            path, method=method, data=data, content_type=content_type, headers={"Authorization": f"Bearer {api.token}"}
        )
        _assert_json_error(response, 415, f"{content_type}: {method} {path}")
    # Nothing was created behind the refusal.
    assert api.get("/plans").get_json()["plans"] == []


def test_an_empty_body_without_a_content_type_is_still_no_input(api: Api) -> None:
    # A bodiless POST is how pages and scripts say "nothing to add"; it must not turn into a 415.
    response = api.client.post("/api/v1/plans", headers={"Authorization": f"Bearer {api.token}"})
    assert response.status_code == 201


def test_an_oversized_body_answers_413_in_json(app: Any, api: Api) -> None:
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = json.dumps({"vision": "x" * (limit + 10)})
    response = api.client.post(
        "/api/v1/plans", data=body, content_type="application/json", headers={"Authorization": f"Bearer {api.token}"}
    )
    _assert_json_error(response, 413, "oversized")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/plans/18446744073709551616",
        "/api/v1/plans/2147483648",
        "/api/v1/plans/2147483648/checkins",
        "/api/v1/context/learners/9223372036854775808/plans",
    ],
)
def test_an_id_past_the_database_range_is_not_found(api: Api, path: str) -> None:
    _assert_json_error(api.client.get(path, headers={"Authorization": f"Bearer {api.token}"}), 404, path)


def test_the_largest_storable_id_is_an_ordinary_miss(api: Api) -> None:
    _assert_json_error(api.get("/plans/2147483647"), 404, "largest id")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/frameworks/a%00b",
        "/api/v1/frameworks/a%00b?format=csv",
        "/api/v1/roles/a%00b/gap",
        "/api/v1/frameworks?q=a%00b",
        "/api/v1/frameworks/onet?format=a%00b",
    ],
)
def test_a_nul_in_the_path_or_query_answers_400(api: Api, url: str) -> None:
    body = _assert_json_error(api.client.get(url, headers={"Authorization": f"Bearer {api.token}"}), 400, url)
    assert "can't store" in body["message"]


def test_valid_text_still_passes(api: Api) -> None:
    created = api.post("/plans", {"vision": "Grow into data work: naïve café ✓ 𝄞"})
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["vision"] == "Grow into data work: naïve café ✓ 𝄞"


@pytest.mark.parametrize("path", ["/people/learners/1/checkins", "/people/learners/1/recognitions"])
def test_an_id_in_a_body_past_the_database_range_answers_400(api: Api, path: str) -> None:
    # Within JSON's safe range, beyond PostgreSQL's integer: refused by the schema before any query.
    body = {"plan_id": 2**40, "held_on": "2026-12-01", "goal_id": "g", "message": "well done"}
    response = api.post(path, body)
    errors = _assert_json_error(response, 400, path)["errors"]["json"]
    assert "plan_id" in errors, errors
