"""In a real browser inside the demo LMS (third-party cookies blocked): a learner opens "Your profile and data"
from an activity, gets a link code, shares with the course and downloads their data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.browser.test_journeys import assert_no_tool_cookies, new_page, rate_every_skill, shoot, tool_frame

pytestmark = pytest.mark.browser


def test_learner_opens_their_profile_and_downloads_their_data(
    browser: Any, demo: Flask, lms: str, screenshots: Path
) -> None:
    context, page, dialogs = new_page(browser)
    page.goto(lms + "/")
    page.click("#launch-learner")
    frame = tool_frame(page)
    frame.locator("#assessment-form").wait_for()
    rate_every_skill(frame)
    frame.locator("#save-ratings").click()
    frame.locator("#chart svg.ct-svg").first.wait_for()

    frame.get_by_role("button", name="Your profile and data").click()
    frame.get_by_role("heading", name="Your profile and data").wait_for()
    frame.get_by_role("button", name="Show a link code").click()
    code = frame.locator("#link-code code")
    code.wait_for()
    assert len(code.inner_text().replace("-", "")) == 10
    frame.locator('input[name="share"][value="plans"]').check()
    frame.get_by_role("button", name="Save").click()
    frame.locator("#profile-message", has_text="Saved").wait_for()
    assert frame.locator('input[name="share"][value="plans"]').is_checked()
    shoot(page, screenshots / "profile-page.png")

    with page.expect_download() as download_info:
        frame.locator("#download-data").click()
    download = download_info.value
    assert download.suggested_filename == "career-toolkit-data.json"
    document = json.loads(Path(download.path()).read_text())
    assert document["self_assessments"] and document["evidence"]["statements"]
    assert_no_tool_cookies(context, demo)
    assert dialogs == []
    context.close()
