"""The cohort page and the learners list cost the same number of queries for 5 learners as for 40, and page.

Learners are seeded through the models (a sitting with its latest levels, a plan, a reflection), one of them
sharing their self-assessments from a linked identity, so the shared path is counted too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select

from career_core.plans import DevelopmentPlan, PlanStatus, plan_to_dict
from lti_app.career.assessments import _keep_latest
from lti_app.extensions import db
from lti_app.lti import state_store
from lti_app.lti.registrations import registrations
from lti_app.models import (
    Context,
    DevelopmentPlanRecord,
    LearnerProfile,
    LtiUser,
    Membership,
    RecordShare,
    ReflectionRecord,
    SelfAssessmentRecord,
    SkillFrameworkRecord,
)
from tests.lti.platform_peer import PlatformPeer
from tests.pages.conftest import INSTRUCTOR, launch_page

NURSES = "29-1141.00"


@contextmanager
def counted() -> Iterator[list[str]]:
    """The SQL statements the engine runs inside the block."""
    db.session.expunge_all()  # every request starts from an empty identity map, as in production
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement.split(" WHERE ")[0][:120])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def seed_learners(count: int, onet: str, first: int = 0) -> list[int]:
    """``count`` learners of course-1: a sitting of three ratings, a plan, a complete reflection each; the first
    one also has a linked identity on another course and shares their self-assessments with course-1."""
    context = db.session.scalars(select(Context).where(Context.lti_context_id == "course-1")).one()
    framework = db.session.scalars(select(SkillFrameworkRecord).where(SkillFrameworkRecord.identifier == onet)).one()
    issuer = context.platform.issuer
    ids = []
    for n in range(first, first + count):
        user = LtiUser(issuer=issuer, sub=f"seeded-{n:03d}", name=f"Seeded {n:03d}")
        db.session.add(user)
        db.session.flush()
        ids.append(user.id)
        db.session.add(Membership(user_id=user.id, context_pk=context.id, role="learner"))
        ratings = [
            {"skill_code": code, "level": (n + i) % 8} for i, code in enumerate(("2.A.1.a", "2.A.1.b", "2.A.1.c"))
        ]
        sitting = SelfAssessmentRecord(
            user_id=user.id, context_pk=context.id, framework_pk=framework.id, ratings=ratings
        )
        db.session.add(sitting)
        db.session.flush()
        _keep_latest(sitting)
        status = PlanStatus.WAITING_FOR_REVIEW if n % 3 == 0 else PlanStatus.ACTIVE
        db.session.add(
            DevelopmentPlanRecord(
                user_id=user.id,
                context_pk=context.id,
                status=status.value,
                plan=plan_to_dict(DevelopmentPlan(owner=str(user.id), vision="Lead a ward", status=status)),
            )
        )
        db.session.add(
            ReflectionRecord(
                user_id=user.id,
                context_pk=context.id,
                template_key="strengths",
                answers={},
                completion=1.0,
                complete=True,
            )
        )
        if n == first:
            profile = LearnerProfile()
            db.session.add(profile)
            db.session.flush()
            user.profile_id = profile.id
            other = LtiUser(issuer="https://other.example.edu", sub=f"linked-{n}", profile_id=profile.id)
            elsewhere = Context(
                platform_id=context.platform_id, deployment_pk=context.deployment_pk, lti_context_id=f"elsewhere-{n}"
            )
            db.session.add_all([other, elsewhere])
            db.session.flush()
            linked = SelfAssessmentRecord(
                user_id=other.id,
                context_pk=elsewhere.id,
                framework_pk=framework.id,
                ratings=[{"skill_code": "2.A.1.d", "level": 5}],
            )
            db.session.add(linked)
            db.session.flush()
            _keep_latest(linked)
            db.session.add(RecordShare(user_id=user.id, context_pk=context.id, kind="assessments"))
    db.session.commit()
    return ids


def statements(client: Any, peer: PlatformPeer, onet: str) -> dict[str, list[str]]:
    """Statements for the staff launch, the heatmap page and the learners list."""
    registrations().clear()  # seeding can outlast the cache's few seconds: both runs look the registration up
    with counted() as launch_count:
        staff = launch_page(client, peer, sub="teacher", roles=INSTRUCTOR, custom={"component": "self_assessment"})
    with counted() as heatmap_count:
        heatmap = client.post("/pages/instructor", data={"token": staff.token, "role": NURSES})
    assert heatmap.status_code == 200
    with counted() as list_count:
        listed = staff.api.get("/context/learners")
    assert listed.status_code == 200
    return {"launch": launch_count, "heatmap": heatmap_count, "learners": list_count}


def test_statements_do_not_grow_with_the_cohort(
    app: Flask, client: Any, peer: PlatformPeer, onet: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The state store sweeps expired entries on one launch in many, at random: not on these.
    monkeypatch.setattr(state_store.random, "randrange", lambda _: 1)
    launch_page(client, peer, sub="teacher", roles=INSTRUCTOR, custom={"component": "self_assessment"})
    seed_learners(5, onet)
    small = statements(client, peer, onet)
    seed_learners(35, onet, first=5)
    large = statements(client, peer, onet)
    # A per-learner load adds at least 35 statements here (40 learners against 5). Once, in a loaded full run, the
    # large cohort's learners list ran two of the small run's statements once more each (no new kind of statement;
    # the cause is not pinned down: see the closing note of issue 12), so the counts may differ by two, no more.
    for request, run in small.items():
        extra = sorted(set(large[request]) - set(run))
        assert not extra, (request, extra)
        assert len(run) - 2 <= len(large[request]) <= len(run) + 2, (request, len(run), len(large[request]))


def test_the_cohort_page_pages_and_summarises(app: Flask, client: Any, peer: PlatformPeer, onet: str) -> None:
    staff = launch_page(client, peer, sub="teacher", roles=INSTRUCTOR, custom={"component": "self_assessment"})
    seed_learners(60, onet)
    html = client.post("/pages/instructor", data={"token": staff.token, "role": NURSES}).get_data(as_text=True)
    assert "Learners (60)" in html and "Page 1 of 2" in html
    assert html.count('<th scope="row">Seeded') == 2 * 50  # the learners table and the heatmap, 50 each
    # The distribution covers the whole cohort: every learner counted once per skill.
    distribution = html.split('id="heatmap-distribution"')[1].split("</table>")[0]
    for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", distribution):
        assert sum(int(n) for n in re.findall(r"<td>(\d+) <span class=\"muted\">", row)) == 60
    assert "Plans waiting for review (20)" in html
    second = client.post("/pages/instructor", data={"token": staff.token, "role": NURSES, "page": "2"})
    second_html = second.get_data(as_text=True)
    assert second.status_code == 200 and "Page 2 of 2" in second_html and "Seeded 059" in second_html
    assert "Seeded 000" not in second_html.split('id="cohort-table"')[1].split("</table>")[0]
    for bad in ("0", "-1", "two", "1.5", "99999999"):
        response = client.post("/pages/instructor", data={"token": staff.token, "page": bad})
        assert response.status_code == 400, bad


def test_the_learners_list_pages(app: Flask, client: Any, peer: PlatformPeer, onet: str) -> None:
    staff = launch_page(client, peer, sub="teacher", roles=INSTRUCTOR, custom={"component": "self_assessment"})
    ids = seed_learners(7, onet)
    first = staff.api.get("/context/learners?per_page=3").get_json()
    assert [row["user_id"] for row in first["learners"]] == ids[:3]
    assert (first["total"], first["page"], first["pages"], first["next_page"], first["previous_page"]) == (
        7,
        1,
        3,
        2,
        None,
    )
    last = staff.api.get("/context/learners?per_page=3&page=3").get_json()
    assert [row["user_id"] for row in last["learners"]] == ids[6:]
    assert last["next_page"] is None and last["previous_page"] == 2
    beyond = staff.api.get("/context/learners?per_page=3&page=9").get_json()
    assert beyond["learners"] == [] and beyond["total"] == 7 and beyond["previous_page"] == 3
    # The shared self-assessment from a linked identity counts as the course's staff see it.
    assert first["learners"][0]["assessment_count"] == 2 and first["learners"][1]["assessment_count"] == 1
    assert all(row["reflections_complete"] == 1 for row in first["learners"])
    for bad in ("page=0", "page=x", "per_page=0", "per_page=501", "per_page=-3"):
        response = staff.api.get(f"/context/learners?{bad}")
        assert response.status_code == 400, bad
        assert "query" in response.get_json()["errors"]


def test_a_long_history_pages(app: Flask, client: Any, peer: PlatformPeer, onet: str) -> None:
    learner = launch_page(client, peer, sub="long", custom={"component": "self_assessment"})
    for level in range(5):
        assert (
            learner.api.post("/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": level}]}).status_code
            == 201
        )
    page = learner.api.get("/assessments?per_page=2&page=2").get_json()
    assert [s["ratings"][0]["level"] for s in page["assessments"]] == [2, 3]
    assert (page["total"], page["pages"], page["next_page"]) == (5, 3, 3)
    assert page["profiles"][0]["levels"] == {"2.A.1.a": 4.0}  # the latest, whatever page is read
    evidence = learner.api.get("/evidence?per_page=2").get_json()
    assert evidence["total"] == 5 and len(evidence["evidence"]) == 2 and evidence["next_page"] == 2
    assert evidence["attribution"]
    assert learner.api.get("/assessments?per_page=1000").status_code == 400
    assert learner.api.get("/evidence?page=0").status_code == 400


def test_the_tally_agrees_with_each_learners_latest_levels(
    app: Flask, onet: str, client: Any, peer: PlatformPeer
) -> None:
    from lti_app.career import cohort

    launch_page(client, peer, sub="teacher", roles=INSTRUCTOR, custom={"component": "self_assessment"})
    ids = seed_learners(12, onet)
    context = db.session.scalars(select(Context).where(Context.lti_context_id == "course-1")).one()
    framework = db.session.scalars(select(SkillFrameworkRecord).where(SkillFrameworkRecord.identifier == onet)).one()
    # A learner rates again (one level moves, one stays), and the teacher rates themselves in the course.
    again = SelfAssessmentRecord(
        user_id=ids[4],
        context_pk=context.id,
        framework_pk=framework.id,
        ratings=[{"skill_code": "2.A.1.a", "level": 7}, {"skill_code": "2.A.1.b", "level": 6}],
    )
    teacher = db.session.scalars(select(LtiUser).where(LtiUser.sub == "teacher")).one()
    own = SelfAssessmentRecord(
        user_id=teacher.id,
        context_pk=context.id,
        framework_pk=framework.id,
        ratings=[{"skill_code": "2.A.1.a", "level": 1}],
    )
    db.session.add_all([again, own])
    db.session.flush()
    _keep_latest(again)
    _keep_latest(own)
    db.session.commit()
    expected: dict[str, dict[int, int]] = {}
    for levels in cohort.levels_of(context.id, framework.id, ids).values():
        for code, value in levels.items():
            expected.setdefault(code, {}).setdefault(int(value), 0)
            expected[code][int(value)] += 1
    assert cohort.level_distribution(context.id, framework.id) == expected
    assert expected["2.A.1.d"] == {5: 1}  # the sharer's level from their linked identity's course
