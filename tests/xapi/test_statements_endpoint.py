"""POST/PUT/GET /xapi/statements: auth per source, the version header, validation, idempotency, conflicts,
platform boundaries, and the evidence statements leave in the ledger."""

from __future__ import annotations

import base64
import copy
import json

from flask.testing import FlaskClient
from sqlalchemy import func, select

from career_core.evidence import EvidenceSource
from lti_app.career.access import learner_id
from lti_app.extensions import db
from lti_app.models.career import EvidenceRecordRow
from lti_app.models.people import LtiUser
from lti_app.models.xapi import XapiStatementRow
from tests.xapi.conftest import ISSUER_A, ISSUER_B, Source, new_id, post, statement


def evidence_of(issuer: str, sub: str) -> list[tuple[str, int | None, str]]:
    user = db.session.scalars(select(LtiUser).filter_by(issuer=issuer, sub=sub)).one()
    rows = db.session.scalars(
        select(EvidenceRecordRow).filter_by(user_id=user.id).order_by(EvidenceRecordRow.recorded_at)
    )
    return [(row.skill_code, row.level, row.source) for row in rows]


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_statement_becomes_evidence_for_the_platforms_learner(client: FlaskClient, sources) -> None:
    sent = statement("ext-1")
    answer = post(client, sources["a"], sent)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json() == [sent["id"]]
    assert answer.headers["X-Experience-API-Version"] == "1.0.3"
    # A learner never seen before is created as the platform's LTI launch would name them: (issuer, sub).
    assert evidence_of(ISSUER_A, "ext-1") == [("2.A.1.a", 4, "self_assessment")]
    row = db.session.scalars(select(EvidenceRecordRow)).one()
    user = db.session.scalars(select(LtiUser).filter_by(sub="ext-1")).one()
    assert row.learner_id == learner_id(user) and row.context_pk is None


def test_an_array_answers_its_ids_in_order(client: FlaskClient, sources) -> None:
    batch = [statement("ext-1", skill="2.A.1.a"), statement("ext-1", skill="2.A.1.b", level=2)]
    del batch[1]["id"]  # the LRS assigns a missing id ...
    del batch[1]["timestamp"]  # ... and a missing timestamp: the time it stored the statement
    answer = post(client, sources["a"], batch)
    ids = answer.get_json()
    assert answer.status_code == 200 and len(ids) == 2 and ids[0] == batch[0]["id"]
    got = client.get(f"/xapi/statements?statementId={ids[1]}", headers=sources["a"].headers).get_json()
    assert got["id"] == ids[1] and got["timestamp"] == got["stored"]


def test_a_replay_is_idempotent_and_a_changed_statement_under_the_same_id_conflicts(
    client: FlaskClient, sources
) -> None:
    sent = statement("ext-1")
    assert post(client, sources["a"], sent).status_code == 200
    again = post(client, sources["a"], copy.deepcopy(sent))
    assert again.status_code == 200 and again.get_json() == [sent["id"]]
    # The same instant written in another zone is the same statement.
    shifted = {**sent, "timestamp": "2026-11-30T10:00:00.000+01:00"}
    assert post(client, sources["a"], shifted).status_code == 200
    assert count(XapiStatementRow) == 1 and count(EvidenceRecordRow) == 1

    changed = copy.deepcopy(sent)
    changed["result"]["extensions"]["http://tool.test/xapi/extensions/skill-level"] = 5
    conflict = post(client, sources["a"], changed)
    assert conflict.status_code == 409
    assert "already used" in conflict.get_json()["error"]
    # A batch with a conflict stores nothing of the batch.
    fresh = statement("ext-1", skill="2.A.1.c")
    assert post(client, sources["a"], [fresh, changed]).status_code == 409
    assert count(XapiStatementRow) == 1 and count(EvidenceRecordRow) == 1


