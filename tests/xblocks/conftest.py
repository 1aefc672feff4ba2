"""Fixtures for the XBlock tests: a fresh recording runtime per test, nothing shared between tests."""

from __future__ import annotations

import pytest

from tests.xblocks.runtime import RecordingRuntime


@pytest.fixture
def runtime() -> RecordingRuntime:
    return RecordingRuntime()
