"""A learner's data rights: download everything in one file; erasure leaves no trace of them anywhere (every
table's text, the instance folder, the SQLite file itself) while other learners' data and the ledger's checks
stay intact; retention erases inactive learners."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Integer, select, update

from career_core.evidence import EvidenceSource, evidence_id
from lti_app.career.access import learner_id
from lti_app.extensions import db
from lti_app.models.career import EvidenceRecordRow
from lti_app.models.grades import ScoreDelivery
from lti_app.models.people import Context, LtiUser
from lti_app.models.profile import ErasureLog, LearnerProfile
from lti_app.models.roster import RosterMember
from tests.api.launching import ADMIN, INSTRUCTOR, Api, launch
from tests.lti.platform_peer import PlatformPeer

SUB = "zq-victim-7731"
NAME = "Mirabel Zephyrine-Quox"
EMAIL = "mirabel.zq7731@example.edu"
GOAL = "Chair the distinctive-goal-XK42 working group"
VISION = "vision-text-PLQ93 for a greener city"
NOTE = "note-text-WWV51 about my modelling"
CHECKIN = "checkin-text-RRM22 we talked about budgets"
REFLECTION = {"use_more": "reflection-text-HJK64 I could coach the new analysts every week"}
LINE_ITEM = "https://lms-a.example.edu/lineitems/7"


def _victim(client: Any, peer: PlatformPeer, peer_b: PlatformPeer) -> tuple[Api, dict[str, Any]]:
    api = Api(
        client,
        launch(
            client,
            peer,
            sub=SUB,
            resource_link_id="sa-link",
            custom={"component": "self_assessment"},
            line_item=LINE_ITEM,
            extra_claims={"name": NAME, "email": EMAIL},
        ),
    )
    sitting = api.post("/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": 3, "note": NOTE}]})
    assert sitting.status_code == 201
    plan = api.post("/plans", {"vision": VISION, "goals": [{"title": GOAL, "skill_code": "2.A.1.a"}]}).get_json()
    api.post(f"/plans/{plan['id']}/checkins", {"held_on": "2026-11-01", "notes": CHECKIN})
    api.put("/reflections/strengths", {"answers": REFLECTION})
    api.put("/career/target", {"role_code": "11-1021.00"})
    api.put("/profile/shares", {"shares": {"plans": True}})
    # Linked with an identity on platform B, whose own records are that platform's to erase, not this one's.
    other_platform = Api(client, launch(client, peer_b, sub="mia-on-b", context_id="mooc"))
    other_platform.put("/reflections/values", {"answers": {}})
    code = api.post("/profile/link-code").get_json()["code"]
    assert other_platform.post("/profile/links", {"code": code}).status_code == 200
    api.post("/profile/link-code")  # a fresh code waiting, never used
    return api, plan


def _other_learner(client: Any, peer: PlatformPeer) -> Api:
    api = Api(
        client,
        launch(
            client,
            peer,
            sub="other-learner",
            resource_link_id="sa-link",
            custom={"component": "self_assessment"},
            line_item=LINE_ITEM,
        ),
    )
    api.post("/assessments", {"ratings": [{"skill_code": "2.A.1.b", "level": 2}]})
    api.post("/plans", {"vision": "someone else's vision"})
    return api


@pytest.fixture()
def setting(client, peer_a, peer_b, onet) -> dict[str, Any]:
    victim, plan = _victim(client, peer_a, peer_b)
    other = _other_learner(client, peer_a)
    teacher = Api(client, launch(client, peer_a, sub="teacher-1", roles=INSTRUCTOR))
    teacher.get(f"/plans/{plan['id']}")  # logged: a read of the victim's plan
    teacher.post(f"/plans/{plan['id']}/checkins", {"held_on": "2026-11-03", "notes": "teacher note"})
    victim_user = db.session.scalars(select(LtiUser).filter_by(sub=SUB)).one()
    context = db.session.scalars(select(Context).filter_by(lti_context_id="course-1")).one()
    db.session.add(RosterMember(context_pk=context.id, user_id=SUB, name=NAME, email=EMAIL, role="learner"))
    db.session.add(RosterMember(context_pk=context.id, user_id="other-learner", name="Other", role="learner"))
    db.session.commit()
    return {
        "victim": victim,
        "plan": plan,
        "other": other,
        "teacher": teacher,
        "needles": [SUB, NAME, EMAIL, GOAL, VISION, NOTE, CHECKIN, REFLECTION["use_more"], learner_id(victim_user)],
    }


def test_the_learner_downloads_everything_in_one_file(client, setting) -> None:
    response = setting["victim"].get("/profile/export")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="career-toolkit-data.json"'
    assert response.headers["Cache-Control"] == "no-store"
    document = json.loads(response.get_data(as_text=True))
    assert document["format"] == "career-toolkit-export/1"
    identities = {i["sub"]: i for i in document["identities"]}
    assert set(identities) == {SUB, "mia-on-b"}  # every linked identity: it is all the learner's own
    assert (identities[SUB]["name"], identities[SUB]["email"]) == (NAME, EMAIL)
    assert [s["ratings"][0]["note"] for s in document["self_assessments"]] == [NOTE]
    (plan,) = document["development_plans"]
    assert (plan["vision"], plan["goals"][0]["title"]) == (VISION, GOAL)
    assert [c["notes"] for c in plan["checkins"]] == [CHECKIN, "teacher note"]
    assert {r["exercise"]: r["answers"] for r in document["reflections"]}["strengths"] == REFLECTION
    assert document["career_targets"][0]["target_role_code"] == "11-1021.00"
    evidence = document["evidence"]
    assert evidence["version"] == "1.0.3"
    assert evidence["statements"] and all(s["actor"]["account"]["name"] for s in evidence["statements"])
    assert document["credentials"] and all("OpenBadgeCredential" in c["type"] for c in document["credentials"])
    what = {r["what"] for r in document["record_reads"]}
    assert what == {f"plan {setting['plan']['id']}", "self-assessments (cohort heat map)"}
    assert [s["kind"] for s in document["shares"]] == ["plans"]
    assert {c["context_id"] for c in document["courses"]} == {"course-1", "mooc"}

    # The same file from the learner's pages (a form post with the launch token, no cookie).
    page = client.post("/pages/profile/export", data={"token": setting["victim"].token})
    assert page.status_code == 200 and json.loads(page.get_data(as_text=True))["identities"] == document["identities"]
    assert client.post("/pages/profile/export", data={"token": "forged"}).status_code == 401
    # Nobody else's download holds any of it.
    assert not any(n in setting["other"].get("/profile/export").get_data(as_text=True) for n in setting["needles"])


def _texts(value: Any) -> str:
    return json.dumps(value, default=str) if isinstance(value, dict | list) else str(value)


def _rows_holding(needles: list[str]) -> list[tuple[str, str]]:
    """(table, needle) for every row of every table whose text holds a needle."""
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)).all():
            text = " ".join(_texts(value) for value in row)
            found.extend((table.name, needle) for needle in needles if needle in text)
    return found


def _files_holding(folder: Path, needles: list[str]) -> list[tuple[str, str]]:
    found = []
    for root, _, names in os.walk(folder):
        for name in names:
            data = (Path(root) / name).read_bytes()
            found.extend((name, needle) for needle in needles if needle.encode() in data)
    return found


def _rows_of(user_id: int) -> dict[str, list[tuple[Any, ...]]]:
    result = {}
    for table in db.metadata.sorted_tables:
        if "user_id" in table.columns and isinstance(table.c.user_id.type, Integer):  # roster_member's is a sub
            rows = db.session.execute(select(table).where(table.c.user_id == user_id).order_by(table.c.id)).all()
            result[table.name] = [tuple(row) for row in rows]
    return result


def _ledger_checks() -> None:
    """The ledger's own guarantees: unique ids, each id the one its content yields."""
    rows = db.session.scalars(select(EvidenceRecordRow)).all()
    assert len({row.evidence_id for row in rows}) == len(rows)
    for row in rows:
        recorded = row.recorded_at.replace(tzinfo=UTC) if row.recorded_at.tzinfo is None else row.recorded_at
        expected = evidence_id(row.learner_id, row.skill_code, EvidenceSource(row.source), recorded, row.activity_id)
        assert row.evidence_id == expected


