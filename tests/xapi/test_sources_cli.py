"""`career-toolkit sources add|list|remove`: the secret shown once and stored hashed, clear errors, and
credentials that stop working when the source is removed."""

from __future__ import annotations

import base64
import json
import re

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select, text

from lti_app.extensions import db
from lti_app.models.xapi import XapiSource
from tests.xapi.conftest import ISSUER_A, register_platform, statement


def added(output: str) -> tuple[str, str]:
    key = re.search(r"key:\s+(\S+)", output)
    secret = re.search(r"secret:\s+(\S+)", output)
    assert key and secret, output
    return key.group(1), secret.group(1)


def test_add_prints_key_secret_and_xblock_settings_once(app: Flask, runner: FlaskCliRunner) -> None:
    register_platform("Open edX", ISSUER_A)
    result = runner.invoke(args=["sources", "add", "openedx-blocks", "--platform", ISSUER_A])
    assert result.exit_code == 0, result.output
    key, secret = added(result.output)
    settings = json.loads(result.output[result.output.index("{") :])
    assert settings == {
        "CareerToolkit": {
            "lrs_endpoint": "http://tool.test/xapi/",
            "lrs_key": key,
            "lrs_secret": secret,
            "lrs_platform_issuer": ISSUER_A,
        }
    }
    # Only a digest of the secret is in the database, in no column.
    rows = db.session.execute(text("SELECT * FROM xapi_source")).all()
    assert rows and all(secret not in str(value) for row in rows for value in row)
    listed = runner.invoke(args=["sources", "list"])
    assert "openedx-blocks" in listed.output and key in listed.output and secret not in listed.output
    as_json = json.loads(runner.invoke(args=["sources", "list", "--json"]).output)
    assert [(s["name"], s["issuer"], s["last_used_at"]) for s in as_json] == [("openedx-blocks", ISSUER_A, None)]


def test_add_refuses_unknown_platforms_bad_and_taken_names(app: Flask, runner: FlaskCliRunner) -> None:
    register_platform("Open edX", ISSUER_A)
    unknown = runner.invoke(args=["sources", "add", "x", "--platform", "https://nowhere.example"])
    assert unknown.exit_code != 0 and "no single platform" in unknown.output
    bad = runner.invoke(args=["sources", "add", "a/b;c", "--platform", ISSUER_A])
    assert bad.exit_code != 0 and "NAME" in bad.output
    assert runner.invoke(args=["sources", "add", "blocks", "--platform", ISSUER_A]).exit_code == 0
    taken = runner.invoke(args=["sources", "add", "blocks", "--platform", ISSUER_A])
    assert taken.exit_code != 0 and "exists" in taken.output
    assert len(db.session.scalars(select(XapiSource)).all()) == 1


def test_remove_revokes_the_credentials(app: Flask, runner: FlaskCliRunner) -> None:
    register_platform("Open edX", ISSUER_A)
    key, secret = added(runner.invoke(args=["sources", "add", "blocks", "--platform", ISSUER_A]).output)
    client = app.test_client()
    headers = {
        "Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode(),
        "X-Experience-API-Version": "1.0.3",
    }
    assert client.post("/xapi/statements", json=statement(), headers=headers).status_code == 200
    assert json.loads(runner.invoke(args=["sources", "list", "--json"]).output)[0]["last_used_at"] is not None
    removed = runner.invoke(args=["sources", "remove", "blocks"])
    assert removed.exit_code == 0 and "Removed source blocks" in removed.output
    assert client.post("/xapi/statements", json=statement(level=5), headers=headers).status_code == 401
    assert runner.invoke(args=["sources", "remove", "blocks"]).exit_code != 0
    assert "No xAPI sources" in runner.invoke(args=["sources", "list"]).output
