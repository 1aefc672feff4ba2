"""`0013_scale_indexes` fills each learner's latest levels and the course's tally from the sittings already stored."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from sqlalchemy import text

from lti_app.extensions import db
from lti_app.models import Context, Deployment, LtiUser, Platform, SelfAssessmentRecord, SkillFrameworkRecord


def test_the_upgrade_backfills_latest_levels_and_the_tally(fresh_app: Flask) -> None:
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade", "0011_assessment_draft"]).exit_code == 0
    with fresh_app.app_context():
        platform = Platform(
            name="P",
            issuer="https://p",
            client_id="c",
            auth_login_url="https://p/a",
            auth_token_url="https://p/t",
            key_set_url="https://p/k",
        )
        db.session.add(platform)
        db.session.flush()
        deployment = Deployment(platform_id=platform.id, deployment_id="d")
        db.session.add(deployment)
        db.session.flush()
        context = Context(platform_id=platform.id, deployment_pk=deployment.id, lti_context_id="c1")
        ada, bo = LtiUser(issuer="https://p", sub="a"), LtiUser(issuer="https://p", sub="b")
        framework = SkillFrameworkRecord(identifier="f", title="F", scale={}, skills=[])
        db.session.add_all([context, ada, bo, framework])
        db.session.flush()
        for user, day, ratings in (
            (ada, 1, [{"skill_code": "x", "level": 2}, {"skill_code": "y", "level": 3}]),
            (ada, 2, [{"skill_code": "x", "level": 5}]),  # the later sitting wins for x
            (bo, 1, [{"skill_code": "x", "level": 5}]),
        ):
            db.session.add(
                SelfAssessmentRecord(
                    user_id=user.id,
                    context_pk=context.id,
                    framework_pk=framework.id,
                    taken_at=datetime(2026, 1, day),
                    ratings=ratings,
                )
            )
        db.session.commit()
        ids = (ada.id, bo.id)
    upgraded = runner.invoke(args=["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    with fresh_app.app_context():
        latest = db.session.execute(
            text("SELECT user_id, skill_code, level FROM latest_skill_level ORDER BY user_id, skill_code")
        ).all()
        tally = db.session.execute(
            text("SELECT skill_code, level, learners FROM cohort_level_tally ORDER BY skill_code, level")
        ).all()
        db.session.rollback()
    assert [tuple(r) for r in latest] == [(ids[0], "x", 5), (ids[0], "y", 3), (ids[1], "x", 5)]
    assert [tuple(r) for r in tally] == [("x", 5, 2), ("y", 3, 1)]
