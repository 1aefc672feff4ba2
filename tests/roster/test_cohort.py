"""``cohort(context)``: the instructor dashboard's list of learners, from NRPS when offered, never failing."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update

from lti_app.extensions import db
from lti_app.models import Context, RosterMember
from lti_app.models.base import utcnow
from lti_app.roster import cohort, refresh_roster, roster
from tests.roster.nrps_peer import NrpsPeer


def test_the_cohort_is_the_platforms_active_learners(course: Context, nrps: NrpsPeer) -> None:
    members = cohort(course)

    assert [member.user_id for member in members] == ["learner-4", "learner-1", "learner-2"]
    ada = next(member for member in members if member.user_id == "learner-1")
    assert ada.lti_user_pk is not None, "a member who launched is linked to their user"
    assert ada.email == "ada@example.edu"
    assert next(member for member in members if member.user_id == "learner-4").lti_user_pk is None
    assert next(member for member in members if member.user_id == "learner-4").display_name == "Learner learner-"


def test_roles_and_statuses_are_kept_in_the_roster_cache(course: Context, nrps: NrpsPeer) -> None:
    everyone = cohort(course, include_staff=True, include_inactive=True)

    roles = {member.user_id: (member.role, member.status) for member in everyone}
    assert roles == {
        "teacher-1": ("instructor", "Active"),
        "ta-1": ("instructor", "Active"),
        "learner-1": ("learner", "Active"),
        "learner-2": ("learner", "Active"),
        "learner-3": ("learner", "Inactive"),
        "learner-4": ("learner", "Active"),
    }
    rows = db.session.scalars(select(RosterMember).where(RosterMember.context_pk == course.id)).all()
    assert len(rows) == 6
    assert all(row.fetched_at is not None for row in rows)


def test_the_roster_is_fetched_again_only_when_older_than_the_ttl(app: Flask, course: Context, nrps: NrpsPeer) -> None:
    cohort(course)
    cohort(course)
    assert len(nrps.member_requests) == 3, "the second call is served from the cache"

    db.session.execute(update(RosterMember).values(fetched_at=utcnow() - timedelta(seconds=3601)))
    db.session.commit()
    cohort(course)
    assert len(nrps.member_requests) == 6

    app.config["ROSTER_TTL_SECONDS"] = 24 * 3600
    db.session.execute(update(RosterMember).values(fetched_at=utcnow() - timedelta(hours=2)))
    db.session.commit()
    cohort(course)
    assert len(nrps.member_requests) == 6, "a longer configured TTL keeps the cache"


def test_refresh_on_demand_replaces_the_cached_roster(course: Context, nrps: NrpsPeer) -> None:
    cohort(course)
    db.session.add(RosterMember(context_pk=course.id, user_id="left-the-course", role="learner", lti_roles=[]))
    db.session.commit()

    assert refresh_roster(course) == 6
    assert "left-the-course" not in {member.user_id for member in cohort(course)}
    assert len(nrps.member_requests) == 6
    cohort(course, refresh=True)
    assert len(nrps.member_requests) == 9


@pytest.mark.parametrize("status", [403, 500])
def test_a_refusal_falls_back_to_the_cached_roster_with_a_warning(
    course: Context, nrps: NrpsPeer, status: int, caplog: pytest.LogCaptureFixture
) -> None:
    cohort(course)
    nrps.member_status = status

    with caplog.at_level(logging.WARNING):
        result = roster(course, refresh=True)
        members = cohort(course, refresh=True)

    assert result.source == "nrps" and result.warning and str(status) in result.warning
    assert [member.user_id for member in members] == ["learner-4", "learner-1", "learner-2"]
    assert "could not be refreshed" in result.warning
    assert any("roster of context" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("status", [403, 502])
def test_without_a_cache_a_refusal_falls_back_to_the_learners_seen_at_launch(
    course: Context, nrps: NrpsPeer, status: int
) -> None:
    nrps.member_status = status

    result = roster(course)

    assert result.source == "launches" and result.warning
    assert [member.user_id for member in cohort(course)] == ["learner-1"]
    assert db.session.scalars(select(RosterMember)).all() == []


def test_an_unreachable_platform_falls_back_too(course: Context, nrps: NrpsPeer) -> None:
    course.memberships_url = "http://127.0.0.1:9/members"
    db.session.commit()

    assert [member.user_id for member in cohort(course)] == ["learner-1"]


def test_without_nrps_the_cohort_is_the_learners_seen_at_launch(course: Context, nrps: NrpsPeer) -> None:
    course.memberships_url = None
    db.session.commit()

    result = roster(course)

    assert result.source == "launches" and result.warning is None
    assert [(member.user_id, member.name) for member in cohort(course)] == [("learner-1", "Ada Learner")]
    assert {member.user_id for member in cohort(course, include_staff=True)} == {"learner-1", "teacher-1"}
    assert nrps.member_requests == [] and nrps.token_requests == []
