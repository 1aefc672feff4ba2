"""Grade delivery settings: defaults, overridden by ``CAREER_TOOLKIT_GRADE_*`` variables, then by app config."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any

from flask import Flask

from lti_app.config import PREFIX


@dataclass(frozen=True)
class GradeSettings:
    concurrency: int = 8  # HTTP threads per dispatcher process
    platform_concurrency: int = 4  # at most this many requests in flight to one platform
    batch_size: int = 100  # scores claimed per database round trip
    lease_seconds: float = 300.0  # a claimed score left in `delivering` longer than this is reclaimed
    max_attempts: int = 10
    backoff_base_seconds: float = 2.0
    backoff_cap_seconds: float = 3600.0
    http_timeout_seconds: float = 10.0
    token_margin_seconds: float = 60.0  # renew a token this long before it expires
    queue_name: str = "grades"
    inline_poll_seconds: float = 30.0

    @classmethod
    def from_app(cls, app: Flask) -> GradeSettings:
        values: dict[str, Any] = {"http_timeout_seconds": float(app.config.get("HTTP_TIMEOUT_SECONDS", 10))}
        for field in fields(cls):
            name = "GRADE_" + field.name.upper()
            raw = app.config.get(name, os.environ.get(PREFIX + name))
            if raw is None or raw == "":
                continue
            kind = type(getattr(cls, field.name))
            values[field.name] = kind(raw)
        return cls(**values)