def test_get_by_id_returns_the_stored_statement(client: FlaskClient, sources) -> None:
    sent = statement("ext-1")
    post(client, sources["a"], sent)
    got = client.get(f"/xapi/statements?statementId={sent['id']}", headers=sources["a"].headers)
    assert got.status_code == 200
    body = got.get_json()
    assert {k: v for k, v in body.items() if k not in ("stored", "authority", "version")} == sent
    assert body["version"] == "1.0.3" and body["stored"].endswith("Z")
    assert body["authority"]["account"]["name"] == "xapi-source/openedx-blocks"
    assert "X-Experience-API-Consistent-Through" in got.headers
    assert client.get(f"/xapi/statements?statementId={new_id()}", headers=sources["a"].headers).status_code == 404
    assert client.get("/xapi/statements?verb=x", headers=sources["a"].headers).status_code == 400
    assert client.get("/xapi/statements?statementId=nope", headers=sources["a"].headers).status_code == 400
    upper = client.get(f"/xapi/statements?statementId={sent['id'].upper()}", headers=sources["a"].headers)
    assert upper.get_json()["id"] == sent["id"]


def test_put_stores_under_the_given_id(client: FlaskClient, sources) -> None:
    sent = statement("ext-1")
    statement_id = sent.pop("id")
    url = f"/xapi/statements?statementId={statement_id}"
    assert client.put(url, json=sent, headers=sources["a"].headers).status_code == 204
    assert client.put(url, json=sent, headers=sources["a"].headers).status_code == 204
    other = {**sent, "timestamp": "2026-11-30T11:00:00.000Z"}
    assert client.put(url, json=other, headers=sources["a"].headers).status_code == 409
    mismatch = client.put(url, json={**sent, "id": new_id()}, headers=sources["a"].headers)
    assert mismatch.status_code == 400
    assert client.get(url, headers=sources["a"].headers).get_json()["id"] == statement_id


def test_authentication_is_per_registered_source(client: FlaskClient, sources) -> None:
    sent = statement("ext-1")
    no_auth = client.post("/xapi/statements", json=sent, headers={"X-Experience-API-Version": "1.0.3"})
    assert no_auth.status_code == 401 and no_auth.headers["WWW-Authenticate"].startswith("Basic")
    a = sources["a"]
    wrong = Source(a.name, a.key, a.secret + "x", a.issuer)
    assert post(client, wrong, sent).status_code == 401
    garbage = {"Authorization": "Basic !!!", "X-Experience-API-Version": "1.0.3"}
    assert client.post("/xapi/statements", json=sent, headers=garbage).status_code == 401
    swapped = base64.b64encode(f"{sources['b'].key}:{a.secret}".encode()).decode()
    mixed = {"Authorization": f"Basic {swapped}", "X-Experience-API-Version": "1.0.3"}
    assert client.post("/xapi/statements", json=sent, headers=mixed).status_code == 401
    assert count(XapiStatementRow) == 0


def test_the_version_header_is_required(client: FlaskClient, sources) -> None:
    headers = {k: v for k, v in sources["a"].headers.items() if k != "X-Experience-API-Version"}
    missing = client.post("/xapi/statements", json=statement(), headers=headers)
    assert missing.status_code == 400 and "X-Experience-API-Version" in missing.get_json()["error"]
    assert missing.headers["X-Experience-API-Version"] == "1.0.3"
    old = post(client, sources["a"], statement(), **{"X-Experience-API-Version": "0.95"})
    assert old.status_code == 400
    assert post(client, sources["a"], statement(), **{"X-Experience-API-Version": "1.0.0"}).status_code == 200
    assert client.get("/xapi/about").get_json() == {"version": ["1.0.3"]}