def _database_files(app: Flask) -> list[Path]:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if not uri.startswith("sqlite:///"):
        return []
    path = Path(uri.removeprefix("sqlite:///"))
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal")) if p.exists()]


def test_erasure_leaves_no_trace_and_everyone_else_intact(app, runner, peer_a, setting) -> None:
    needles = setting["needles"]
    assert _rows_holding(needles)  # the search finds them before
    if _database_files(app):
        before = b"".join(path.read_bytes() for path in _database_files(app))
        assert all(n.encode() in before for n in needles)  # and so does the search of the SQLite files
    other = db.session.scalars(select(LtiUser).filter_by(sub="other-learner")).one()
    mia_on_b = db.session.scalars(select(LtiUser).filter_by(sub="mia-on-b")).one()
    other_before, b_before = _rows_of(other.id), _rows_of(mia_on_b.id)
    other_deliveries = db.session.scalars(select(ScoreDelivery.id).filter_by(user_sub="other-learner")).all()
    assert db.session.scalars(select(ScoreDelivery).filter_by(user_sub=SUB)).all()  # a score still owed
    _ledger_checks()

    result = runner.invoke(args=["learners", "erase", "--platform", peer_a.issuer, "--sub", SUB, "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()

    assert _rows_holding(needles) == []
    assert _files_holding(Path(app.instance_path), needles) == []
    for path in _database_files(app):  # SQLite: not even in free pages or the write-ahead log
        data = path.read_bytes()
        assert [n for n in needles if n.encode() in data] == [], path.name

    # Everyone else's records are as they were; the other platform's identity stands alone again.
    assert _rows_of(other.id) == other_before
    assert _rows_of(mia_on_b.id) == b_before
    db.session.refresh(mia_on_b)
    assert mia_on_b.profile_id is None and db.session.scalars(select(LearnerProfile)).all() == []
    assert db.session.scalars(select(ScoreDelivery.id).filter_by(user_sub="other-learner")).all() == other_deliveries
    assert db.session.scalars(select(ScoreDelivery).filter_by(user_sub=SUB)).all() == []  # no new score goes out
    _ledger_checks()
    assert setting["other"].get("/evidence").get_json()["evidence"]
    assert setting["victim"].get("/me").status_code == 401  # their launch is gone too

    (log,) = db.session.scalars(select(ErasureLog)).all()
    assert log.receipt in result.output and log.requested_by == "cli" and log.reason == "request"
    assert log.counts["development_plan"] == 1 and log.counts["lti_user"] == 1


def test_erasing_a_staff_member_keeps_the_learners_checkins_without_their_name(runner, peer_a, setting) -> None:
    teacher = db.session.scalars(select(LtiUser).filter_by(sub="teacher-1")).one()
    db.session.execute(update(LtiUser).where(LtiUser.id == teacher.id).values(name="Prof Vexillum-Tate"))
    db.session.commit()
    result = runner.invoke(args=["learners", "erase", "--platform", peer_a.issuer, "--sub", "teacher-1", "--yes"])
    assert result.exit_code == 0, result.output
    checkins = setting["victim"].get(f"/plans/{setting['plan']['id']}/checkins").get_json()["checkins"]
    assert {c["notes"] for c in checkins} == {CHECKIN, "teacher note"}
    assert "Erased user" in {c["author_name"] for c in checkins}
    reads = setting["victim"].get("/profile/record-reads").get_json()["reads"]
    assert reads and {r["reader"] for r in reads} == {"A former staff member"}
    assert _rows_holding(["Prof Vexillum-Tate", "teacher-1"]) == []


def test_erase_refuses_unknown_learners_and_asks_first(runner, peer_a, setting) -> None:
    result = runner.invoke(args=["learners", "erase", "--platform", peer_a.issuer, "--sub", "nobody", "--yes"])
    assert result.exit_code != 0 and "no learner" in result.output
    result = runner.invoke(args=["learners", "erase", "--platform", peer_a.issuer, "--sub", SUB], input="n\n")
    assert result.exit_code != 0
    assert db.session.scalars(select(LtiUser).filter_by(sub=SUB)).one()


def test_the_administrators_page_erases_only_its_own_platforms_learners(client, peer_a, peer_b, setting) -> None:
    admin_token = launch(client, peer_a, sub="admin-a", roles=ADMIN)
    page = client.post("/admin/learners", data={"api_token": admin_token})
    assert page.status_code == 200 and NAME in page.get_data(as_text=True)
    assert "mia-on-b" not in page.get_data(as_text=True)  # platform B's people are not listed
    victim = db.session.scalars(select(LtiUser).filter_by(sub=SUB)).one()
    on_b = db.session.scalars(select(LtiUser).filter_by(sub="mia-on-b")).one()

    assert client.post("/admin/learners", data={"api_token": setting["teacher"].token}).status_code == 403
    assert client.post("/admin/learners", data={"api_token": "forged"}).status_code == 401
    wrong = client.post("/admin/learners/erase", data={"api_token": admin_token, "user_id": on_b.id, "confirm": "x"})
    assert wrong.status_code == 404
    mismatch = {"api_token": admin_token, "user_id": victim.id, "confirm": "not-the-sub"}
    assert client.post("/admin/learners/erase", data=mismatch).status_code == 400
    assert db.session.get(LtiUser, victim.id) is not None

    done = client.post("/admin/learners/erase", data={"api_token": admin_token, "user_id": victim.id, "confirm": SUB})
    assert done.status_code == 200
    (log,) = db.session.scalars(select(ErasureLog)).all()
    assert log.receipt in done.get_data(as_text=True) and log.requested_by == "administrator"
    db.session.expire_all()
    assert _rows_holding(setting["needles"]) == []


def test_retention_erases_inactive_learners(client, runner, peer_a, setting, app) -> None:
    admin_token = launch(client, peer_a, sub="admin-a", roles=ADMIN)
    assert client.post("/admin/learners/retention", data={"api_token": admin_token, "days": "0"}).status_code == 400
    assert client.post("/admin/learners/retention", data={"api_token": admin_token, "days": "30"}).status_code == 200
    shown = runner.invoke(args=["learners", "retention", "--platform", peer_a.issuer])
    assert "30 days" in shown.output
    long_ago = (datetime.now(UTC) - timedelta(days=45)).replace(tzinfo=None)
    db.session.execute(update(LtiUser).where(LtiUser.sub == SUB).values(last_launch_at=long_ago))
    db.session.commit()

    dry = runner.invoke(args=["learners", "purge-inactive", "--dry-run"])
    assert "1 inactive learner(s) would be erased" in dry.output
    assert db.session.scalars(select(LtiUser).filter_by(sub=SUB)).one()
    result = runner.invoke(args=["learners", "purge-inactive"])
    assert result.exit_code == 0 and "Erased 1 inactive learner(s)" in result.output
    db.session.expire_all()
    assert _rows_holding(setting["needles"]) == []
    assert db.session.scalars(select(LtiUser).filter_by(sub="other-learner")).one()
    (log,) = db.session.scalars(select(ErasureLog)).all()
    assert (log.reason, log.retention_days) == ("retention", 30)
    # Platform B keeps its learners: it set no retention.
    assert db.session.scalars(select(LtiUser).filter_by(sub="mia-on-b")).one()
    # Back to "until erased".
    runner.invoke(args=["learners", "retention", "--platform", peer_a.issuer, "--forever"])
    assert "until erased" in runner.invoke(args=["learners", "retention", "--platform", peer_a.issuer]).output
