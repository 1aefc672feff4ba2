"""The XBlocks and the LTI tool give the same gaps, scores, completion, charts, recommendations and evidence
ledger for the same actions.

Both front ends call career_core; this proves they feed it the same way, end to end: the tool through a
real launch and its REST API, the block through its handlers on a recording runtime.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from career_core.evidence import EvidenceSource, evidence_id
from career_core.onet import load_onet_catalog
from lti_app.career.access import learner_id
from lti_app.extensions import db
from lti_app.models.career import EvidenceRecordRow
from lti_app.models.grades import ScoreDelivery
from lti_app.models.people import LtiUser
from lti_app.xapi.sources import add_source
from tests.api.conftest import onet
from tests.api.launching import Api, launch
from tests.lti.platform_peer import PlatformPeer
from tests.xblocks.runtime import RecordingRuntime, call_json
from xblocks.career_path import CareerPathXBlock
from xblocks.development_plan import DevelopmentPlanXBlock
from xblocks.self_assessment import SelfAssessmentXBlock

SKILLS = ["2.A.1.a", "2.A.1.b", "2.A.1.c", "2.A.2.a"]
ROLE = "15-1253.00"  # Software Quality Assurance Analysts and Testers
TOOL = "http://tool.test"  # the test app's BASE_URL, the namespace of the toolkit's xAPI vocabulary
__all__ = ["onet"]  # the API tests' fixture: the O*NET framework loaded

SITTINGS = [[("2.A.1.a", 4)], [("2.A.1.b", 2), ("2.A.1.c", 6)], [("2.A.2.a", 3), ("2.A.1.a", 5)]]


@pytest.mark.parametrize("grading", ["on_progress", "on_completion"])
def test_same_ratings_same_completion_score_and_gap(app: Flask, client, onet: str, grading: str) -> None:
    peer = PlatformPeer()
    try:
        peer.register()
        token = launch(
            client,
            peer,
            custom={
                "component": "self_assessment",
                "skills": ",".join(SKILLS),
                "grading": grading,
                "max_score": "10",
            },
            line_item=peer.issuer + "/lineitems/7?type_id=1",
        )
        api = Api(client, token)
        runtime = RecordingRuntime()
        block = runtime.make_block(SelfAssessmentXBlock, skill_codes=SKILLS, target_role_code=ROLE)
        block.grading_mode = grading
        block.weight = 10.0

        for sitting in SITTINGS:
            ratings = [{"skill_code": code, "level": level} for code, level in sitting]
            tool = api.post("/assessments", {"ratings": ratings})
            assert tool.status_code == 201, tool.get_data(as_text=True)
            call_json(block, "submit_ratings", {"ratings": ratings})

            tool_answer = tool.get_json()
            block_completion = runtime.events_of("completion")[-1]["completion"]
            assert tool_answer["completion"] == pytest.approx(block_completion)
            assert tool_answer["complete"] == (block_completion == 1.0)

            delivery = db.session.scalars(select(ScoreDelivery).order_by(ScoreDelivery.id.desc())).first()
            grade = runtime.events_of("grade")[-1]
            assert delivery is not None
            assert delivery.payload["scoreGiven"] / delivery.payload["scoreMaximum"] == pytest.approx(
                grade["value"] / grade["max_value"]
            )

            tool_gap = api.get(f"/roles/{ROLE}/gap").get_json()
            block_view = block.view_context()
            assert tool_gap["fit"] == pytest.approx(block_view["fit"])
            assert [(g["current"], g["required"]) for g in tool_gap["top_gaps"]] == [
                (g["current"], g["required"]) for g in block_view["top_gaps"]
            ]

            tool_charts = client.get(
                f"/pages/self-assessment/chart?role={ROLE}", headers={"Authorization": f"Bearer {token}"}
            ).get_data(as_text=True)
            assert_same_charts(tool_charts, block_view["charts_html"])
        assert runtime.events_of("completion")[-1]["completion"] == 1.0
        assert "progress" in figures(block.view_context()["charts_html"])  # three sittings: a line of three points
    finally:
        peer.close()


def figures(html: str) -> dict[str, str]:
    """Each chart's figure by its kind (gaps, groups, progress)."""
    return {
        match.group(1): match.group(0) for match in re.finditer(r'<figure class="ct-chart ct-(\w+)">.*?</figure>', html)
    }


