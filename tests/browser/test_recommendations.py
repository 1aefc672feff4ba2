"""The explorer's recommendation lists in a real browser, at a phone's width and a laptop's: a learner rates
their skills, opens the explorer, reads the lists with bands and explanations, and picks a target from them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.browser.test_journeys import new_page, no_sideways_scroll, rate_every_skill, shoot, tool_frame

pytestmark = pytest.mark.browser

BANDS = ("Very close", "Close", "Some gaps", "Big gaps")


@pytest.mark.parametrize("width", (390, 1366))
def test_explorer_lists_read_and_lead_to_a_target(
    browser: Any, demo: Flask, lms: str, screenshots: Path, width: int
) -> None:
    context, page, _dialogs = new_page(browser)
    page.goto(lms + "/?user=grace")
    page.click("#add-activity")
    frame = tool_frame(page)
    frame.locator("#pick-career_path").check()
    frame.locator("#add-to-course").click()
    frame.locator("#deep-link-done").wait_for()
    context.close()

    context, page, dialogs = new_page(browser, width=width, height=900)
    page.goto(lms + "/?user=ada")
    page.click("#launch-learner")
    frame = tool_frame(page)
    frame.locator("#assessment-form").wait_for()
    assert rate_every_skill(frame) == 35
    frame.locator("#save-ratings").click()
    frame.locator("#status", has_text="Saved").wait_for()

    page.goto(lms + "/?user=ada")
    page.locator("tr", has_text="Career-path explorer").locator("a.activity-launch").click()
    frame = tool_frame(page)
    closest = frame.locator("#ranked > li")
    closest.first.wait_for()
    assert closest.count() == 6
    for heading in ("Closest to you now", "A step up", "Uses your strongest skills"):
        assert frame.get_by_role("heading", name=heading).is_visible(), heading
    first = closest.first
    assert first.locator(".band").inner_text() in BANDS
    assert "%" not in frame.locator("#recommendations").inner_text()
    assert first.locator(".to-grow").is_visible()
    assert no_sideways_scroll(frame), f"the explorer scrolls sideways at {width}px"
    shoot(page, screenshots / f"recommendations-{width}.png")

    title = first.locator(".role-title").inner_text()
    first.locator(".js-target").click()
    frame.locator("#target-role", has_text=title).wait_for()
    assert dialogs == []
    context.close()
