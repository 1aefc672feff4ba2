"""The mentoring programme in a real browser inside the demo LMS: Bo volunteers as a mentor; Ada asks for help,
sees Bo proposed and explained per skill, and asks Bo; Bo accepts and logs a session; Ada sees it and ends the
mentoring with feedback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.browser.test_journeys import new_page, no_sideways_scroll, shoot, tool_frame

pytestmark = pytest.mark.browser

SKILL = "2.A.1.a"  # Reading Comprehension


def rate_all_at(frame: Any, level: int) -> None:
    frame.locator("#assessment-form").wait_for()
    for index in range(frame.locator("fieldset.skill").count()):
        frame.locator(f'label[for="skill-{index + 1}-lv-{level}"]').click()
    frame.locator("#save-ratings").click()
    frame.locator("#chart svg.ct-svg").first.wait_for()


def open_mentoring(browser: Any, lms: str, user: str, width: int = 1280, rate: int | None = None) -> tuple[Any, ...]:
    context, page, dialogs = new_page(browser, width=width)
    page.goto(lms + f"/?user={user}")
    page.locator("a.activity-launch").first.click()
    frame = tool_frame(page)
    if rate is not None:
        rate_all_at(frame, rate)
    frame.get_by_role("button", name="Mentoring").click()
    frame.get_by_role("heading", name="Mentoring", exact=True).wait_for()
    return context, page, dialogs, frame


def test_mentee_match_accept_session(browser: Any, demo: Flask, lms: str, screenshots: Path) -> None:
    # Bo rates themself high and volunteers to help with Reading Comprehension, for up to two people.
    context, page, dialogs, frame = open_mentoring(browser, lms, "bo", rate=6)
    frame.get_by_text("Offer your help").click()
    frame.locator(f'#volunteer-form input[value="{SKILL}"]').check()
    frame.locator("#capacity").select_option("2")
    frame.get_by_role("button", name="Save my offer").click()
    frame.locator("#mentoring-message", has_text="Thank you").wait_for()
    assert "Reading Comprehension" in frame.locator("#offer-summary").inner_text()
    context.close()

    # Ada rates themself lower, asks for help, and sees Bo proposed with the reason per skill.
    context, page, dialogs, frame = open_mentoring(browser, lms, "ada", rate=2)
    frame.locator("#ask-skill-0").select_option(SKILL)
    frame.locator("#ask-level-0").select_option("5")
    frame.get_by_role("button", name="Find mentors").click()
    proposal = frame.locator("#proposals .proposal").first
    proposal.wait_for()
    text = proposal.inner_text()
    assert "Bo Learner" in text and "Reading Comprehension: you 2, aiming for 5; Bo Learner 6 (self-rated)" in text
    shoot(page, screenshots / "mentoring-proposals.png")
    proposal.get_by_text("Ask Bo Learner").click()
    proposal.locator("textarea").fill("I would like to read technical reports faster.")
    proposal.get_by_role("button", name="Send the request").click()
    frame.locator("#mentoring-message", has_text="Request sent").wait_for()
    assert "Waiting for an answer" in frame.locator("#as-mentee").inner_text()
    context.close()

    # Bo sees the request with what Ada sent, accepts and logs a session on the Strengths agenda.
    context, page, dialogs, frame = open_mentoring(browser, lms, "bo")
    mentees = frame.locator("#as-mentor")
    assert "read technical reports faster" in mentees.inner_text()
    mentees.get_by_role("button", name="Accept").click()
    frame.locator("#mentoring-message", has_text="Accepted").wait_for()
    frame.locator("#session-agenda").select_option("strengths")
    frame.locator("#session-notes").fill("Skimming and summarising drills.")
    frame.get_by_role("button", name="Log the session").click()
    frame.locator("#mentoring-message", has_text="Session logged").wait_for()
    shoot(page, screenshots / "mentoring-mentor.png")
    context.close()

    # Ada sees the session and ends the mentoring with a rating; on a phone, nothing scrolls sideways.
    context, page, dialogs, frame = open_mentoring(browser, lms, "ada", width=360)
    assert "Skimming and summarising drills." in frame.locator("#sessions").inner_text()
    assert no_sideways_scroll(frame), "the mentoring page scrolls sideways at 360px"
    shoot(page, screenshots / "mentoring-mentee-phone.png")
    frame.get_by_text("End the mentoring").click()
    frame.locator("#as-mentee select[name=rating]").select_option("5")
    frame.locator("#as-mentee textarea[name=feedback]").fill("Clear and practical.")
    frame.locator("#as-mentee").get_by_role("button", name="End").click()
    frame.locator("#mentoring-message", has_text="Ended").wait_for()
    assert "Ended" in frame.locator("#as-mentee").inner_text()
    assert dialogs == []
    context.close()
