"""``career-toolkit roster refresh`` and ``roster show``."""

from __future__ import annotations

from flask.testing import FlaskCliRunner

from lti_app.models import Context
from tests.roster.nrps_peer import NrpsPeer


def test_roster_refresh_fetches_the_context_named_by_its_lti_id(
    runner: FlaskCliRunner, course: Context, nrps: NrpsPeer
) -> None:
    result = runner.invoke(args=["roster", "refresh", "course-1"])

    assert result.exit_code == 0, result.output
    assert "6 members" in result.output
    assert len(nrps.member_requests) == 3


def test_roster_show_lists_the_members(runner: FlaskCliRunner, course: Context, nrps: NrpsPeer) -> None:
    result = runner.invoke(args=["roster", "show", "course-1"])

    assert result.exit_code == 0, result.output
    assert "6 members (source: nrps)" in result.output
    assert "learner-2\tlearner\tActive\tAlan Turing" in result.output


def test_roster_refresh_reports_a_refusal(runner: FlaskCliRunner, course: Context, nrps: NrpsPeer) -> None:
    nrps.member_status = 403

    result = runner.invoke(args=["roster", "refresh", "course-1"])

    assert result.exit_code == 1
    assert "403" in result.output


def test_an_unknown_context_is_an_error(runner: FlaskCliRunner, course: Context) -> None:
    result = runner.invoke(args=["roster", "refresh", "no-such-course"])

    assert result.exit_code == 1
    assert "no context has the id 'no-such-course'" in result.output
