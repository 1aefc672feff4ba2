"""The toolkit in a real browser inside the demo LMS: a learner's self-assessment and plan, an instructor's
review and a course author's deep-linking round trip, with third-party cookies blocked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

pytestmark = pytest.mark.browser

XSS_TITLE = "<script>alert(1)</script>"
TIMEOUT = 15_000


def new_page(browser: Any, width: int = 1280, height: int = 900) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return context, page, dialogs


def shoot(page: Any, path: Path) -> None:
    """The tool's whole page inside the LMS: the iframe grown to its content and the viewport to the page, so
    Chromium paints the cross-site frame in full; then both put back."""
    viewport = page.viewport_size
    iframe = page.locator("iframe.tool")
    content = tool_frame(page).locator("html").evaluate("html => html.scrollHeight")
    iframe.evaluate("(frame, height) => { frame.style.height = height + 'px'; }", content + 4)
    page_height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": viewport["width"], "height": page_height})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path))
    page.set_viewport_size(viewport)
    iframe.evaluate("frame => { frame.style.height = ''; }")


def tool_frame(page: Any) -> Any:
    return page.frame_locator("iframe.tool")


def rate_every_skill(frame: Any) -> int:
    skills = frame.locator("fieldset.skill")
    count = skills.count()
    for index in range(count):
        level = 1 + (index * 3) % 6
        frame.locator(f'label[for="skill-{index + 1}-lv-{level}"]').click()
    return count


def no_sideways_scroll(frame: Any) -> bool:
    return bool(frame.locator("html").evaluate("html => html.scrollWidth <= html.clientWidth + 1"))


def assert_no_tool_cookies(context: Any, demo: Flask) -> None:
    tool_cookies = context.cookies([demo.config["BASE_URL"]])
    assert tool_cookies == [], f"the tool's cookies got through: {tool_cookies}"


def add_activities_by_deep_linking(browser: Any, lms: str, demo: Flask, screenshots: Path) -> None:
    context, page, _dialogs = new_page(browser)
    page.goto(lms + "/?user=grace")
    page.click("#add-activity")
    frame = tool_frame(page)
    frame.get_by_role("heading", name="Add a career activity").wait_for()
    frame.locator("#pick-development_plan").check()
    frame.locator("#development_plan-title").fill("My development plan")
    frame.locator("#pick-reflection").check()
    frame.locator("#reflection-exercise").select_option("strengths")
    frame.locator("#reflection-grading").select_option("on_progress")
    frame.locator("#reflection-max_score").fill("10")
    shoot(page, screenshots / "deep-linking-picker.png")
    frame.locator("#add-to-course").click()
    frame.locator("#deep-link-done").wait_for()
    assert "My development plan" in frame.locator("#deep-link-done").inner_text()
    page.goto(lms + "/?user=grace")
    activities = page.locator("table").first.inner_text()
    assert "My development plan" in activities and "Strengths" in activities
    assert "development_plan" in activities and "reflection" in activities
    assert_no_tool_cookies(context, demo)
    context.close()


def test_learner_rates_skills_and_sees_the_chart(browser: Any, demo: Flask, lms: str, screenshots: Path) -> None:
    context, page, dialogs = new_page(browser)
    page.goto(lms + "/")
    page.click("#launch-learner")
    frame = tool_frame(page)
    frame.locator("#assessment-form").wait_for()
    shoot(page, screenshots / "self-assessment-start.png")
    rated = rate_every_skill(frame)
    assert frame.locator("#rated-count").inner_text() == str(rated)
    frame.locator("#save-ratings").click()
    frame.locator("#chart svg.ct-svg").first.wait_for()
    assert "Saved" in frame.locator("#status").inner_text()
    frame.locator("#chart-card").screenshot(path=str(screenshots / "self-assessment-chart.png"))
    shoot(page, screenshots / "self-assessment-saved.png")
    assert_no_tool_cookies(context, demo)
    assert dialogs == []
    context.close()


def test_self_assessment_fits_a_phone(browser: Any, demo: Flask, lms: str, screenshots: Path) -> None:
    context, page, _dialogs = new_page(browser, width=360, height=740)
    page.goto(lms + "/")
    page.click("#launch-learner")
    frame = tool_frame(page)
    frame.locator("#assessment-form").wait_for()
    page.screenshot(path=str(screenshots / "self-assessment-phone.png"))
    frame.locator('label[for="skill-1-lv-3"]').click()
    frame.locator("#save-ratings").focus()
    page.keyboard.press("Enter")
    frame.locator("#chart svg.ct-svg").first.wait_for()
    assert no_sideways_scroll(frame), "the self-assessment scrolls sideways at 360px"
    frame.locator("#chart-card").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "self-assessment-phone-chart.png"))
    context.close()


def test_plan_with_a_hostile_goal_title_then_instructor_review(
    browser: Any, demo: Flask, lms: str, screenshots: Path
) -> None:
    add_activities_by_deep_linking(browser, lms, demo, screenshots)

    context, page, dialogs = new_page(browser, width=360, height=740)  # on a phone
    page.goto(lms + "/?user=ada")
    page.locator("tr", has_text="My development plan").locator("a.activity-launch").click()
    frame = tool_frame(page)
    frame.locator("#start-form button").click()
    frame.locator("#goal-form").wait_for()
    frame.locator("#goal-title").fill(XSS_TITLE)
    frame.locator("#goal-due").fill("2030-06-30")
    frame.locator("#goal-form button[type=submit]").click()
    goal = frame.locator(".goal-title").first
    goal.wait_for()
    assert goal.inner_text() == XSS_TITLE
    frame.locator("#action-block summary").click()
    frame.locator("#action-title").fill("Shadow a project lead")
    frame.locator("#action-kind").select_option("mentoring")
    frame.locator("#action-form button[type=submit]").click()
    frame.locator(".action").first.wait_for()
    frame.locator("#workflow button[data-action=request_review]").click()
    frame.locator("#plan-status", has_text="Waiting for review").wait_for()
    assert no_sideways_scroll(frame), "the plan scrolls sideways at 360px"
    shoot(page, screenshots / "development-plan-phone.png")
    assert dialogs == [], "a goal title ran as script"
    assert_no_tool_cookies(context, demo)
    context.close()

    context, page, dialogs = new_page(browser)
    page.goto(lms + "/?user=grace")
    page.click("#launch-instructor")
    frame = tool_frame(page)
    frame.locator("#cohort-table").wait_for()
    assert "Ada Learner" in frame.locator("#cohort-table").inner_text()
    review = frame.locator(".review").first
    assert XSS_TITLE in review.inner_text()
    review.locator("textarea").fill("A strong start: add a second goal.")
    shoot(page, screenshots / "instructor-view.png")
    review.locator("button[value=approve]").click()
    review.locator(".review-result", has_text="Approved").wait_for()
    assert dialogs == []
    context.close()


def test_reflection_shows_criteria_and_progress(browser: Any, demo: Flask, lms: str, screenshots: Path) -> None:
    add_activities_by_deep_linking(browser, lms, demo, screenshots)
    context, page, _dialogs = new_page(browser)
    page.goto(lms + "/?user=ada")
    page.locator("tr", has_text="Strengths").locator("a.activity-launch").click()
    frame = tool_frame(page)
    frame.locator(".criteria li").first.wait_for()
    assert "at least 3 complete" in frame.locator(".criteria").inner_text()
    frame.locator("#strengths-strengths-1-strength").fill("Explaining things")
    frame.locator("#strengths-strengths-1-example").fill(
        "I ran the onboarding sessions for three new colleagues last month and they all felt ready."
    )
    frame.locator(".reflection-form button[type=submit]").click()
    frame.locator("#status", has_text="Saved").wait_for()
    assert int(frame.locator(".js-progress").get_attribute("value") or 0) > 0
    shoot(page, screenshots / "reflection.png")
    context.close()


def test_career_path_explorer(browser: Any, demo: Flask, lms: str, screenshots: Path) -> None:
    context, page, _dialogs = new_page(browser)
    page.goto(lms + "/?user=grace")
    page.click("#add-activity")
    frame = tool_frame(page)
    frame.locator("#pick-career_path").check()
    frame.locator("#add-to-course").click()
    frame.locator("#deep-link-done").wait_for()
    page.goto(lms + "/?user=ada")
    page.locator("tr", has_text="Career-path explorer").locator("a.activity-launch").click()
    frame = tool_frame(page)
    frame.locator("#role-query").fill("nurse")
    frame.locator("#role-search button").click()
    frame.locator("#search-results .js-target").first.click()
    frame.locator("#gap-chart svg.ct-svg").first.wait_for()
    assert frame.locator("#target-role").inner_text() != "Not chosen yet"
    shoot(page, screenshots / "career-path.png")
    context.close()


def test_instructor_sees_the_cohort_heatmap(browser: Any, demo: Flask, lms: str, screenshots: Path) -> None:
    for user in ("ada", "bo"):
        context, page, _dialogs = new_page(browser)
        page.goto(lms + f"/?user={user}")
        page.locator("a.activity-launch").first.click()
        frame = tool_frame(page)
        frame.locator("#assessment-form").wait_for()
        rate_every_skill(frame)
        frame.locator("#save-ratings").click()
        frame.locator("#chart svg.ct-svg").first.wait_for()
        context.close()
    context, page, _dialogs = new_page(browser)
    page.goto(lms + "/?user=grace")
    page.click("#launch-instructor")
    frame = tool_frame(page)
    heatmap = frame.locator("#heatmap")
    heatmap.wait_for()
    assert "Ada Learner" in heatmap.inner_text() and "Bo Learner" in heatmap.inner_text()
    assert frame.locator("#heatmap td.heat-met, #heatmap td.heat-close, #heatmap td.heat-far").count() >= 10
    shoot(page, screenshots / "instructor-heatmap.png")
    frame.locator("#heatmap-role").fill("29-1141.00")
    frame.locator("#heatmap-role").press("Enter")
    frame.locator("#heatmap-heading", has_text="Registered Nurses").wait_for()
    context.close()
