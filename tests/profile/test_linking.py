"""Linking one learner's identities on two platforms (real launches from both), merging without duplicates,
and unlinking; staff on either platform never see the other platform's records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from career_core.evidence import EvidenceSource, evidence_for_completion
from lti_app.career.access import Subject, learner_id
from lti_app.career.evidence import record_evidence
from lti_app.extensions import db
from lti_app.models.people import LtiUser
from lti_app.models.profile import LearnerProfile, ProfileLinkCode
from tests.api.launching import INSTRUCTOR

STRENGTHS = {"use_more": "I could run the MOOC study group every week and keep notes"}


def _identity(issuer: str, sub: str) -> LtiUser:
    return db.session.scalars(select(LtiUser).filter_by(issuer=issuer, sub=sub)).one()


def _two_identities(as_user, peer_b) -> tuple[Any, Any, dict[str, Any]]:
    moodle = as_user(sub="mia-moodle", context_id="course-1")
    moodle.post("/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": 4}]})
    plan = moodle.post("/plans", {"vision": "moodle vision"}).get_json()
    edx = as_user(peer=peer_b, sub="mia-edx", context_id="mooc-1")
    edx.put("/reflections/strengths", {"answers": STRENGTHS})
    return moodle, edx, plan


def _link(moodle: Any, edx: Any) -> dict[str, Any]:
    code = moodle.post("/profile/link-code").get_json()
    assert code["code"] and code["expires_at"]
    response = edx.post("/profile/links", {"code": code["code"]})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_linking_and_unlinking_two_platforms(as_user, peer_a, peer_b) -> None:
    moodle, edx, plan = _two_identities(as_user, peer_b)
    assert edx.get("/assessments").get_json()["assessments"] == []  # not linked yet
    assert edx.get("/profile").get_json()["linked"] is False

    linked = _link(moodle, edx)
    assert linked["linked"] is True
    assert [i["issuer"] for i in linked["identities"]] == [peer_b.issuer, peer_a.issuer]  # this launch's first
    assert [i["this_launch"] for i in linked["identities"]] == [True, False]

    # Each side now reads the person's records from both platforms.
    assert [s["ratings"][0]["level"] for s in edx.get("/assessments").get_json()["assessments"]] == [4]
    assert [p["id"] for p in edx.get("/plans").get_json()["plans"]] == [plan["id"]]
    assert moodle.get("/reflections/strengths").get_json()["answers"] == STRENGTHS
    assert len(moodle.get("/profile").get_json()["identities"]) == 2
    # A plan made on the other platform is read there, edited only where it was made.
    assert edx.patch(f"/plans/{plan['id']}", {"vision": "from edx"}).status_code == 403

    # Staff on either platform see only what their own course produced.
    edx_teacher = as_user(peer=peer_b, sub="edx-teacher", roles=INSTRUCTOR, context_id="mooc-1")
    (row,) = edx_teacher.get("/context/learners").get_json()["learners"]
    assert edx_teacher.get(f"/context/learners/{row['user_id']}/assessments").get_json()["assessments"] == []
    assert edx_teacher.get(f"/context/learners/{row['user_id']}/plans").get_json()["plans"] == []
    assert edx_teacher.get(f"/plans/{plan['id']}").status_code == 404
    moodle_teacher = as_user(sub="moodle-teacher", roles=INSTRUCTOR, context_id="course-1")
    (row,) = moodle_teacher.get("/context/learners").get_json()["learners"]
    assert moodle_teacher.get(f"/context/learners/{row['user_id']}/reflections/strengths").get_json()["answers"] == {}

    # Unlink from the MOOC side: the two are separate people again, every record with its own identity.
    moodle_id = next(i["id"] for i in linked["identities"] if not i["this_launch"])
    separated = edx.call("DELETE", f"/profile/identities/{moodle_id}").get_json()
    assert separated["linked"] is False and len(separated["identities"]) == 1
    assert edx.get("/assessments").get_json()["assessments"] == []
    assert moodle.get("/reflections/strengths").get_json()["answers"] == {}
    assert [p["id"] for p in moodle.get("/plans").get_json()["plans"]] == [plan["id"]]
    assert edx.get("/reflections/strengths").get_json()["answers"] == STRENGTHS
    assert db.session.scalars(select(LearnerProfile)).all() == []  # nobody left in it
    assert edx.call("DELETE", f"/profile/identities/{moodle_id}").status_code == 404


def test_a_code_is_single_use_short_lived_cross_platform_and_hashed(as_user, peer_b) -> None:
    moodle, edx, _ = _two_identities(as_user, peer_b)
    code = moodle.post("/profile/link-code").get_json()["code"]
    stored = db.session.scalars(select(ProfileLinkCode)).one()
    assert code.replace("-", "") not in stored.code_hash and len(stored.code_hash) == 64  # only a keyed hash

    # Entered on the platform that showed it: refused, and used up.
    same_platform = as_user(sub="mia-moodle", context_id="course-2")
    assert same_platform.post("/profile/links", {"code": code}).status_code == 409
    assert edx.post("/profile/links", {"code": code}).status_code == 400
    assert db.session.scalars(select(ProfileLinkCode)).all() == []

    # Expired codes do not link; a fresh one replaces the earlier one; lower case and spaces are forgiven.
    first = moodle.post("/profile/link-code").get_json()["code"]
    second = moodle.post("/profile/link-code").get_json()["code"]
    assert edx.post("/profile/links", {"code": first}).status_code == 400
    db.session.execute(update(ProfileLinkCode).values(expires_at=datetime.now(UTC).replace(tzinfo=None)))
    db.session.commit()
    assert edx.post("/profile/links", {"code": second}).status_code == 400
    third = moodle.post("/profile/link-code").get_json()["code"]
    assert edx.post("/profile/links", {"code": " " + third.lower().replace("-", " ") + " "}).status_code == 200
    assert edx.post("/profile/links", {"code": ""}).status_code == 400
    # Nothing links without the code: a made-up one is refused.
    assert as_user(peer=peer_b, sub="someone").post("/profile/links", {"code": "AAAAA-BBBBB"}).status_code == 400


def test_a_merge_counts_the_same_evidence_once(as_user, peer_a, peer_b, onet) -> None:
    moodle, edx, _ = _two_identities(as_user, peer_b)
    edx.post("/assessments", {"ratings": [{"skill_code": "2.A.1.b", "level": 2}]})
    mia_moodle = _identity(peer_a.issuer, "mia-moodle")
    mia_edx = _identity(peer_b.issuer, "mia-edx")
    # The same completion reaches the toolkit under both identities (say, forwarded by both platforms' LRSs).
    at = datetime.now(UTC) - timedelta(hours=1)
    for user in (mia_moodle, mia_edx):
        records = evidence_for_completion(
            learner_id=learner_id(user),
            skill_levels={"2.A.1.c": 3},
            source=EvidenceSource.COMPLETED_ACTIVITY,
            recorded_at=at,
            activity_id="https://mooc.example.org/xblock/block-v1:career+1",
        )
        record_evidence(Subject(user, None), records, resource_link_pk=None, framework_pk=None)
    db.session.commit()
    assert len(moodle.get("/evidence").get_json()["evidence"]) == 2  # 2.A.1.a sitting + the completion

    _link(moodle, edx)
    for api in (moodle, edx):
        items = api.get("/evidence").get_json()["evidence"]
        assert sorted(e["skill_code"] for e in items) == ["2.A.1.a", "2.A.1.b", "2.A.1.c"]
        assert len(api.get("/evidence/xapi").get_json()["statements"]) == 3
        credentials = api.get("/evidence/badges").get_json()["credentials"]
        assert len(credentials) == 3
