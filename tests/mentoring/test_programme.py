"""The mentoring programme through real launches and the real API: proposals explained per skill, the request
life (request -> accepted/declined -> ended), sessions one-to-one and in small groups, feedback, the must-not
rules, and who may see and do what (nothing leaks across learners, courses or platforms)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from lti_app.extensions import db
from lti_app.models.mentoring import MentoringRequestRecord
from tests.api.launching import ADMIN, INSTRUCTOR
from tests.mentoring.helpers import MANAGER_ROLE, A, B, C, ask_for, mentee, mentor, person


def _invite_manager(learner: Any, manager: Any) -> None:
    invitation = learner.post("/people/invitations", {"kind": "manager"}).get_json()
    assert manager.post("/people/invitations/accept", {"invitation": invitation["url"]}).status_code == 200


def test_proposals_rank_mentors_by_how_much_of_the_gaps_they_cover_explained_per_skill(as_user) -> None:
    mentor(as_user, "ana", "Ana", {A: 6, B: 6})
    mentor(as_user, "ben", "Ben", {A: 4})
    mentor(as_user, "cy", "Cy", {C: 7})  # covers none of Mia's gaps: not proposed
    mia = mentee(as_user, "mia", "Mia", {A: 2, B: 2}, {A: 6, B: 4})

    body = mia.get("/mentoring/proposals").get_json()
    assert [p["mentor"]["name"] for p in body["proposals"]] == ["Ana", "Ben"]
    ana, ben = body["proposals"]
    assert ana["fit"] == 1.0 and ben["fit"] == 0.3333  # Ben covers 2 of the 6 levels of gap
    by_skill = {item["skill_code"]: item for item in ben["coverage"]}
    assert by_skill[A] == {
        **by_skill[A],
        "mentee_level": 2.0,
        "target": 6.0,
        "mentor_level": 4.0,
        "basis": "self_rated",
        "covered": 2.0,
        "share": 0.5,
    }
    assert by_skill[B]["mentor_level"] is None and by_skill[B]["covered"] == 0


def test_the_request_life_accept_session_on_an_agenda_end_with_feedback(as_user) -> None:
    ana = mentor(as_user, "ana", "Ana", {A: 6})
    mia = mentee(as_user, "mia", "Mia", {A: 2}, {A: 5})

    created = ask_for(mia, ana, "Mia's private note to Ana")
    assert created.status_code == 201, created.get_json()
    request = created.get_json()
    assert request["state"] == "requested" and request["allowed_actions"] == ["withdraw"]
    # The mentor sees the request with what Mia sent: her levels on the skills she asked about, and her note.
    seen = ana.get("/mentoring/requests").get_json()["as_mentor"]
    assert [r["person"]["name"] for r in seen] == ["Mia"] and seen[0]["allowed_actions"] == ["accept", "decline"]
    assert seen[0]["explanation"][0]["mentee_level"] == 2.0 and seen[0]["message"] == "Mia's private note to Ana"
    # Only the mentor answers.
    assert mia.post(f"/mentoring/requests/{request['id']}/respond", {"accept": True}).status_code == 409
    accepted = ana.post(f"/mentoring/requests/{request['id']}/respond", {"accept": True}).get_json()
    assert accepted["state"] == "accepted" and accepted["allowed_actions"] == ["end"]
    assert ana.post(f"/mentoring/requests/{request['id']}/respond", {"accept": False}).status_code == 409

    session = ana.post(
        "/mentoring/sessions",
        {"request_ids": [request["id"]], "held_on": "2026-11-20", "agenda_template": "strengths", "notes": "n"},
    )
    assert session.status_code == 201, session.get_json()
    body = session.get_json()
    assert body["format"] == "one_to_one" and body["agenda"]["title"] == "Strengths" and body["agenda"]["prompts"]
    assert [s["id"] for s in mia.get("/mentoring/sessions").get_json()["sessions"]] == [body["id"]]
    agendas = mia.get("/mentoring/agendas").get_json()["agendas"]
    assert "strengths" in {a["key"] for a in agendas}

    ended = mia.post(f"/mentoring/requests/{request['id']}/end", {"feedback": {"rating": 5, "text": "Thank you"}})
    assert ended.status_code == 200 and ended.get_json()["state"] == "ended"
    assert ended.get_json()["my_feedback"] == {"rating": 5, "text": "Thank you"}
    # Each side sees only their own feedback; each gives it once.
    assert ana.get("/mentoring/requests").get_json()["as_mentor"][0]["my_feedback"] is None
    assert ana.post(f"/mentoring/requests/{request['id']}/feedback", {"rating": 4}).status_code == 201
    assert ana.post(f"/mentoring/requests/{request['id']}/feedback", {"rating": 4}).status_code == 409
    assert mia.post(f"/mentoring/requests/{request['id']}/end", {}).status_code == 409
    assert mia.post(f"/mentoring/requests/{request['id']}/feedback", {"rating": 9}).status_code == 400


def test_one_open_request_per_mentee_capacity_is_kept_and_a_withdrawn_request_frees_the_mentee(as_user) -> None:
    ana = mentor(as_user, "ana", "Ana", {A: 6})
    ben = mentor(as_user, "ben", "Ben", {A: 6})
    mia = mentee(as_user, "mia", "Mia", {A: 2}, {A: 5})
    leo = mentee(as_user, "leo", "Leo", {A: 2}, {A: 5})

    first = ask_for(mia, ana, "Mia's first note").get_json()
    assert ask_for(mia, ben).status_code == 409
    assert mia.post(f"/mentoring/requests/{first['id']}/withdraw").get_json()["state"] == "withdrawn"
    # Withdrawn: the mentor keeps that it happened, not what Mia sent with it.
    (gone,) = ana.get("/mentoring/requests").get_json()["as_mentor"]
    assert gone["state"] == "withdrawn" and gone["explanation"] == [] and gone["message"] == ""
    second = ask_for(mia, ana).get_json()
    assert ana.post(f"/mentoring/requests/{second['id']}/respond", {"accept": True}).status_code == 200
    # Ana's one seat is taken: she is no longer proposed, and Leo cannot ask her.
    assert [p["mentor"]["name"] for p in leo.get("/mentoring/proposals").get_json()["proposals"]] == ["Ben"]
    assert ask_for(leo, ana).status_code == 409
    # Nor can she lower her capacity below her mentees (it is already 1) or accept beyond it.
    assert ana.put("/mentoring/offer", {"skills": [A], "capacity": 2}).get_json()["offer"]["seats_left"] == 1
    leo_request = ask_for(leo, ana).get_json()
    ana.put("/mentoring/offer", {"skills": [A], "capacity": 2})
    assert ana.post(f"/mentoring/requests/{leo_request['id']}/respond", {"accept": True}).status_code == 200
    assert ana.put("/mentoring/offer", {"skills": [A], "capacity": 1}).status_code == 409


def test_a_small_group_session_needs_a_mentor_with_room_for_the_group(as_user) -> None:
    ana = mentor(as_user, "ana", "Ana", {A: 6}, capacity=2)
    ids = []
    for sub, name in (("mia", "Mia"), ("leo", "Leo")):
        api = mentee(as_user, sub, name, {A: 2}, {A: 5})
        request = ask_for(api, ana).get_json()
        ana.post(f"/mentoring/requests/{request['id']}/respond", {"accept": True})
        ids.append(request["id"])
    group = ana.post("/mentoring/sessions", {"request_ids": ids, "held_on": "2026-11-21", "agenda_template": None})
    assert group.status_code == 201 and group.get_json()["format"] == "small_group"
    assert sorted(m["name"] for m in group.get_json()["mentees"]) == ["Leo", "Mia"]
    ana.put("/mentoring/offer", {"skills": [A], "capacity": 2})
    ben = mentor(as_user, "ben", "Ben", {A: 6})
    zoe = mentee(as_user, "zoe", "Zoe", {A: 2}, {A: 5})
    zoe_request = ask_for(zoe, ben).get_json()
    ben.post(f"/mentoring/requests/{zoe_request['id']}/respond", {"accept": True})
    # Ben (capacity 1) cannot hold a group, and nobody holds a session with someone else's mentee.
    assert (
        ben.post(
            "/mentoring/sessions", {"request_ids": [zoe_request["id"], ids[0]], "held_on": "2026-11-21"}
        ).status_code
        == 404
    )
    assert (
        ana.post("/mentoring/sessions", {"request_ids": [zoe_request["id"]], "held_on": "2026-11-21"}).status_code
        == 404
    )


def test_must_not_rules_oneself_ones_manager_and_a_mentor_who_declined(as_user) -> None:
    boss = mentor(as_user, "boss", "Bea Boss", {A: 7}, roles=MANAGER_ROLE)
    ana = mentor(as_user, "ana", "Ana", {A: 6})
    mia = mentee(as_user, "mia", "Mia", {A: 2}, {A: 5})
    _invite_manager(mia, boss)
    # Ana both volunteers and asks: she is never proposed to herself.
    ana.put("/mentoring/ask", {"targets": {A: 7}})

    assert [p["mentor"]["name"] for p in mia.get("/mentoring/proposals").get_json()["proposals"]] == ["Ana"]
    assert ask_for(mia, boss).status_code == 409
    assert ask_for(ana, ana).status_code == 409
    assert "Ana" not in [p["mentor"]["name"] for p in ana.get("/mentoring/proposals").get_json()["proposals"]]

    request = ask_for(mia, ana).get_json()
    assert ana.post(f"/mentoring/requests/{request['id']}/respond", {"accept": False}).get_json()["state"] == "declined"
    assert mia.get("/mentoring/proposals").get_json()["proposals"] == []
    refused = ask_for(mia, ana)
    assert refused.status_code == 409 and "declined" in refused.get_json()["message"]


def test_the_programme_assignment_maximises_fit_and_keeps_every_must_not_rule(as_user) -> None:
    boss = mentor(as_user, "boss", "Bea Boss", {A: 7, B: 7}, roles=MANAGER_ROLE)
    ana = mentor(as_user, "ana", "Ana", {A: 6})
    mentor(as_user, "ben", "Ben", {B: 6}, capacity=2)
    mia = mentee(as_user, "mia", "Mia", {A: 2, B: 2}, {A: 5, B: 5})
    leo = mentee(as_user, "leo", "Leo", {A: 2}, {A: 5})
    mentee(as_user, "zoe", "Zoe", {B: 2}, {B: 5})
    _invite_manager(mia, boss)
    # Leo was declined by Ana: the assignment may not pair them again.
    request = ask_for(leo, ana).get_json()
    ana.post(f"/mentoring/requests/{request['id']}/respond", {"accept": False})
    teacher = person(as_user, "teach", "Tess", INSTRUCTOR)

    body = teacher.get("/mentoring/assignment").get_json()
    pairs = {(p["mentee"]["name"], p["mentor"]["name"]): p for p in body["pairs"]}
    assert ("Mia", "Bea Boss") not in pairs and ("Leo", "Ana") not in pairs
    # Boss is free for Leo (not his manager); Mia takes Ana (A) and Zoe takes Ben (B), or Mia Ben: total is best.
    assert pairs[("Leo", "Bea Boss")]["fit"] == 1.0
    assert body["total_fit"] == 2.5 and body["excluded_pairs"] == 2 and body["unmatched"] == []
    assert all("mentee_level" not in skill for p in body["pairs"] for skill in p["skills"])
    assert mia.get("/mentoring/assignment").status_code == 403
    assert teacher.get("/mentoring/assignment?scope=platform").status_code == 403
    admin = person(as_user, "root", "Root", ADMIN)
    assert admin.get("/mentoring/assignment?scope=platform").get_json()["mentees"] == 0


def test_nobody_acts_on_or_sees_a_request_that_is_not_theirs(as_user) -> None:
    ana = mentor(as_user, "ana", "Ana", {A: 6})
    mia = mentee(as_user, "mia", "Mia", {A: 2}, {A: 5})
    mia_plan = mia.post("/plans", {"vision": "Mia's private vision"}).get_json()["id"]
    leo = mentee(as_user, "leo", "Leo", {A: 2}, {A: 5})
    ben = mentor(as_user, "ben", "Ben", {A: 6})
    request = ask_for(mia, ana, "private to Ana").get_json()
    rid = request["id"]

    for intruder in (leo, ben):
        assert intruder.post(f"/mentoring/requests/{rid}/respond", {"accept": True}).status_code == 404
        assert intruder.post(f"/mentoring/requests/{rid}/withdraw").status_code == 404
        assert intruder.post(f"/mentoring/requests/{rid}/end", {}).status_code == 404
        assert intruder.post(f"/mentoring/requests/{rid}/feedback", {"rating": 1}).status_code == 404
        assert intruder.post("/mentoring/sessions", {"request_ids": [rid], "held_on": "2026-11-20"}).status_code == 404
        mine = intruder.get("/mentoring/requests").get_json()
        assert "private to Ana" not in str(mine) and "Mia" not in str(mine)
    # The mentee cannot log a session on her own request (only the mentor holds them).
    assert mia.post("/mentoring/sessions", {"request_ids": [rid], "held_on": "2026-11-20"}).status_code == 404
    # Ben, another mentor, sees nothing of Mia in his proposals or requests; Leo's proposals show no mentee.
    assert "Mia" not in str(ben.get("/mentoring/requests").get_json())
    assert "Mia" not in str(leo.get("/mentoring/proposals").get_json())
    assert db.session.scalar(select(func.count()).select_from(MentoringRequestRecord)) == 1
    # Being asked, or even accepted, as a mentor opens none of the mentee's records: only what she sent.
    ana.post(f"/mentoring/requests/{rid}/respond", {"accept": True})
    ana.post("/mentoring/sessions", {"request_ids": [rid], "held_on": "2026-11-20", "notes": "our session"})
    assert ana.get(f"/plans/{mia_plan}").status_code == 404
    assert ana.get("/people").get_json()["supporting"] == []
    assert "Mia's private vision" not in str(ana.get("/mentoring/requests").get_json())
    for intruder in (leo, ben):
        assert "our session" not in str(intruder.get("/mentoring/sessions").get_json())


def test_programmes_are_separate_per_course_and_nothing_crosses_platforms(as_user, peer_b) -> None:
    ana = mentor(as_user, "ana", "Ana", {A: 6})
    mentor(as_user, "pam", "Pam", {A: 6}, scope="platform")
    # Same sub, other course: the course-1 volunteer is not in course-2's programme.
    mia2 = mentee(as_user, "mia", "Mia", {A: 2}, {A: 5}, context_id="course-2")
    assert mia2.get("/mentoring/proposals").get_json()["proposals"] == []
    assert ask_for(mia2, ana).status_code == 404
    # The platform programme is its own: Pam, not Ana.
    mia2.put("/mentoring/ask", {"targets": {A: 5}, "scope": "platform"})
    names = [p["mentor"]["name"] for p in mia2.get("/mentoring/proposals?scope=platform").get_json()["proposals"]]
    assert names == ["Pam"]

    # Platform B reuses the subs and the context id: it sees none of platform A's programme.
    mia_b = mentee(as_user, "mia", "Mia B", {A: 2}, {A: 5}, peer=peer_b)
    assert mia_b.get("/mentoring/proposals").get_json()["proposals"] == []
    mia_b.put("/mentoring/ask", {"targets": {A: 5}, "scope": "platform"})
    assert mia_b.get("/mentoring/proposals?scope=platform").get_json()["proposals"] == []
    assert ask_for(mia_b, ana).status_code == 404
    request = ask_for(mia2, person(as_user, "pam", "Pam"), scope="platform").get_json()
    ana_b = person(as_user, "pam", "Pam B", peer=peer_b)
    assert ana_b.post(f"/mentoring/requests/{request['id']}/respond", {"accept": True}).status_code == 404
    assert ana_b.get("/mentoring/requests").get_json() == {"as_mentee": [], "as_mentor": []}


def test_invalid_input_answers_400_with_located_errors(as_user) -> None:
    mia = person(as_user, "mia", "Mia")
    bad = mia.put("/mentoring/offer", {"skills": ["nope"], "capacity": 1})
    assert bad.status_code == 400 and "skills" in str(bad.get_json()["errors"]["json"])
    assert mia.put("/mentoring/offer", {"skills": [A], "capacity": 9}).status_code == 400
    assert mia.put("/mentoring/ask", {"targets": {A: 99}}).status_code == 400
    assert mia.get("/mentoring/proposals?scope=galaxy").status_code == 400
    assert mia.post("/mentoring/requests", {"mentor_user_id": 999999}).status_code == 404
    assert mia.get("/mentoring/proposals").get_json() == {"ask": None, "proposals": []}


def test_the_export_holds_a_persons_mentoring_and_erasure_removes_it(as_user) -> None:
    from lti_app.career.erasure import erase_identity
    from lti_app.models.mentoring import MentoringFeedbackRecord, MentoringSessionRecord, MentorOfferRecord
    from lti_app.models.people import LtiUser

    ana = mentor(as_user, "ana", "Ana", {A: 6}, capacity=2)
    pairs = []
    for sub, name in (("mia", "Mia"), ("leo", "Leo")):
        api = mentee(as_user, sub, name, {A: 2}, {A: 5})
        request = ask_for(api, ana, f"{name}'s note").get_json()
        ana.post(f"/mentoring/requests/{request['id']}/respond", {"accept": True})
        pairs.append((api, request["id"]))
    (mia, mia_pair), (_, leo_pair) = pairs
    ana.post("/mentoring/sessions", {"request_ids": [mia_pair], "held_on": "2026-11-20", "notes": "one-to-one"})
    ana.post("/mentoring/sessions", {"request_ids": [mia_pair, leo_pair], "held_on": "2026-11-21", "notes": "group"})
    mia.post(f"/mentoring/requests/{mia_pair}/end", {"feedback": {"rating": 3, "text": "Mia's feedback"}})

    mine = mia.get("/profile/export").get_json()["mentoring"]
    assert [p["message"] for p in mine["pairs"]] == ["Mia's note"] and mine["pairs"][0]["role"] == "mentee"
    assert mine["pairs"][0]["my_feedback"]["text"] == "Mia's feedback"
    assert sorted(s["notes"] for s in mine["sessions"]) == ["group", "one-to-one"]
    assert len(ana.get("/profile/export").get_json()["mentoring"]["pairs"]) == 2

    erasure = erase_identity(db.session.get(LtiUser, mia.user_id), requested_by="test")
    assert erasure.counts["mentoring_request"] == 1 and erasure.counts["mentoring_session"] == 1
    assert erasure.counts["mentoring_ask"] == 1
    # Ana keeps her offer, her pair with Leo and the group session Leo attended; nothing of Mia is left.
    assert db.session.scalars(select(MentoringRequestRecord.id)).all() == [leo_pair]
    assert db.session.scalars(select(MentoringSessionRecord.notes)).all() == ["group"]
    assert db.session.scalars(select(MentoringFeedbackRecord.id)).all() == []
    assert db.session.scalar(select(func.count()).select_from(MentorOfferRecord)) == 1


def test_the_openapi_document_describes_the_programme_and_its_errors(client) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    expected = {
        ("/api/v1/mentoring/offer", "put"): {"400", "401", "403", "409"},
        ("/api/v1/mentoring/proposals", "get"): {"400", "401", "403"},
        ("/api/v1/mentoring/requests", "post"): {"400", "401", "403", "404", "409"},
        ("/api/v1/mentoring/requests/{request_id}/respond", "post"): {"401", "404", "409"},
        ("/api/v1/mentoring/requests/{request_id}/end", "post"): {"400", "401", "404", "409"},
        ("/api/v1/mentoring/sessions", "post"): {"400", "401", "404"},
        ("/api/v1/mentoring/assignment", "get"): {"400", "401", "403"},
        ("/api/v1/insight", "get"): {"400", "401", "403", "404"},
        ("/api/v1/insight/csv", "get"): {"400", "401", "403", "404"},
    }
    for (path, method), codes in expected.items():
        responses = set(paths[path][method]["responses"])
        assert codes <= responses and "422" not in responses, (path, method, responses)
    assert "text/csv" in paths["/api/v1/insight/csv"]["get"]["responses"]["200"]["content"]


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    tables = [t for t in db.metadata.sorted_tables if t.name.startswith(("mentor", "mentoring"))]
    return {t.name: [tuple(r) for r in db.session.execute(select(t).order_by(*t.primary_key.columns))] for t in tables}


def test_staff_of_another_course_or_platform_change_nothing_and_see_nothing(as_user, peer_b) -> None:
    ana = mentor(as_user, "ana", "Ana", {A: 6}, capacity=2)
    mia = mentee(as_user, "mia", "Mia", {A: 2}, {A: 5})
    leo = mentee(as_user, "leo", "Leo", {A: 2}, {A: 5})
    accepted = ask_for(mia, ana, "SECRET-1").get_json()["id"]
    ana.post(f"/mentoring/requests/{accepted}/respond", {"accept": True})
    pending = ask_for(leo, ana, "SECRET-2").get_json()["id"]
    ana.post("/mentoring/sessions", {"request_ids": [accepted], "held_on": "2026-11-20", "notes": "SECRET-3"})
    attackers = [
        person(as_user, "teach2", "Tom", INSTRUCTOR, context_id="course-2"),
        person(as_user, "root", "Root B", ADMIN, peer=peer_b),
        person(as_user, "ana", "Ana B", peer=peer_b),  # same sub as the mentor, other platform
        person(as_user, "mia", "Mia B", peer=peer_b),
    ]
    before = _snapshot()
    for attacker in attackers:
        for rid in (accepted, pending):
            for action, body in (
                ("respond", {"accept": True}),
                ("withdraw", None),
                ("end", {"feedback": {"rating": 1}}),
                ("feedback", {"rating": 1}),
            ):
                assert attacker.post(f"/mentoring/requests/{rid}/{action}", body).status_code == 404, action
            assert (
                attacker.post("/mentoring/sessions", {"request_ids": [rid], "held_on": "2026-11-21"}).status_code == 404
            )
        seen = str(
            [
                attacker.get("/mentoring/requests").get_json(),
                attacker.get("/mentoring/sessions").get_json(),
                attacker.get("/mentoring/assignment").get_json(),
                attacker.get("/mentoring/assignment?scope=platform").get_json(),
                attacker.get("/insight").get_json(),
            ]
        )
        assert "SECRET" not in seen and "Mia" not in seen.replace("Mia B", "") and "Leo" not in seen
    assert _snapshot() == before