def assert_same_charts(tool: str, block: str) -> None:
    """Byte-identical gap bars and skill groups (SVG and table); the same progress points, whose times differ
    by the moments each front end saved them."""
    tool_figures, block_figures = figures(tool), figures(block)
    assert set(tool_figures) == set(block_figures) >= {"gaps", "groups"}
    assert tool_figures["gaps"] == block_figures["gaps"]
    assert tool_figures["groups"] == block_figures["groups"]
    if "progress" in tool_figures:
        points = r'<th scope="row">[^<]+</th><td>([^<]+)</td><td>([^<]+)</td>'
        assert re.findall(points, tool_figures["progress"]) == re.findall(points, block_figures["progress"])
        assert len(re.findall(points, tool_figures["progress"])) >= 2


# --- one set of evidence rules: the same actions give the same ledger -------------------------------------------

# The last sitting repeats a level: by the sitting rule it adds nothing, in the tool and in the block alike.
EVIDENCE_SITTINGS = [*SITTINGS, [("2.A.1.a", 5), ("2.A.1.b", 2)]]
GOALS: list[dict[str, Any]] = [
    {"id": "goal-1", "title": "Read specs closely", "skill_code": "2.A.1.b", "target_level": 4},
    {"id": "goal-2", "title": "Write clear bug reports", "skill_code": "2.A.2.a", "target_level": 3},
    {"id": "goal-3", "title": "Meet the team", "skill_code": None, "target_level": None},
]
# Which goals are achieved after each save of the plan: goal-1, nothing new, then goal-2 and goal-3.
ACHIEVED = [set(), {"goal-1"}, {"goal-1"}, {"goal-1", "goal-2", "goal-3"}]


class _User:
    """Open edX's user service as the LTI consumer uses it: ``get_external_user_id("lti")`` is the LTI ``sub``."""

    def __init__(self, sub: str) -> None:
        self.sub = sub

    def get_external_user_id(self, type_name: str) -> str:
        assert type_name == "lti"
        return self.sub

    def get_current_user(self) -> None:
        return None


class _Settings:
    def __init__(self, bucket: dict[str, object]) -> None:
        self.bucket = bucket

    def get_settings_bucket(self, block: object, default: object = None) -> dict[str, object]:
        return self.bucket


def _ledger_rows(user_id: int, *, from_tool: bool) -> list[EvidenceRecordRow]:
    where = EvidenceRecordRow.context_pk.is_not(None) if from_tool else EvidenceRecordRow.context_pk.is_(None)
    return list(
        db.session.scalars(
            select(EvidenceRecordRow)
            .where(EvidenceRecordRow.user_id == user_id, where)
            .order_by(EvidenceRecordRow.recorded_at, EvidenceRecordRow.skill_code)
        )
    )


