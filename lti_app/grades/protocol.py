"""The Assignment and Grade Services protocol as the outbox sees it: claim names, scopes, URLs and outcomes.

It imports nothing else in the package, so every other grades module (outbox, ags, dispatch, queue, status) can
depend on it without depending on one another.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit, urlunsplit

AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_LINEITEM_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
SCOPE_RESULT_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"

SCORE_CONTENT_TYPE = "application/vnd.ims.lis.v1.score+json"
SCORE_SCOPES = frozenset({SCOPE_SCORE})

COMPLETED = "Completed"
IN_PROGRESS = "InProgress"
FULLY_GRADED = "FullyGraded"

# What an answer means for the outbox.
DELIVERED = "delivered"  # 2xx: acknowledged, never sent again
ALREADY_STORED = "already"  # the platform says it holds this very change (Open edX: same timestamp)
CONFLICT = "conflict"  # refused as not newer than the platform's last score (Moodle 409, Open edX 400)
RETRY = "retry"  # transient: 401 after renewal, 408, 429, 5xx, connection errors
TIMEOUT = "timeout"  # transient, and the platform may have stored it
FAILED = "failed"  # permanent: the platform will refuse it again
PAUSED = "paused"  # not sent: the platform asked every client to wait (Retry-After); not an attempt
UNSIGNED = "unsigned"  # not sent: the tool cannot sign its token request (its key cannot be decrypted)

# Why a score waits without being sent, as stored in ``ScoreDelivery.blocked_by``.
BLOCKED_SIGNING_KEY = "signing_key"

_RETRYABLE = {401, 408, 425, 429, 500, 502, 503, 504}


@dataclass(frozen=True)
class SendResult:
    outcome: str
    http_status: int | None = None
    error: str | None = None
    retry_after: float | None = None
    duration_ms: float = 0.0


def scores_url(line_item_url: str) -> str:
    """The line item's score endpoint: ``/scores`` appended to the path, the query string kept (Moodle's type_id)."""
    parts = urlsplit(line_item_url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + "/scores", parts.query, ""))


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds from now: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def classify(status: int, text: str) -> str:
    """What an HTTP answer to a score POST means for the outbox."""
    if 200 <= status < 300:
        return DELIVERED
    if status == 409:
        return CONFLICT
    lowered = text.lower()
    if status == 400 and "timestamp" in lowered:
        # Open edX: "Score already exists for the provided timestamp" / "... only be updated to a later point".
        return ALREADY_STORED if "already exists" in lowered else CONFLICT
    if status in _RETRYABLE or status >= 500:
        return RETRY
    return FAILED
