"""The blocks' JavaScript in a real browser: the workbench serves them, Chromium submits the forms."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

from tests.chart_checks import assert_readable

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def workbench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A workbench server with a fresh database, for this module only."""
    home = tmp_path_factory.mktemp("workbench")
    (home / "var").mkdir()
    env = {
        **{key: value for key, value in os.environ.items() if key != "PYTHONPATH"},
        "DJANGO_SETTINGS_MODULE": "workbench.settings",
        "EXCLUDE_SAMPLE_XBLOCKS": "yes",
        "WORKBENCH_DATABASES": json.dumps(
            {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(home / "var" / "workbench.db")}}
        ),
    }
    django = [sys.executable, "-W", "ignore", "-m", "django"]
    subprocess.run([*django, "migrate", "--run-syncdb", "-v", "0"], cwd=home, env=env, check=True, timeout=120)
    port = free_port()
    server = subprocess.Popen(
        [*django, "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=home,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(url + "/", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def page(workbench: str) -> Iterator[object]:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed")
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(base_url=workbench)
        yield context.new_page()
        browser.close()


def test_rating_skills_redraws_the_block(page) -> None:
    page.goto("/scenario/career_self_assessment.0/")
    for code, level in (("2.A.1.a", "3"), ("2.A.1.b", "4"), ("2.A.1.c", "5"), ("2.A.1.d", "2")):
        page.select_option(f"select[data-skill='{code}']", level)
    page.click("form[data-handler='submit_ratings'] button[type=submit]")
    playwright_api.expect(page.locator(".career-status")).to_have_text("Your ratings are saved.")
    playwright_api.expect(page.locator(".career-progress")).to_have_text("Rated 4 of 4 skills.")
    assert page.locator(".career-chart svg.ct-svg").count() == 1  # the gap bars (one skill group: no overview)


def test_a_refused_request_shows_the_error(page) -> None:
    page.goto("/scenario/career_path.0/")
    page.click("form[data-handler='choose_target'] button[type=submit]", no_wait_after=True)
    # The browser's own "required" check stops an empty form; an equal pair reaches the server.
    page.select_option("#career-current-role", "15-1253.00")
    page.select_option("#career-target-role", "15-1253.00")
    page.click("form[data-handler='choose_target'] button[type=submit]")
    playwright_api.expect(page.locator(".career-status.career-error")).to_contain_text("must differ")


def test_plan_goals_and_status_buttons(page) -> None:
    page.goto("/scenario/career_development_plan.0/")
    page.fill("tr[data-row=goal] input[data-key=title]", "Write test plans")
    page.click("form[data-handler='save_plan'] button[type=submit]")
    playwright_api.expect(page.locator(".career-status")).to_have_text("Your plan is saved.")
    page.click("button[name=action][value=activate]")
    playwright_api.expect(page.locator(".career-plan-status")).to_have_text("Status: active")


def test_reflection_answers(page) -> None:
    page.goto("/scenario/career_reflection.2/")  # personal_vision
    page.fill("[data-field=vision] textarea", "<script>window.pwned = 1</script> I lead a team")
    page.fill("[data-field=milestones] textarea", "first milestone here\nsecond milestone here")
    page.click("form[data-handler='save_answers'] button[type=submit]")
    playwright_api.expect(page.locator(".career-status")).to_have_text("Your answers are saved.")
    assert page.evaluate("window.pwned") is None
    assert "<script>window.pwned" in page.locator("[data-field=vision] textarea").input_value()


@pytest.mark.parametrize("width", [390, 1366])
def test_the_career_path_charts_read_at_phone_and_laptop_width(page, width: int, artifacts_dir) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/scenario/career_path.0/")
    page.select_option("#career-current-role", "15-1253.00")
    page.select_option("#career-target-role", "11-1011.00")
    # The workbench keeps the block's state between runs, so a chart may already be on the page:
    # wait for the handler's answer to swap in the new one before measuring it.
    with page.expect_response(lambda response: "choose_target" in response.url):
        page.click("form[data-handler='choose_target'] button[type=submit]")
    playwright_api.expect(page.locator(".career-status")).to_have_class("career-status career-ok")
    chart = page.locator(".career-chart")
    chart.locator("figure.ct-groups").wait_for()
    assert_readable(chart, charts=2)
    assert chart.evaluate("el => el.scrollWidth <= el.clientWidth + 1 && el.clientWidth <= window.innerWidth")
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=str(shots / f"xblock-career-path-charts-{width}.png"))
