"""`career-toolkit platforms add|list|remove`: clear errors, nothing written on bad input."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from lti_app.extensions import db
from lti_app.models.platform import Deployment, Platform

GOOD = {
    "--name": "University Moodle",
    "--issuer": "https://moodle.example.edu",
    "--client-id": "abc123",
    "--auth-login-url": "https://moodle.example.edu/mod/lti/auth.php",
    "--auth-token-url": "https://moodle.example.edu/mod/lti/token.php",
    "--key-set-url": "https://moodle.example.edu/mod/lti/certs.php",
}


def add_args(overrides: dict[str, str | None] | None = None, deployments: tuple[str, ...] = ("1",)) -> list[str]:
    options = {**GOOD, **(overrides or {})}
    args = ["platforms", "add"]
    for name, value in options.items():
        if value is not None:
            args += [name, value]
    for deployment in deployments:
        args += ["--deployment-id", deployment]
    return args


def counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count(Platform.id))) or 0,
        db.session.scalar(select(func.count(Deployment.id))) or 0,
    )


def test_add_list_remove(runner) -> None:
    result = runner.invoke(args=add_args(deployments=("1", "2")))
    assert result.exit_code == 0, result.output
    listed = json.loads(runner.invoke(args=["platforms", "list", "--json"]).output)
    assert listed[0]["issuer"] == GOOD["--issuer"] and listed[0]["deployment_ids"] == ["1", "2"]
    assert "University Moodle" in runner.invoke(args=["platforms", "list"]).output
    removed = runner.invoke(args=["platforms", "remove", "University Moodle"])
    assert removed.exit_code == 0
    assert counts() == (0, 0)


def test_many_client_ids_per_issuer(runner) -> None:
    assert runner.invoke(args=add_args()).exit_code == 0
    assert runner.invoke(args=add_args({"--client-id": "second", "--name": "Moodle 2"})).exit_code == 0
    assert counts() == (2, 2)


@pytest.mark.parametrize(
    ("overrides", "deployments", "message"),
    [
        ({"--auth-login-url": "not a url"}, ("1",), "--auth-login-url must be an http(s) URL"),
        ({"--issuer": "ftp://moodle.example.edu"}, ("1",), "--issuer must be an http(s) URL"),
        ({"--key-set-url": None}, ("1",), "key set URL or an inline key set"),
        ({"--key-set": '{"keys": []}'}, ("1",), "exactly one"),
        ({"--key-set-url": None, "--key-set": "nonsense"}, ("1",), "must be a JWKS"),
        ({}, ("1", "1"), "must not repeat"),
        ({"--name": " "}, ("1",), "--name is required"),
    ],
)
def test_bad_input_gives_a_clear_error_and_writes_nothing(runner, overrides, deployments, message) -> None:
    result = runner.invoke(args=add_args(overrides, deployments))
    assert result.exit_code == 2
    assert message in result.output
    assert counts() == (0, 0)


def test_a_missing_option_is_refused_by_the_command_line(runner) -> None:
    result = runner.invoke(args=add_args({"--client-id": None}))
    assert result.exit_code == 2 and "--client-id" in result.output
    assert counts() == (0, 0)


def test_duplicate_issuer_and_client_id_is_refused(runner) -> None:
    assert runner.invoke(args=add_args()).exit_code == 0
    result = runner.invoke(args=add_args({"--name": "Again"}, ("9",)))
    assert result.exit_code == 2 and "already registered" in result.output
    assert counts() == (1, 1)


def test_inline_key_set(runner) -> None:
    key_set = json.dumps({"keys": [{"kty": "RSA", "kid": "k1", "n": "AQAB", "e": "AQAB"}]})
    result = runner.invoke(args=add_args({"--key-set-url": None, "--key-set": key_set}))
    assert result.exit_code == 0, result.output


def test_remove_unknown_platform(runner) -> None:
    result = runner.invoke(args=["platforms", "remove", "nope"])
    assert result.exit_code != 0 and "no single platform" in result.output