def test_a_source_writes_only_for_its_own_platforms_learners(client: FlaskClient, sources) -> None:
    # Source B (Moodle) tries to write evidence for a learner of platform A (Open edX), and the reverse.
    foreign = post(client, sources["b"], statement("ext-1", issuer=ISSUER_A))
    assert foreign.status_code == 403 and ISSUER_B in foreign.get_json()["error"]
    assert post(client, sources["a"], statement("m-1", issuer=ISSUER_B)).status_code == 403
    assert count(XapiStatementRow) == 0 and count(EvidenceRecordRow) == 0
    # The same sub on two platforms is two people.
    post(client, sources["a"], statement("same-sub", issuer=ISSUER_A, level=3))
    moodle = statement("same-sub", issuer=ISSUER_B, level=5, activity="urn:m")
    assert post(client, sources["b"], moodle).status_code == 200
    assert evidence_of(ISSUER_A, "same-sub") == [("2.A.1.a", 3, "self_assessment")]
    assert evidence_of(ISSUER_B, "same-sub") == [("2.A.1.a", 5, "self_assessment")]
    # A source reads back only its platform's statements.
    sent = statement("ext-2", issuer=ISSUER_A)
    post(client, sources["a"], sent)
    url = f"/xapi/statements?statementId={sent['id']}"
    assert client.get(url, headers=sources["b"].headers).status_code == 404


def test_invalid_statements_are_refused_with_every_problem_and_nothing_is_stored(client: FlaskClient, sources) -> None:
    good = statement("ext-1")
    cases = {
        "statement.id": {**good, "id": "not-a-uuid"},
        "statement.actor": {**good, "actor": {"mbox": "mailto:someone@example.org"}},
        "statement.verb.id": {**good, "verb": {"id": "completed"}},
        "statement: unknown property 'colour'": {**good, "colour": "blue"},
        "statement.timestamp": {**good, "timestamp": "2026-11-30 09:00"},
        "statement.timestamp: must": {**good, "timestamp": "2026-11-30T09:00:00-00:00"},
        "statement.attachments": {**good, "attachments": []},
        "statement.result.score.scaled": {**good, "result": {"score": {"scaled": 7}}},
        "statement.object.objectType": {**good, "object": {"objectType": "Agent", "name": "x"}},
    }
    for expected, body in cases.items():
        answer = post(client, sources["a"], body)
        assert answer.status_code == 400, expected
        assert any(expected in problem for problem in answer.get_json()["errors"]), (expected, answer.get_json())
    batch = [statement("ext-1", skill="2.A.1.b"), {**good, "verb": 3}]
    answer = post(client, sources["a"], batch)
    assert answer.status_code == 400 and answer.get_json()["errors"][0].startswith("statements[1].verb")
    dup = statement("ext-1", skill="2.A.1.c")
    assert post(client, sources["a"], [dup, {**dup, "timestamp": "2026-12-01T00:00:00Z"}]).status_code == 400
    assert post(client, sources["a"], []).status_code == 400
    assert post(client, sources["a"], [statement(skill=f"2.A.1.{i}") for i in range(101)]).status_code == 400
    not_json = client.post(
        "/xapi/statements", data="{", headers={**sources["a"].headers, "Content-Type": "application/json"}
    )
    assert not_json.status_code == 400
    too_big = {**good, "result": {"response": "x" * 70_000}}
    assert post(client, sources["a"], too_big).status_code == 400
    assert count(XapiStatementRow) == 0 and count(EvidenceRecordRow) == 0


def test_other_verbs_are_stored_without_becoming_evidence(client: FlaskClient, sources) -> None:
    other = statement("ext-1")
    other["verb"] = {"id": "http://adlnet.gov/expapi/verbs/attempted", "display": {"en-US": "attempted"}}
    assert post(client, sources["a"], other).status_code == 200
    row = db.session.scalars(select(XapiStatementRow)).one()
    assert (row.outcome, row.evidence_ids) == ("ignored", [])
    assert count(EvidenceRecordRow) == 0


