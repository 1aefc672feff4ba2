"""The embedded demo: a fresh instance folder to the toolkit inside the bundled demo LMS."""

from __future__ import annotations

import html
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from flask import Flask
from werkzeug.serving import make_server

from lti_app.demo import build_demo_app, demo_urls


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _demo_app(tmp_path: Path, database_url: str, port: int = 5999) -> Flask:
    return build_demo_app(
        "127.0.0.1",
        port,
        {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": database_url, "SECRET_KEY": "demo-test", "TESTING": True},
    )


@contextmanager
def running_demo(tmp_path: Path, database_url: str) -> Iterator[Flask]:
    """The demo on a real server: the tool fetches the demo LMS's JWKS over HTTP, as from any LMS."""
    port = free_port()
    app = _demo_app(tmp_path, database_url, port)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app
    finally:
        server.shutdown()


def signed_launch(browser: requests.Session, lms_launch_url: str) -> tuple[str, dict[str, str]]:
    """Do what the browser does inside the demo LMS's iframe up to the platform's auto-posted form.

    Returns the form's action and fields (id_token and state). The demo offers client-side storage, so the
    tool's login answers with its storing page rather than a redirect; a client without scripts follows its
    link on to the platform, as the page does once the values are stored.
    """
    frame = browser.get(lms_launch_url, timeout=10)
    assert frame.status_code == 200
    login_url = html.unescape(re.search(r'class="tool" title="Career Toolkit" src="([^"]+)"', frame.text).group(1))
    login = browser.get(login_url, allow_redirects=False, timeout=10)
    assert login.status_code == 200, login.text
    auth_url = html.unescape(re.search(r'data-auth-url="([^"]+)"', login.text).group(1))
    auth = browser.get(auth_url, timeout=10)
    assert auth.status_code == 200
    action = html.unescape(re.search(r'action="([^"]+)"', auth.text).group(1))
    fields = {html.unescape(k): html.unescape(v) for k, v in re.findall(r'name="([^"]+)" value="([^"]*)"', auth.text)}
    return action, fields


def follow_launch(browser: requests.Session, lms_launch_url: str) -> str:
    """The whole launch in one browser that keeps the tool's state cookie; return the tool page's HTML."""
    action, fields = signed_launch(browser, lms_launch_url)
    launch = browser.post(action, data=fields, timeout=10)
    assert launch.status_code == 200, launch.text
    return launch.text


def test_demo_urls_put_lms_and_tool_on_two_sites() -> None:
    assert demo_urls("127.0.0.1", 5000, None) == ("http://127.0.0.1:5000", "http://localhost:5000")
    assert demo_urls("10.1.2.3", 80, None) == ("http://10.1.2.3:80", "http://10.1.2.3:80")
    assert demo_urls("127.0.0.1", 5000, "https://career.example.edu/") == ("https://career.example.edu",) * 2


def test_demo_registers_its_lms_and_launches_learner_and_instructor(tmp_path: Path) -> None:
    with running_demo(tmp_path, "sqlite:///" + str(tmp_path / "demo.sqlite")) as app:
        lms = app.config["DEMO_LMS_BASE_URL"] + "/demo-lms"
        browser = requests.Session()
        home = browser.get(lms + "/", timeout=10)
        assert home.status_code == 200 and "Launch as learner" in home.text
        learner_page = follow_launch(browser, lms + "/launch?user=ada&activity=activity-self-assessment")
        assert 'name="api-token"' in learner_page and "Ada" in learner_page
        instructor_page = follow_launch(browser, lms + "/launch?user=grace&activity=activity-self-assessment")
        assert 'name="api-token"' in instructor_page
    assert not list(Path.cwd().glob("*.pem")), "the demo must not write keys into the working tree"
    assert (tmp_path / "demo-lms-key.pem").exists()


def test_demo_can_be_prepared_twice(tmp_path: Path) -> None:
    url = "sqlite:///" + str(tmp_path / "demo.sqlite")
    _demo_app(tmp_path, url)
    app = _demo_app(tmp_path, url)
    with app.app_context():
        from lti_app.models.platform import Platform

        assert Platform.query.count() == 1


def test_demo_lms_auth_reports_a_bad_request_like_moodle(tmp_path: Path) -> None:
    app = _demo_app(tmp_path, "sqlite:///" + str(tmp_path / "demo.sqlite"))
    client = app.test_client()
    auth = client.get("/demo-lms/auth?client_id=wrong&redirect_uri=http://127.0.0.1:5999/lti/launch&nonce=n")
    fields = {k: html.unescape(v) for k, v in re.findall(r'name="([^"]+)" value="([^"]*)"', auth.text)}
    assert "error" in fields and "client_id" in fields["error_description"]
    refused = client.post("/lti/launch", data=fields)
    assert refused.status_code == 400 and "unknown client_id" in refused.text


def test_demo_lms_offers_client_side_storage_to_the_tool(tmp_path: Path) -> None:
    app = _demo_app(tmp_path, "sqlite:///" + str(tmp_path / "demo.sqlite"))
    frame = app.test_client().get("/demo-lms/launch?user=ada&activity=activity-self-assessment")
    page = frame.get_data(as_text=True)
    login_url = html.unescape(re.search(r'class="tool" title="Career Toolkit" src="([^"]+)"', page).group(1))
    assert "lti_storage_target=_parent" in login_url
    assert 'data-tool-origin="http://127.0.0.1:5999"' in page
    # The platform's script is in the head: it listens before the tool's frame can send anything.
    head = page.split("</head>", 1)[0]
    assert '<script src="/demo-lms/static/lti_storage.js"></script>' in head
    assert "script-src 'self'" in frame.headers["Content-Security-Policy"]
