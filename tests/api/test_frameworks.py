"""Frameworks: list, detail, CASE and CSV export with attribution, CASE import by staff only."""

from __future__ import annotations

import csv
import io
import json

from career_core.attribution import ONET_ATTRIBUTION
from tests.api.launching import INSTRUCTOR


def test_list_and_detail_carry_the_onet_attribution(as_user, onet) -> None:
    api = as_user()
    listed = api.get("/frameworks").get_json()["frameworks"]
    assert [f["identifier"] for f in listed] == [onet]
    assert listed[0]["attribution"] == ONET_ATTRIBUTION
    detail = api.get(f"/frameworks/{onet}").get_json()
    assert len(detail["skills"]) == 35 and detail["scale"]["id"] == "onet-lv"
    assert detail["attribution"] == ONET_ATTRIBUTION


def test_unknown_framework_is_404(as_user) -> None:
    assert as_user().get("/frameworks/nope").status_code == 404


def test_case_export_carries_attribution_and_licence(as_user, onet) -> None:
    package = as_user().get(f"/frameworks/{onet}?format=case").get_json()
    assert package["CFDocument"]["identifier"] == onet
    assert package["CFDocument"]["notes"] == ONET_ATTRIBUTION
    assert "creativecommons.org" in package["CFDocument"]["licenseURI"]["uri"]
    assert len(package["CFItems"]) == 35


def test_csv_export_by_suffix_and_by_format(as_user, onet) -> None:
    api = as_user()
    for path in (f"/frameworks/{onet}.csv", f"/frameworks/{onet}?format=csv"):
        response = api.get(path)
        assert response.status_code == 200 and response.mimetype == "text/csv"
        rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
        assert len(rows) == 35
        assert rows[0]["attribution"] == ONET_ATTRIBUTION
        assert "O*NET" in response.headers["X-Attribution"]


def test_case_export_reimports_to_the_same_framework(as_user, onet) -> None:
    staff = as_user(sub="teacher", roles=INSTRUCTOR)
    package = staff.get(f"/frameworks/{onet}?format=case").get_json()
    same = staff.post("/frameworks", package)
    assert same.status_code == 200, same.get_json()
    original = staff.get(f"/frameworks/{onet}").get_json()
    assert same.get_json()["skills"] == original["skills"]

    # The same package under a new identifier lands as a new framework with identical content.
    package = json.loads(json.dumps(package).replace(onet, "11111111-2222-3333-4444-555555555555"))
    created = staff.post("/frameworks", package)
    assert created.status_code == 201, created.get_json()
    copy = created.get_json()
    assert copy["skills"] == original["skills"] and copy["scale"] == original["scale"]
    assert copy["title"] == original["title"] and copy["version"] == original["version"]
    assert copy["attribution"] == ONET_ATTRIBUTION
    assert {f["identifier"] for f in staff.get("/frameworks").get_json()["frameworks"]} == {
        onet,
        "11111111-2222-3333-4444-555555555555",
    }


def test_changed_content_under_an_existing_identifier_is_409(as_user, onet) -> None:
    staff = as_user(sub="teacher", roles=INSTRUCTOR)
    package = staff.get(f"/frameworks/{onet}?format=case").get_json()
    package["CFDocument"]["title"] = "Changed"
    assert staff.post("/frameworks", package).status_code == 409


def test_invalid_case_package_lands_nothing_and_names_every_problem(as_user, onet) -> None:
    staff = as_user(sub="teacher", roles=INSTRUCTOR)
    package = staff.get(f"/frameworks/{onet}?format=case").get_json()
    package = json.loads(json.dumps(package).replace(onet, "new-framework"))
    package["CFItems"][0]["humanCodingScheme"] = ""
    package["CFItems"][1]["humanCodingScheme"] = package["CFItems"][2]["humanCodingScheme"]
    response = staff.post("/frameworks", package)
    assert response.status_code == 400
    fields = response.get_json()["errors"]["json"]
    assert "CFItems[0].code" in fields and "CFItems[2].code" in fields
    assert len(staff.get("/frameworks").get_json()["frameworks"]) == 1


def test_schema_errors_are_400_by_field(as_user) -> None:
    staff = as_user(sub="teacher", roles=INSTRUCTOR)
    response = staff.post("/frameworks", {"CFItems": "not a list"})
    assert response.status_code == 400
    assert set(response.get_json()["errors"]["json"]) == {"CFDocument", "CFItems"}


def test_learners_may_not_import(as_user, onet) -> None:
    learner = as_user()
    package = learner.get(f"/frameworks/{onet}?format=case").get_json()
    package = json.loads(json.dumps(package).replace(onet, "mine"))
    assert learner.post("/frameworks", package).status_code == 403


def test_an_import_is_seen_only_by_its_deployment(as_user, peer_b, onet) -> None:
    staff = as_user(sub="teacher", roles=INSTRUCTOR)
    package = staff.get(f"/frameworks/{onet}?format=case").get_json()
    package = json.loads(json.dumps(package).replace(onet, "private-framework"))
    assert staff.post("/frameworks", package).status_code == 201
    other = as_user(peer=peer_b, sub="teacher", roles=INSTRUCTOR)
    assert other.get("/frameworks/private-framework").status_code == 404
    assert [f["identifier"] for f in other.get("/frameworks").get_json()["frameworks"]] == [onet]
    # The other platform may import the same identifier for itself.
    assert other.post("/frameworks", package).status_code == 201
