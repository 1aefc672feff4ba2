"""Fixtures for dynamic registration tests: a platform peer that registers tools the way Moodle 4.x does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.registration.registering_platform import RegisteringPlatform


@pytest.fixture()
def lms(app: Flask) -> Iterator[RegisteringPlatform]:
    platform = RegisteringPlatform()
    yield platform
    platform.close()
