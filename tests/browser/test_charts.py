"""The charts in a real browser at a phone's width (390 px) and a laptop's (1366 px): text at 12 px or more,
no two labels on top of each other, nothing cut off at the sides, no sideways scrolling; with screenshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.browser.test_journeys import new_page, no_sideways_scroll, rate_every_skill, tool_frame
from tests.chart_checks import assert_readable

pytestmark = pytest.mark.browser

WIDTHS = (390, 1366)


def shoot_card(page: Any, frame: Any, selector: str, path: Path) -> None:
    """One card of the tool's page: the iframe grown to its content and the viewport to the page first, so
    Chromium paints the cross-site frame in full (as test_journeys.shoot does), then both put back."""
    viewport = page.viewport_size
    iframe = page.locator("iframe.tool")
    content = frame.locator("html").evaluate("html => html.scrollHeight")
    iframe.evaluate("(frame, height) => { frame.style.height = height + 'px'; }", content + 4)
    page.set_viewport_size(
        {"width": viewport["width"], "height": page.evaluate("document.documentElement.scrollHeight")}
    )
    page.wait_for_timeout(300)
    frame.locator(selector).screenshot(path=str(path))
    page.set_viewport_size(viewport)
    iframe.evaluate("frame => { frame.style.height = ''; }")


def save(frame: Any) -> None:
    frame.locator("#save-ratings").click()
    frame.locator("#status", has_text="Saved").wait_for()


@pytest.mark.parametrize("width", WIDTHS)
def test_self_assessment_charts_read_at_phone_and_laptop_width(
    browser: Any, demo: Flask, lms: str, screenshots: Path, width: int
) -> None:
    context, page, dialogs = new_page(browser, width=width, height=900)
    page.goto(lms + "/")
    page.click("#launch-learner")
    frame = tool_frame(page)
    frame.locator("#assessment-form").wait_for()
    rate_every_skill(frame)
    save(frame)
    frame.locator('label[for="skill-1-lv-6"]').click()  # a second sitting: the progress line appears
    frame.locator('label[for="skill-2-lv-5"]').click()
    save(frame)
    chart = frame.locator("#chart")
    chart.locator("figure.ct-progress").wait_for()
    assert chart.locator("figure.ct-chart").count() == 3  # gap bars, skill groups, progress
    assert chart.locator("figure.ct-gaps > svg.ct-svg g.ct-row").count() == 10  # the ten biggest gaps first

    assert_readable(chart, charts=3)
    shoot_card(page, frame, "#chart-card", screenshots / f"charts-self-assessment-{width}.png")

    chart.locator("figure.ct-gaps summary", has_text="Show all").click()
    found = assert_readable(chart, charts=4)
    assert found["charts"] == 4
    chart.locator("figure.ct-gaps summary", has_text="as a table").click()
    table = chart.locator("figure.ct-gaps table")
    assert table.locator("tbody tr").count() == 35
    assert no_sideways_scroll(frame), f"the self-assessment scrolls sideways at {width}px"
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth + 1"), "the table is wider than its chart"
    shoot_card(page, frame, "#chart-card", screenshots / f"charts-self-assessment-{width}-all.png")
    shoot_card(page, frame, "#chart figure.ct-gaps table", screenshots / f"charts-self-assessment-{width}-table.png")
    assert dialogs == []
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_explorer_gap_chart_reads_at_phone_and_laptop_width(
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

    context, page, _dialogs = new_page(browser, width=width, height=900)
    page.goto(lms + "/?user=ada")
    page.locator("tr", has_text="Career-path explorer").locator("a.activity-launch").click()
    frame = tool_frame(page)
    frame.locator("#role-query").fill("nurse")
    frame.locator("#role-search button").click()
    frame.locator("#search-results .js-target").first.click()
    chart = frame.locator("#gap-chart")
    chart.locator("figure.ct-groups").wait_for()
    assert_readable(chart, charts=2)
    assert no_sideways_scroll(frame), f"the explorer scrolls sideways at {width}px"
    shoot_card(page, frame, "#gap-card", screenshots / f"charts-explorer-{width}.png")
    context.close()
