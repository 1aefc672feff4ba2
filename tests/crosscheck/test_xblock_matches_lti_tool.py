"""The XBlock and the LTI tool give the same gaps, scores, completion and charts for the same ratings.

Both front ends call career_core; this proves they feed it the same way, end to end: the tool through a
real launch and its REST API, the block through its handlers on a recording runtime.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import select

from lti_app.extensions import db
from lti_app.models.grades import ScoreDelivery
from tests.api.conftest import onet
from tests.api.launching import Api, launch
from tests.lti.platform_peer import PlatformPeer
from tests.xblocks.runtime import RecordingRuntime, call_json
from xblocks.self_assessment import SelfAssessmentXBlock

SKILLS = ["2.A.1.a", "2.A.1.b", "2.A.1.c", "2.A.2.a"]
ROLE = "15-1253.00"  # Software Quality Assurance Analysts and Testers
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