def test_the_same_actions_give_the_same_ledger(app: Flask, client, onet: str) -> None:
    peer = PlatformPeer()
    try:
        peer.register()
        # Two learners of one platform take the same actions, one in the tool, one in the blocks: each one's
        # ledger in the tool must be the same. (One person doing both would see the second front end's repeats
        # of the same levels dropped, by the same rule.)
        sub, block_sub = "open-edx-external-id-1", "open-edx-external-id-2"
        tool_sa = Api(client, launch(client, peer, sub=sub, custom={"component": "self_assessment"}))
        tool_plan = Api(
            client,
            launch(
                client,
                peer,
                sub=sub,
                resource_link_id="link-plan",
                custom={"component": "development_plan", "requires_review": "false"},
            ),
        )
        runtime = RecordingRuntime(services={"user": _User(block_sub), "settings": _Settings({"xapi_home_page": TOOL})})
        assessment = runtime.make_block(SelfAssessmentXBlock, user_id="7", skill_codes=SKILLS)
        plan_block = runtime.make_block(DevelopmentPlanXBlock, user_id="7", target_role_code=ROLE)

        for sitting in EVIDENCE_SITTINGS:
            ratings = [{"skill_code": code, "level": level} for code, level in sitting]
            assert tool_sa.post("/assessments", {"ratings": ratings}).status_code == 201
            call_json(assessment, "submit_ratings", {"ratings": ratings})
        plan_id = None
        for achieved in ACHIEVED:
            goals = [{**goal, "achieved": goal["id"] in achieved} for goal in GOALS]
            tool_goals = [{**g, "achieved_at": "2026-11-30" if g["achieved"] else None} for g in goals]
            if plan_id is None:
                created = tool_plan.post("/plans", {"vision": "Lead testing", "goals": tool_goals})
                assert created.status_code == 201, created.get_json()
                plan_id = created.get_json()["id"]
            else:
                assert tool_plan.patch(f"/plans/{plan_id}", {"goals": tool_goals}).status_code == 200
            call_json(plan_block, "save_plan", {"plan": {"vision": "Lead testing", "goals": goals, "actions": []}})

        # The blocks' evidence reaches the tool as xAPI statements, as the blocks send them.
        created = add_source("open-edx-blocks", peer.issuer)
        key, secret = created.source.key, created.secret
        statements = [
            block.xapi_statement(record, account=(peer.issuer, block_sub))
            for block in (assessment, plan_block)
            for record in block.evidence_ledger()
        ]
        headers = {
            "Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode(),
            "X-Experience-API-Version": "1.0.3",
        }
        assert client.post("/xapi/statements", json=statements, headers=headers).status_code == 200
        # A replay changes nothing.
        assert client.post("/xapi/statements", json=statements, headers=headers).status_code == 200

        user = db.session.scalars(select(LtiUser).filter_by(issuer=peer.issuer, sub=sub)).one()
        block_user = db.session.scalars(select(LtiUser).filter_by(issuer=peer.issuer, sub=block_sub)).one()
        from_tool = _ledger_rows(user.id, from_tool=True)
        assert _ledger_rows(user.id, from_tool=False) == []
        from_block = _ledger_rows(block_user.id, from_tool=False)
        expected = [
            ("2.A.1.a", 4, "self_assessment"),
            ("2.A.1.b", 2, "self_assessment"),
            ("2.A.1.c", 6, "self_assessment"),
            ("2.A.1.a", 5, "self_assessment"),
            ("2.A.2.a", 3, "self_assessment"),
            ("2.A.1.b", 4, "completed_activity"),
            ("2.A.2.a", 3, "completed_activity"),
        ]
        assert [(r.skill_code, r.level, r.source) for r in from_tool] == expected
        assert [(r.skill_code, r.level, r.source) for r in from_block] == expected
        # Both name the skills of the same (O*NET) framework record.
        assert {r.framework_pk for r in from_block} == {r.framework_pk for r in from_tool} != {None}
        block_ledger = [*assessment.evidence_ledger(), *plan_block.evidence_ledger()]
        assert [(r.skill_code, r.level, r.source.value) for r in block_ledger] == expected
        # Every record's id is career_core's deterministic id of (learner, skill, source, instant, activity),
        # with the learner the tool's one opaque id for the person.
        for person, rows in ((user, from_tool), (block_user, from_block)):
            assert {row.learner_id for row in rows} == {learner_id(person)}
        # The learner whose blocks sent the evidence sees it in the tool, as their own, on their next launch.
        block_learner = Api(client, launch(client, peer, sub=block_sub, custom={"component": "self_assessment"}))
        listed = block_learner.get("/evidence").get_json()["evidence"]
        assert [(e["skill_code"], e["level"], e["source"]) for e in listed] == expected
        for row in [*from_tool, *from_block]:
            assert row.evidence_id == evidence_id(
                row.learner_id,
                row.skill_code,
                EvidenceSource(row.source),
                row.recorded_at.replace(tzinfo=UTC),
                row.activity_id,
            )
    finally:
        peer.close()


@pytest.mark.parametrize("current", ["29-1141.00", "15-1253.00", "47-2111.00"])
def test_same_ratings_same_recommendation_lists(app: Flask, client, onet: str, current: str) -> None:
    """The career path block rates the learner at their current role's levels in whole levels; the tool,
    given those ratings and that current role, recommends the same roles in the same order and bands."""
    peer = PlatformPeer()
    try:
        peer.register()
        api = Api(client, launch(client, peer, custom={"component": "career_path"}))
        runtime = RecordingRuntime()
        block = runtime.make_block(CareerPathXBlock)
        call_json(block, "choose_target", {"current_role_code": current, "target_role_code": "11-1011.00"})

        role = load_onet_catalog().role(current)
        ratings = [
            {"skill_code": code, "level": int(level)} for code, level in CareerPathXBlock.profile_of(role).items()
        ]
        assert api.post("/assessments", {"ratings": ratings}).status_code == 201
        limit = len(block.view_context()["suggestions"])
        tool = api.get(f"/career/recommendations?current={current}&limit={limit}").get_json()
        view = block.view_context()
        for tool_list, block_list in (
            ("closest", "suggestions"),
            ("step_up", "step_up"),
            ("related_moves", "related_moves"),
        ):
            assert [(r["code"], r["band"]) for r in tool[tool_list]] == [
                (r["code"], r["band"]) for r in view[block_list]
            ], tool_list
        assert view["suggestions"] and view["related_moves"]
        assert view["level_zone"] == tool["level_zone"]
    finally:
        peer.close()
