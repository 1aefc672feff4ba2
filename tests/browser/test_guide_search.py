"""Title search, the page per role and the anchored self-assessment in a real browser inside the demo LMS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.browser.test_journeys import new_page, no_sideways_scroll, shoot, tool_frame

pytestmark = pytest.mark.browser
PHONE = 390


def add_explorer(browser: Any, lms: str, screenshots: Path) -> None:
    """Grace adds the explorer, typing its target role with a typo and picking the suggestion."""
    context, page, _dialogs = new_page(browser)
    page.goto(lms + "/?user=grace")
    page.click("#add-activity")
    frame = tool_frame(page)
    frame.locator("#pick-career_path").check()
    box = frame.locator("#career_path-target_role")
    box.press_sequentially("electrcian", delay=20)
    option = frame.locator("#settings-career_path .suggest-option").first
    option.wait_for()
    assert "Electricians" in option.inner_text()
    shoot(page, screenshots / "deep-linking-role-suggestions.png")
    option.click()
    assert box.input_value() == "Electricians"
    frame.locator("#add-to-course").click()
    frame.locator("#deep-link-done").wait_for()
    context.close()


def test_search_with_a_typo_then_the_role_pages(browser: Any, demo: Flask, lms: str, screenshots: Path) -> None:
    add_explorer(browser, lms, screenshots)
    context, page, dialogs = new_page(browser)
    page.goto(lms + "/?user=ada")
    page.locator("tr", has_text="Career-path explorer").locator("a.activity-launch").click()
    frame = tool_frame(page)
    frame.locator("#role-query").press_sequentially("sofware developer", delay=15)
    first = frame.locator("#search-results .role-item").first
    first.locator(".role-title", has_text="Software Developers").wait_for()
    assert "Target Computer Systems Engineers/Architects instead" in first.inner_text()
    assert frame.locator("#role-query").input_value() == "sofware developer"
    shoot(page, screenshots / "explorer-search-typo.png")

    first.get_by_role("button", name="About this role").click()
    frame.locator("#role-heading", has_text="Software Developers").wait_for()
    text = frame.locator("main").inner_text()
    assert "No skill ratings in O*NET" in text and "What the work is" in text and "Git" in text
    assert "Skills it needs" not in text
    shoot(page, screenshots / "role-page-unrated.png")

    frame.locator(".moves").get_by_role("button", name="Computer Programmers").first.click()
    frame.locator("#role-heading", has_text="Computer Programmers").wait_for()
    text = frame.locator("main").inner_text()
    assert "Skills it needs" in text and "Level " in text and "Where people come from" in text
    shoot(page, screenshots / "role-page-rated.png")
    frame.get_by_role("button", name="Make this my target").click()
    frame.locator("#target-role", has_text="Computer Programmers").wait_for()
    assert dialogs == []
    context.close()

    context, page, _dialogs = new_page(browser, width=PHONE, height=844)
    page.goto(lms + "/?user=ada")
    page.locator("tr", has_text="Career-path explorer").locator("a.activity-launch").click()
    frame = tool_frame(page)
    frame.locator("#role-query").fill("registered nurse")
    frame.locator("#role-search button").click()
    frame.locator("#search-results .role-item").first.get_by_role("button", name="About this role").click()
    frame.locator("#role-heading", has_text="Registered Nurses").wait_for()
    assert no_sideways_scroll(frame), "the role page scrolls sideways at 390px"
    shoot(page, screenshots / "role-page-phone.png")
    frame.locator(".card.intro").screenshot(path=str(screenshots / "role-page-phone-intro.png"))
    frame.locator(".skill-needs").first.screenshot(path=str(screenshots / "role-page-phone-skills.png"))
    frame.locator(".facts--stack").screenshot(path=str(screenshots / "role-page-phone-takes.png"))
    context.close()


def test_heatmap_role_typo_keeps_the_text(browser: Any, demo: Flask, lms: str, screenshots: Path) -> None:
    context, page, _dialogs = new_page(browser)
    page.goto(lms + "/?user=grace")
    page.click("#launch-instructor")
    frame = tool_frame(page)
    box = frame.locator("#heatmap-role")
    box.fill("regstered nurse")
    box.press("Escape")
    frame.locator("#heatmap-role ~ button, .input-row button", has_text="Show").first.click()
    frame.locator(".role-problem").wait_for()
    assert frame.locator("#heatmap-role").input_value() == "regstered nurse"
    shoot(page, screenshots / "heatmap-did-you-mean.png")
    frame.locator(".role-problem .js-pick-suggestion", has_text="Registered Nurses").click()
    assert box.input_value() == "Registered Nurses"
    box.press("Enter")
    frame.locator("#heatmap-heading", has_text="Registered Nurses").wait_for()
    context.close()


def test_self_assessment_with_anchors_on_a_phone(browser: Any, demo: Flask, lms: str, screenshots: Path) -> None:
    context, page, _dialogs = new_page(browser, width=PHONE, height=844)
    page.goto(lms + "/")
    page.click("#launch-learner")
    frame = tool_frame(page)
    frame.locator("#assessment-form").wait_for()
    reading = frame.locator('fieldset.skill[data-skill="2.A.1.a"]')
    assert "Read a scientific journal article describing surgical procedures" in reading.inner_text()
    assert frame.locator(".group-head").first.inner_text().startswith("Content")
    frame.locator('label[for="skill-1-lv-4"]').click()
    assert reading.locator(".chosen").inner_text() == (
        "Proficient: Understand an email from management describing new personnel policies"
    )
    frame.locator('label[for="skill-2-lv-3"]').click()
    assert frame.locator("#rated-count").inner_text() == "2"
    assert no_sideways_scroll(frame), "the self-assessment scrolls sideways at 390px"
    page.screenshot(path=str(screenshots / "self-assessment-anchors-phone.png"))
    frame.locator(".form-head").screenshot(path=str(screenshots / "self-assessment-phone-progress.png"))
    frame.locator('fieldset.skill[data-skill="2.A.1.a"]').screenshot(
        path=str(screenshots / "self-assessment-phone-reading.png")
    )

    # Leave without saving, come back: the draft (kept on the server: the LMS frame may not use the browser's
    # storage) is restored, and nothing was submitted.
    page.wait_for_timeout(1200)
    page.goto(lms + "/")
    page.click("#launch-learner")
    frame = tool_frame(page)
    frame.locator("#draft-note").wait_for()
    assert "Restored 2 unsaved ratings" in frame.locator("#draft-note").inner_text()
    assert frame.locator("#skill-1-lv-4").is_checked() and frame.locator("#rated-count").inner_text() == "2"
    page.screenshot(path=str(screenshots / "self-assessment-phone-restored.png"))
    frame.locator("#save-ratings").click()
    frame.locator("#status", has_text="Saved").wait_for()
    assert frame.locator("#draft-note").is_hidden()
    page.goto(lms + "/")
    page.click("#launch-learner")
    frame = tool_frame(page)
    frame.locator("#assessment-form").wait_for()
    assert frame.locator("#skill-1-lv-4").is_checked() and frame.locator("#draft-note").is_hidden()
    context.close()
