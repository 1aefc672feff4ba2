"""The charts in a real browser at a phone's width (390 px) and a laptop's (1366 px): text at 12 px or more,
no two labels on top of each other, nothing cut off at the sides, no sideways scrolling; with screenshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.browser.test_journeys import new_page, no_sideways_scroll, rate_every_skill, tool_frame

pytestmark = pytest.mark.browser

WIDTHS = (390, 1366)

# Every drawn text of every visible chart: its size, and whether it overlaps another text of its chart or
# runs past the chart's sides. Texts inside a closed <details> have no box and are skipped.
MEASURE = """
(root) => {
  const found = { texts: 0, charts: 0, small: [], overlaps: [], outside: [] };
  const label = (node) => Array.from(node.childNodes).filter((n) => n.nodeType === 3).map((n) => n.data).join("");
  root.querySelectorAll("svg.ct-svg").forEach((svg) => {
    const box = svg.getBoundingClientRect();
    if (box.width === 0) { return; }
    found.charts += 1;
    const texts = Array.from(svg.querySelectorAll("text"))
      .map((node) => ({
        node: node, rect: node.getBoundingClientRect(), size: parseFloat(getComputedStyle(node).fontSize),
      }))
      .filter((text) => text.rect.width > 0);
    texts.forEach((text) => {
      found.texts += 1;
      if (text.size < 12 || text.rect.height < 12) { found.small.push(label(text.node) + " " + text.size + "px"); }
      if (text.rect.left < box.left - 1 || text.rect.right > box.right + 1) { found.outside.push(label(text.node)); }
    });
    for (let i = 0; i < texts.length; i += 1) {
      for (let j = i + 1; j < texts.length; j += 1) {
        const a = texts[i].rect, b = texts[j].rect;
        const across = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (across > 1 && down > 1) { found.overlaps.push(label(texts[i].node) + " | " + label(texts[j].node)); }
      }
    }
  });
  return found;
}
"""


def assert_readable(container: Any, charts: int) -> dict[str, Any]:
    found: dict[str, Any] = container.evaluate(MEASURE)
    assert found["charts"] >= charts, found
    assert found["texts"] > 20
    assert found["small"] == [], f"text under 12 px: {found['small']}"
    assert found["overlaps"] == [], f"labels on top of each other: {found['overlaps']}"
    assert found["outside"] == [], f"labels cut off at the sides: {found['outside']}"
    return found


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
