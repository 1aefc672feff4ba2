"""Erasure and the partnership: erasing a learner removes their links, shares and recognition; erasing a
manager keeps the learner's recognition and check-ins without the manager's name, and ends the relationship."""

from __future__ import annotations

from sqlalchemy import func, select

from lti_app.extensions import db
from lti_app.models.partners import PartnerLink, PartnerShare, RecognitionRecord
from tests.partners.test_partner_access import MANAGER_ROLE, SKILL, invite_by_link, learner_with_work, person


def _partnership(as_user):
    mia, plan = learner_with_work(as_user, "mia", "Mia")
    boss = person(as_user, "boss", "Bea Vexillum-Boss", MANAGER_ROLE)
    link = invite_by_link(mia, boss)
    mia.put(f"/people/{link}/shares", {"items": ["plan", "checkins", "assessment"]})
    assert boss.post(f"/people/learners/{link}/verifications", {"skill_code": SKILL, "level": 4}).status_code == 201
    checkin = {"plan_id": plan["id"], "held_on": "2026-11-30", "notes": "Good talk"}
    assert boss.post(f"/people/learners/{link}/checkins", checkin).status_code == 201
    goals = mia.get(f"/plans/{plan['id']}").get_json()["goals"]
    goals[0].update(achieved=True, achieved_at="2026-11-30")
    assert mia.patch(f"/plans/{plan['id']}", {"goals": goals}).status_code == 200
    body = {"plan_id": plan["id"], "goal_id": goals[0]["id"], "message": "Well led", "credential": True}
    assert boss.post(f"/people/learners/{link}/recognitions", body).status_code == 201
    return mia, boss, plan, link


def _count(model) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)))


def test_erasing_the_learner_removes_their_links_shares_and_recognition(as_user, runner, peer_a) -> None:
    _mia, boss, _plan, _link = _partnership(as_user)
    assert (_count(PartnerLink), _count(PartnerShare), _count(RecognitionRecord)) == (1, 3, 1)
    result = runner.invoke(args=["learners", "erase", "--platform", peer_a.issuer, "--sub", "mia", "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert (_count(PartnerLink), _count(PartnerShare), _count(RecognitionRecord)) == (0, 0, 0)
    assert boss.get("/people").get_json()["supporting"] == []


def test_erasing_the_manager_keeps_the_learners_recognition_without_the_name(as_user, runner, peer_a) -> None:
    mia, _boss, plan, _link = _partnership(as_user)
    result = runner.invoke(args=["learners", "erase", "--platform", peer_a.issuer, "--sub", "boss", "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    mine = mia.get("/people/recognition").get_json()
    assert [(r["message"], r["author_name"]) for r in mine["recognitions"]] == [
        ("Well led", "A former manager or mentor")
    ]
    checkins = mia.get(f"/plans/{plan['id']}/checkins").get_json()["checkins"]
    assert [c["notes"] for c in checkins] == ["Good talk"]
    assert mia.get("/people").get_json()["partners"] == []  # the relationship ended with the person
    assert "Vexillum" not in str(mine) + str(checkins) + str(mia.get("/evidence").get_json())
