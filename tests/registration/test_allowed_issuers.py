"""``REGISTRATION_ALLOWED_ISSUERS``: Dynamic Registration open only to the issuers an operator lists."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lti_app.lti.dynamic_registration import parse_allowed_issuers
from tests.registration.registering_platform import RegisteringPlatform
from tests.registration.test_dynamic_registration import nothing_written, start


def test_an_allowed_issuer_registers(app: Flask, client: FlaskClient, lms: RegisteringPlatform) -> None:
    app.config["REGISTRATION_ALLOWED_ISSUERS"] = f"https://moodle.example.edu {lms.issuer}/"
    response = start(client, lms)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert len(lms.registrations) == 1


def test_a_platform_on_another_host_is_refused_before_it_is_contacted(
    app: Flask, client: FlaskClient, lms: RegisteringPlatform
) -> None:
    app.config["REGISTRATION_ALLOWED_ISSUERS"] = "https://moodle.example.edu"
    response = start(client, lms)
    assert response.status_code == 403
    assert "CAREER_TOOLKIT_REGISTRATION_ALLOWED_ISSUERS" in response.get_data(as_text=True)
    assert lms.registrations == []
    assert nothing_written()


def test_another_issuer_on_an_allowed_host_is_refused(
    app: Flask, client: FlaskClient, lms: RegisteringPlatform
) -> None:
    # Same scheme, host and port as the platform, so only the issuer itself (checked after the fetch) differs.
    app.config["REGISTRATION_ALLOWED_ISSUERS"] = lms.issuer + "/another-tenant"
    response = start(client, lms)
    assert response.status_code == 403
    assert lms.registrations == []
    assert nothing_written()


def test_no_setting_admits_any_issuer(app: Flask, client: FlaskClient, lms: RegisteringPlatform) -> None:
    app.config["REGISTRATION_ALLOWED_ISSUERS"] = ""
    assert start(client, lms).status_code == 200


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("", frozenset()),
        (None, frozenset()),
        ("https://a.example https://b.example/", {"https://a.example", "https://b.example"}),
        ("https://a.example,https://b.example/lms", {"https://a.example", "https://b.example/lms"}),
    ],
)
def test_the_setting_is_a_list_of_issuers(setting: str | None, expected: set[str]) -> None:
    assert parse_allowed_issuers(setting) == expected


def test_the_setting_is_read_from_the_environment() -> None:
    from lti_app.config import settings_from_environment

    environ = {"CAREER_TOOLKIT_REGISTRATION_ALLOWED_ISSUERS": "https://moodle.example.edu"}
    assert settings_from_environment(environ)["REGISTRATION_ALLOWED_ISSUERS"] == "https://moodle.example.edu"
