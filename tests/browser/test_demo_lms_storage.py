"""The demo LMS's side of LTI client-side storage, in Chromium: what it answers the tool's frame, and to whom."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask

from tests.browser.test_journeys import new_page, tool_frame

pytestmark = pytest.mark.browser


def test_the_demo_lms_answers_only_the_tools_origin(browser: Any, demo: Flask, lms: str) -> None:
    """The platform's side: put, get, capabilities and an unknown key, asked from the tool's frame and from
    the LMS's own origin (which must get no answer)."""
    context, page, _dialogs = new_page(browser)
    page.goto(lms + "/launch?user=ada&activity=activity-self-assessment")
    frame = tool_frame(page)
    frame.locator("#assessment-form").wait_for()
    tool = page.frames[1]
    exchange = """async (messages) => {
      const answers = [];
      for (const message of messages) {
        answers.push(await new Promise((resolve) => {
          const id = Math.random().toString(36).slice(2);
          const timer = setTimeout(() => resolve(null), 1000);
          window.addEventListener("message", function listen(event) {
            const data = event.data || {};
            if (data.message_id !== id || !String(data.subject).endsWith(".response")) { return; }
            window.removeEventListener("message", listen);
            clearTimeout(timer);
            resolve({origin: event.origin, data: event.data});
          });
          window.parent.postMessage(Object.assign({message_id: id}, message), "*");
        }));
      }
      return answers;
    }"""
    answers = tool.evaluate(
        exchange,
        [
            {"subject": "lti.capabilities"},
            {"subject": "lti.put_data", "key": "probe", "value": "kept"},
            {"subject": "lti.get_data", "key": "probe"},
            {"subject": "lti.get_data", "key": "never-stored"},
            {"subject": "lti.put_data", "key": "probe"},
            {"subject": "lti.something_else"},
        ],
    )
    lms_origin = demo.config["DEMO_LMS_BASE_URL"]
    assert all(answer is not None and answer["origin"] == lms_origin for answer in answers), answers
    capabilities, put, get, unknown, no_value, unsupported = (answer["data"] for answer in answers)
    assert capabilities["subject"] == "lti.capabilities.response"
    assert {"subject": "lti.put_data", "frame": "_parent"} in capabilities["supported_messages"]
    assert {"subject": "lti.get_data", "frame": "_parent"} in capabilities["supported_messages"]
    assert (put["subject"], put["key"], put["value"], put.get("error")) == (
        "lti.put_data.response",
        "probe",
        "kept",
        None,
    )
    assert (get["subject"], get["key"], get["value"]) == ("lti.get_data.response", "probe", "kept")
    assert unknown["subject"] == "lti.get_data.response" and unknown["error"]["code"] == "bad_request"
    assert "value" not in unknown and unknown["error"]["message"]
    assert no_value["error"]["code"] == "bad_request"
    assert unsupported["error"]["code"] == "unsupported_subject"

    # The LMS's own page (not the registered tool's origin) is not answered, and cannot read the tool's values.
    own_origin = page.evaluate(exchange, [{"subject": "lti.get_data", "key": "probe"}])
    assert own_origin == [None], json.dumps(own_origin)
    context.close()
