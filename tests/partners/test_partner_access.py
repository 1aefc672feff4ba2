"""Managers and mentors see only the learners who shared with them and only what each shared; revoking acts at
once; a role_scope_mentor mentor mentors exactly the users listed; invitations are single-use, expire, and stay on
their platform; nothing crosses platforms. Every test goes through real launches and the real API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from lti_app.extensions import db
from lti_app.models.partners import PartnerLink
from lti_app.models.profile import RecordAccess
from tests.api.launching import INSTRUCTOR

MANAGER_ROLE = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Manager"]
MENTOR_ROLE = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"]
SCOPE = "https://purl.imsglobal.org/spec/lti/claim/role_scope_mentor"
SKILL = "2.A.1.a"


def person(as_user: Any, sub: str, name: str, roles: list[str] | None = None, **kwargs: Any) -> Any:
    return as_user(sub=sub, roles=roles, extra_claims={"name": name, **kwargs.pop("extra", {})}, **kwargs)


def learner_with_work(as_user: Any, sub: str, name: str) -> tuple[Any, dict[str, Any]]:
    api = person(as_user, sub, name)
    api.post("/assessments", {"ratings": [{"skill_code": SKILL, "level": 3}]})
    plan = api.post(
        "/plans", {"vision": f"{name}'s private vision", "goals": [{"title": "Lead a review", "skill_code": SKILL}]}
    ).get_json()
    api.put("/reflections/strengths", {"answers": {"use_more": f"{name}'s private strengths"}})
    return api, plan


def invite_by_link(learner: Any, partner: Any, kind: str = "manager") -> int:
    invitation = learner.post("/people/invitations", {"kind": kind}).get_json()
    accepted = partner.post("/people/invitations/accept", {"invitation": invitation["url"]})
    assert accepted.status_code == 200, accepted.get_json()
    return int(accepted.get_json()["id"])


def test_a_manager_sees_only_learners_who_shared_and_only_the_shared_items(as_user) -> None:
    mia, mia_plan = learner_with_work(as_user, "mia", "Mia")
    leo, _ = learner_with_work(as_user, "leo", "Leo")
    boss = person(as_user, "boss", "Bea Boss", MANAGER_ROLE)
    link = invite_by_link(mia, boss)

    # Linked but nothing shared: the manager sees that Mia is there, and none of her records.
    assert [s["person"]["name"] for s in boss.get("/people").get_json()["supporting"]] == ["Mia"]
    view = boss.get(f"/people/learners/{link}").get_json()
    assert view["shared"] == [] and not {"plans", "checkins", "assessment", "reflections"} & set(view)
    assert "private" not in str(view)

    mia.put(f"/people/{link}/shares", {"items": ["plan"]})
    view = boss.get(f"/people/learners/{link}").get_json()
    assert [p["id"] for p in view["plans"]] == [mia_plan["id"]]
    assert "assessment" not in view and "reflections" not in view and "checkins" not in view
    assert "Mia's private strengths" not in str(view)

    mia.put(f"/people/{link}/shares", {"items": ["plan", "assessment", "reflections", "checkins"]})
    view = boss.get(f"/people/learners/{link}").get_json()
    assert view["assessment"]["ratings"][0]["level"] == 3
    assert "Mia's private strengths" in str(view["reflections"])

    # Leo never invited the manager: no link id of his answers, and nothing of his is anywhere.
    leo_links = db.session.scalars(select(PartnerLink.id)).all()
    for other in set(range(1, max(leo_links) + 5)) - {link}:
        assert boss.get(f"/people/learners/{other}").status_code == 404
    assert "Leo" not in str(boss.get("/people").get_json())
    # The manager role is not course staff any more: no cohort, no other learner's plan.
    assert boss.get("/context/learners").status_code == 403
    leo_plans = leo.get("/plans").get_json()["plans"]
    assert boss.get(f"/plans/{leo_plans[0]['id']}").status_code == 404


def test_revoking_a_share_or_ending_the_link_removes_access_at_once(as_user) -> None:
    mia, plan = learner_with_work(as_user, "mia", "Mia")
    boss = person(as_user, "boss", "Bea Boss", MANAGER_ROLE)
    link = invite_by_link(mia, boss)
    mia.put(f"/people/{link}/shares", {"items": ["plan", "assessment"]})
    assert "plans" in boss.get(f"/people/learners/{link}").get_json()

    mia.put(f"/people/{link}/shares", {"items": ["assessment"]})
    view = boss.get(f"/people/learners/{link}").get_json()
    assert "plans" not in view and "assessment" in view
    checkin = {"plan_id": plan["id"], "held_on": "2026-11-30", "notes": "x"}
    assert boss.post(f"/people/learners/{link}/checkins", checkin).status_code == 403

    assert mia.call("DELETE", f"/people/{link}").status_code == 200
    assert boss.get(f"/people/learners/{link}").status_code == 404
    assert boss.post(f"/people/learners/{link}/verifications", {"skill_code": SKILL, "level": 4}).status_code == 404
    assert boss.get("/people").get_json()["supporting"] == []


def test_partner_reads_go_into_the_learners_record_read_log(as_user) -> None:
    mia, _ = learner_with_work(as_user, "mia", "Mia")
    boss = person(as_user, "boss", "Bea Boss", MANAGER_ROLE)
    link = invite_by_link(mia, boss)
    mia.put(f"/people/{link}/shares", {"items": ["plan"]})
    boss.get(f"/people/learners/{link}")

    reads = mia.get("/profile/record-reads").get_json()["reads"]
    assert reads[0]["reader"] == "Bea Boss" and reads[0]["reader_role"] == "manager" and reads[0]["via"] == "partner"
    assert db.session.scalars(select(RecordAccess.what)).all() == ["shared items: plan"]


def test_a_role_scope_mentor_mentors_exactly_the_listed_users(as_user) -> None:
    mia, _ = learner_with_work(as_user, "mia", "Mia")
    learner_with_work(as_user, "leo", "Leo")
    learner_with_work(as_user, "zoe", "Zoe")
    mentor = person(as_user, "mo", "Mo Mentor", MENTOR_ROLE, extra={SCOPE: ["mia", "leo"]})

    supporting = mentor.get("/people").get_json()["supporting"]
    assert sorted(s["person"]["name"] for s in supporting) == ["Leo", "Mia"]
    assert {s["kind"] for s in supporting} == {"mentor"} and {s["source"] for s in supporting} == {"lti_scope"}
    # The platform vouches for the relationship; what the mentor sees is still the learner's choice.
    mia_link = next(s["id"] for s in supporting if s["person"]["name"] == "Mia")
    assert mentor.get(f"/people/learners/{mia_link}").get_json()["shared"] == []
    mia_side = mia.get("/people").get_json()["partners"]
    assert [(p["person"]["name"], p["kind"], p["state"]) for p in mia_side] == [("Mo Mentor", "mentor", "active")]
    mia.put(f"/people/{mia_link}/shares", {"items": ["plan"]})
    assert "plans" in mentor.get(f"/people/learners/{mia_link}").get_json()

    # Next launch lists only Leo: Mia's link ends there and then.
    mentor = person(as_user, "mo", "Mo Mentor", MENTOR_ROLE, extra={SCOPE: ["leo"]})
    assert [s["person"]["name"] for s in mentor.get("/people").get_json()["supporting"]] == ["Leo"]
    assert mentor.get(f"/people/learners/{mia_link}").status_code == 404
    # A role_scope_mentor claim without the Mentor role grants nothing.
    learner = person(as_user, "eve", "Eve", extra={SCOPE: ["zoe"]})
    assert learner.get("/people").get_json()["supporting"] == []


def test_invitation_links_are_single_use_expire_and_stay_on_their_platform(as_user, peer_b, app) -> None:
    mia, _ = learner_with_work(as_user, "mia", "Mia")
    boss = person(as_user, "boss", "Bea Boss", MANAGER_ROLE)
    other = person(as_user, "kim", "Kim")
    invitation = mia.post("/people/invitations", {"kind": "mentor"}).get_json()
    code = invitation["code"]
    assert code not in str(db.session.scalars(select(PartnerLink.invite_hash)).all())  # only the hash at rest

    # The same sub on another platform is another person: refused, and the link still works on its platform.
    stranger = as_user(peer=peer_b, sub="boss", roles=MANAGER_ROLE)
    refused = stranger.post("/people/invitations/accept", {"invitation": invitation["url"]})
    assert refused.status_code == 403
    assert mia.post("/people/invitations/accept", {"invitation": code}).status_code == 409  # one's own
    assert boss.post("/people/invitations/accept", {"invitation": code}).status_code == 200
    again = other.post("/people/invitations/accept", {"invitation": code})
    assert again.status_code == 400 and "used" in str(again.get_json())
    assert stranger.get("/people").get_json()["supporting"] == []

    late = mia.post("/people/invitations", {"kind": "manager"}).get_json()
    row = db.session.scalars(select(PartnerLink).where(PartnerLink.state == "invited")).one()
    row.invite_expires_at = row.invite_expires_at - timedelta(days=8)
    db.session.commit()
    expired = boss.post("/people/invitations/accept", {"invitation": late["url"]})
    assert expired.status_code == 400 and "expired" in str(expired.get_json())
    assert boss.post("/people/invitations/accept", {"invitation": "not-a-code"}).status_code == 400


def test_roster_invitations_are_accepted_or_declined_by_the_invited_person(as_user) -> None:
    mia, _ = learner_with_work(as_user, "mia", "Mia")
    boss = person(as_user, "boss", "Bea Boss", MANAGER_ROLE)
    teacher = person(as_user, "teach", "Tia Teacher", INSTRUCTOR)
    members = {m["sub"] for m in mia.get("/people/roster").get_json()["members"]}
    assert {"boss", "teach"} <= members and "mia" not in members

    made = mia.post("/people/invitations", {"kind": "manager", "sub": "boss"}).get_json()
    assert made["state"] == "invited"
    assert mia.post("/people/invitations", {"kind": "manager", "sub": "boss"}).status_code == 409
    assert mia.post("/people/invitations", {"kind": "manager", "sub": "nobody"}).status_code == 400
    assert mia.post("/people/invitations", {"kind": "boss", "sub": "boss"}).status_code == 400
    # Until accepted, the invitation grants nothing even when items are shared.
    mia.put(f"/people/{made['id']}/shares", {"items": ["plan"]})
    assert boss.get(f"/people/learners/{made['id']}").status_code == 404
    assert teacher.post(f"/people/{made['id']}/respond", {"accept": True}).status_code == 404
    assert boss.post(f"/people/{made['id']}/respond", {"accept": True}).get_json()["state"] == "active"
    assert "plans" in boss.get(f"/people/learners/{made['id']}").get_json()

    declined = mia.post("/people/invitations", {"kind": "mentor", "sub": "teach"}).get_json()
    assert teacher.post(f"/people/{declined['id']}/respond", {"accept": False}).get_json()["state"] == "ended"
    assert teacher.get(f"/people/learners/{declined['id']}").status_code == 404


def test_nothing_crosses_platforms(as_user, peer_b) -> None:
    mia, _ = learner_with_work(as_user, "mia", "Mia")
    boss = person(as_user, "boss", "Bea Boss", MANAGER_ROLE)
    link = invite_by_link(mia, boss)
    mia.put(f"/people/{link}/shares", {"items": ["plan", "assessment", "reflections", "checkins"]})
    # Platform B reuses every sub and course id: its "boss" and its mentor see nothing of platform A's Mia.
    boss_b = as_user(peer=peer_b, sub="boss", roles=MANAGER_ROLE)
    assert boss_b.get(f"/people/learners/{link}").status_code == 404
    assert boss_b.get("/people").get_json() == {"partners": [], "supporting": []}
    mentor_b = as_user(peer=peer_b, sub="mo", roles=MENTOR_ROLE, extra_claims={SCOPE: ["mia"]})
    [scoped] = mentor_b.get("/people").get_json()["supporting"]
    assert mentor_b.get(f"/people/learners/{scoped['id']}").get_json()["shared"] == []  # platform B's own "mia"
    assert "Mia" not in str(mentor_b.get("/people").get_json())
    assert mia.get("/people").get_json()["partners"][0]["person"]["name"] == "Bea Boss"  # unchanged on A
