"""Browser fixtures: Debian's Chromium driven by Playwright, with third-party cookies blocked, against the demo
served on a real server (the LMS on ``localhost``, the tool on ``127.0.0.1``: a cross-site iframe)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.lti.test_demo import running_demo

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Block third-party cookies the way browsers now do by default: the tool must work without its own.
    "--test-third-party-cookie-phaseout",
    # The tool's iframe in its own renderer process made Playwright lose track of it now and then after the
    # LMS's cross-site form post (3 launches in 48 under load). Cookie rules and postMessage origins are
    # decided by site, not by process, so what the tests prove is unchanged.
    "--disable-site-isolation-trials",
]


def require_chromium() -> None:
    """Skip without Debian's Chromium, except in CI, where a missing browser is a failure."""
    if Path(CHROMIUM).exists() and shutil.which(CHROMIUM):
        return
    message = f"{CHROMIUM} is not installed (apt-get install chromium); browser tests need it"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI must run every test)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def demo(tmp_path: Path) -> Iterator[Flask]:
    with running_demo(tmp_path, "sqlite:///" + str(tmp_path / "demo.sqlite")) as app:
        yield app


@pytest.fixture()
def lms(demo: Flask) -> str:
    return str(demo.config["DEMO_LMS_BASE_URL"]) + "/demo-lms"


@pytest.fixture()
def screenshots(artifacts_dir: Path) -> Path:
    path = artifacts_dir / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
