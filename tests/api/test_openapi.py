"""The OpenAPI document lists every career endpoint and documents 400 (not 422) for invalid input."""

from __future__ import annotations


def test_openapi_documents_the_career_api(client) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    for path in (
        "/api/v1/frameworks",
        "/api/v1/assessments",
        "/api/v1/roles/{code}/gap",
        "/api/v1/career/next-roles",
        "/api/v1/career/recommendations",
        "/api/v1/plans/{plan_id}/transitions",
        "/api/v1/reflections/{template}",
        "/api/v1/evidence/badges",
        "/api/v1/context/learners/{user_id}/plans",
    ):
        assert path in paths, path
    for path, operations in paths.items():
        for method, operation in operations.items():
            if isinstance(operation, dict):
                assert "422" not in operation.get("responses", {}), (method, path)
    post = paths["/api/v1/assessments"]["post"]
    assert "400" in post["responses"] and "422" not in post["responses"]
    assert {"401", "403", "404"} <= set(post["responses"])


def test_openapi_describes_the_recommendation_lists(client) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    lists = schemas["Recommendations"]["properties"]
    assert {"closest", "step_up", "strongest", "related_moves", "combined", "level_zone"} <= set(lists)
    band = schemas["Recommendation"]["properties"]["band"]
    assert band["enum"] == ["very close", "close", "some gaps", "big gaps"]
    assert "fit" not in schemas["Recommendation"]["properties"]  # no percentage for the new lists


def test_openapi_declares_paging_on_every_list(client) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    paths, schemas = spec["paths"], spec["components"]["schemas"]
    for path in (
        "/api/v1/context/learners",
        "/api/v1/assessments",
        "/api/v1/evidence",
        "/api/v1/context/learners/{user_id}/assessments",
        "/api/v1/context/learners/{user_id}/evidence",
    ):
        get = paths[path]["get"]
        query = {p["name"]: p for p in get["parameters"] if p["in"] == "query"}
        assert {"page", "per_page"} <= set(query), path
        assert query["per_page"]["schema"]["maximum"] == 500 and query["page"]["schema"]["minimum"] == 1
        assert "400" in get["responses"], path
        body = get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        assert {"total", "page", "per_page", "pages", "next_page", "previous_page"} <= set(
            schemas[body]["properties"]
        ), path
