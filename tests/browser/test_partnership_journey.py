"""The development partnership in a real browser inside the demo LMS: Ada invites Max Manager from the course
roster, shares her plan, Max records a check-in in his own name, verifies a level and recognises the goal Ada
achieved; Ada sees it all. Mo Mentor, whom the LMS names Chen's mentor, sees nothing until Chen shares."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.browser.test_journeys import add_activities_by_deep_linking, new_page, no_sideways_scroll, shoot, tool_frame

pytestmark = pytest.mark.browser

SKILL = "2.A.1.a"  # Reading Comprehension
XSS = "<img src=x onerror=alert(1)>"


def open_plan(browser: Any, lms: str, width: int = 1280) -> tuple[Any, Any, list[str], Any]:
    context, page, dialogs = new_page(browser, width=width)
    page.goto(lms + "/?user=ada")
    page.locator("tr", has_text="My development plan").locator("a.activity-launch").click()
    return context, page, dialogs, tool_frame(page)


def open_people(frame: Any) -> None:
    frame.get_by_role("button", name="Your people").click()
    frame.get_by_role("heading", name="Your people").wait_for()


def launch_as(browser: Any, lms: str, user: str, width: int = 1280) -> tuple[Any, Any, list[str], Any]:
    context, page, dialogs = new_page(browser, width=width)
    page.goto(lms + f"/?user={user}")
    page.click(f"#launch-{'manager' if user == 'max' else 'mentor'}")
    frame = tool_frame(page)
    frame.get_by_role("heading", name="Your people").wait_for()
    return context, page, dialogs, frame


def test_invite_share_checkin_verify_recognise(browser: Any, demo: Flask, lms: str, screenshots: Path) -> None:
    add_activities_by_deep_linking(browser, lms, demo, screenshots)

    # Ada writes a plan with a goal on a skill, then invites Max from the course roster.
    context, page, dialogs, frame = open_plan(browser, lms)
    frame.locator("#start-form button").click()
    frame.locator("#goal-form").wait_for()
    frame.locator("#goal-title").fill("Lead the quarterly review " + XSS)
    frame.locator("#goal-skill").select_option(SKILL)
    frame.locator("#goal-form button[type=submit]").click()
    frame.locator(".goal-title").first.wait_for()
    open_people(frame)
    frame.locator("#invite-kind").select_option("manager")
    frame.locator("#invite-sub").select_option(label="Max Manager")
    frame.get_by_role("button", name="Invite").click()
    frame.locator("#people-message", has_text="Invited as your manager").wait_for()
    assert "Invited, not accepted yet" in frame.locator("#partners").inner_text()
    context.close()

    # Max launches: he lands on the people he supports, and accepts.
    context, page, dialogs, frame = launch_as(browser, lms, "max")
    frame.locator("#supporting").get_by_role("button", name="Accept").click()
    frame.locator("#people-message", has_text="Accepted").wait_for()
    assert "Shares nothing with you yet" in frame.locator("#supporting").inner_text()
    context.close()

    # Ada shares her plan and check-ins with Max.
    context, page, dialogs, frame = open_plan(browser, lms)
    frame.locator("#plan-status").wait_for()
    open_people(frame)
    frame.locator('#partners input[value="plan"]').check()
    frame.locator('#partners input[value="checkins"]').check()
    frame.get_by_role("button", name="Save what they see").click()
    frame.locator("#people-message", has_text="Saved").wait_for()
    shoot(page, screenshots / "people-learner.png")
    context.close()

    # Max opens Ada, records a check-in on the career-growth agenda and verifies her level.
    context, page, dialogs, frame = launch_as(browser, lms, "max")
    frame.locator("#supporting").get_by_role("button", name="Open").click()
    frame.get_by_role("heading", name="Ada Learner").wait_for()
    assert XSS in frame.locator(".goal-title").first.inner_text()  # shown as text, never markup
    frame.get_by_text("Record a check-in").click()
    frame.locator("#checkin-agenda").select_option("career_growth")
    frame.locator("#checkin-notes").fill("Ada wants to lead the next quarterly review.")
    frame.locator("#checkin-agreed").fill("Draft the review agenda\nShadow the October review")
    frame.locator("#partner-checkin-form button[type=submit]").click()
    frame.locator("#learner-message", has_text="Check-in saved").wait_for()
    assert "Max Manager (manager)" in frame.locator("#conversation").inner_text()
    frame.locator("#verify-skill").select_option(SKILL)
    frame.locator("#verify-level").select_option("4")
    frame.locator("#verify-note").fill("Summarised the board papers accurately.")
    frame.locator("#verify-form button[type=submit]").click()
    frame.locator("#learner-message", has_text="Level verified").wait_for()
    shoot(page, screenshots / "people-manager-learner.png")
    context.close()

    # Ada sees Max's check-in in her plan, and marks the goal achieved.
    context, page, dialogs, frame = open_plan(browser, lms)
    frame.locator("#checkins .checkin").first.wait_for()
    assert "Max Manager (manager)" in frame.locator("#checkins").inner_text()
    frame.locator(".js-goal-done").first.check()
    frame.locator("#status", has_text="Goal achieved").wait_for()
    context.close()

    # Max recognises it, with an Open Badges credential.
    context, page, dialogs, frame = launch_as(browser, lms, "max")
    frame.locator("#supporting").get_by_role("button", name="Open").click()
    frame.get_by_text("Recognise this achievement").click()
    frame.locator(".recognise-form textarea").fill("You ran the review calmly and on time: thank you.")
    frame.locator('.recognise-form input[name="credential"]').check()
    frame.locator(".recognise-form button[type=submit]").click()
    frame.locator("#learner-message", has_text="Recognition sent").wait_for()
    assert "Credential issued" in frame.locator("#recognitions").inner_text()
    context.close()

    # Ada sees the recognition and the verified level; a phone shows the page without sideways scrolling.
    context, page, dialogs, frame = open_plan(browser, lms, width=360)
    frame.locator("#plan-status").wait_for()
    open_people(frame)
    assert "You ran the review calmly" in frame.locator("#my-recognitions").inner_text()
    assert "level 4, verified by Max Manager (manager)" in frame.locator("#my-verifications").inner_text()
    assert no_sideways_scroll(frame), "the people page scrolls sideways at 360px"
    shoot(page, screenshots / "people-learner-phone.png")
    assert dialogs == []
    context.close()


def test_the_lms_names_mo_chens_mentor_and_chen_decides_what_mo_sees(
    browser: Any, demo: Flask, lms: str, screenshots: Path
) -> None:
    # Mo's launch carries role_scope_mentor = [Chen]: Mo is Chen's mentor, and sees nothing of Chen's yet.
    context, page, dialogs, frame = launch_as(browser, lms, "mo")
    assert "Shares nothing with you yet" in frame.locator("#supporting").inner_text()
    context.close()

    # Chen finds Mo among their people and shares the self-assessment.
    context, page, dialogs = new_page(browser)
    page.goto(lms + "/?user=chen")
    page.locator("a.activity-launch").first.click()
    frame = tool_frame(page)
    frame.locator("#assessment-form").wait_for()
    open_people(frame)
    partners = frame.locator("#partners")
    assert "Mo Mentor" in partners.inner_text() and "Mentor" in partners.inner_text()
    frame.locator('#partners input[value="assessment"]').check()
    frame.get_by_role("button", name="Save what they see").click()
    frame.locator("#people-message", has_text="Saved").wait_for()
    context.close()

    context, page, dialogs, frame = launch_as(browser, lms, "mo")
    supporting = frame.locator("#supporting")
    assert "Chen Learner" in supporting.inner_text()
    assert "Self-assessment and skill evidence" in supporting.inner_text()
    frame.locator("#supporting").get_by_role("button", name="Open").click()
    frame.get_by_role("heading", name="Self-assessment", exact=True).wait_for()
    assert frame.locator("#partner-checkin-form").count() == 0  # no plan shared: no check-in on it
    shoot(page, screenshots / "people-mentor.png")
    assert dialogs == []
    context.close()