def test_the_evidence_rules_apply_to_statements(client: FlaskClient, sources) -> None:
    from datetime import UTC, datetime

    first = statement("ext-1", level=4, at=datetime(2026, 11, 30, 9, tzinfo=UTC))
    same_level = statement("ext-1", level=4, at=datetime(2026, 11, 30, 10, tzinfo=UTC))
    changed = statement("ext-1", level=5, at=datetime(2026, 11, 30, 11, tzinfo=UTC))
    goal = statement("ext-1", level=5, source=EvidenceSource.COMPLETED_ACTIVITY, activity="urn:plan:1")
    assert post(client, sources["a"], [first, same_level, changed, goal]).status_code == 200
    assert evidence_of(ISSUER_A, "ext-1") == [
        ("2.A.1.a", 4, "self_assessment"),
        ("2.A.1.a", 5, "completed_activity"),
        ("2.A.1.a", 5, "self_assessment"),
    ]
    outcomes = {r.statement_id: r.outcome for r in db.session.scalars(select(XapiStatementRow))}
    assert outcomes[same_level["id"]] == "ignored"
    # A verification needs a verifier other than the learner.
    verified = statement("ext-1", level=5, source=EvidenceSource.MANAGER_VERIFICATION, activity="urn:check-in:1")
    verified["context"]["instructor"] = {"account": {"homePage": ISSUER_A, "name": "ext-1"}}
    post(client, sources["a"], verified)
    assert [s for *_, s in evidence_of(ISSUER_A, "ext-1")].count("manager_verification") == 0
    by_manager = statement("ext-1", level=5, source=EvidenceSource.MANAGER_VERIFICATION, activity="urn:check-in:2")
    by_manager["context"]["instructor"] = {"account": {"homePage": ISSUER_A, "name": "manager-7"}}
    post(client, sources["a"], by_manager)
    assert [s for *_, s in evidence_of(ISSUER_A, "ext-1")].count("manager_verification") == 1


def test_a_forwarders_hand_written_statement_feeds_evidence_the_same_way(client: FlaskClient, sources) -> None:
    # As another LRS would forward it: an ADL verb, the skill as a context activity, no level, no extension.
    forwarded = {
        "id": new_id(),
        "actor": {"objectType": "Agent", "account": {"homePage": ISSUER_B + "/", "name": "m-77"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-GB": "completed"}},
        "object": {
            "id": "https://moodle.example.edu/mod/assign/view.php?id=12",
            "definition": {"name": {"en-GB": "Critical thinking essay"}},
        },
        "context": {"contextActivities": {"other": [{"id": "http://tool.test/xapi/skills/2.A.2.a"}]}},
        "timestamp": "2026-11-29T15:04:05+01:00",
    }
    assert post(client, sources["b"], forwarded).status_code == 200
    assert evidence_of(ISSUER_B, "m-77") == [("2.A.2.a", None, "completed_activity")]
    row = db.session.scalars(select(EvidenceRecordRow)).one()
    assert row.activity_url == forwarded["object"]["id"]


def test_erasing_a_learner_removes_the_statements_about_them(client: FlaskClient, sources) -> None:
    from lti_app.career.erasure import erase_identity

    post(client, sources["a"], [statement("to-erase"), statement("stays", activity="urn:other")])
    user = db.session.scalars(select(LtiUser).filter_by(sub="to-erase")).one()
    erasure = erase_identity(user, requested_by="admin")
    assert erasure.counts["xapi_statement"] == 1
    remaining = db.session.scalars(select(XapiStatementRow)).all()
    assert [row.statement["actor"]["account"]["name"] for row in remaining] == ["stays"]
    assert all("to-erase" not in str(row.statement) for row in remaining)


def test_hostile_bodies_are_refused_with_400_and_nothing_is_stored(client: FlaskClient, sources) -> None:
    headers = {**sources["a"].headers, "Content-Type": "application/json"}
    good = statement("ext-1")
    deep: list = []
    for _ in range(40):
        deep = [deep]
    bodies = {
        "nested too deeply": "[" * 100_000 + "]" * 100_000,
        "nested more than": json.dumps({**good, "result": {"extensions": {"http://x.example/e": deep}}}),
        "can't store": json.dumps({**good, "result": {"response": "a\u0000b"}}),
        "can't store (": json.dumps({**good, "result": {"response": "\ud800"}}),
    }
    for expected, data in bodies.items():
        answer = client.post("/xapi/statements", data=data, headers=headers)
        assert answer.status_code == 400, (expected, answer.get_data(as_text=True)[:200])
        assert expected in answer.get_json()["error"], (expected, answer.get_json())
    assert count(XapiStatementRow) == 0 and count(EvidenceRecordRow) == 0
