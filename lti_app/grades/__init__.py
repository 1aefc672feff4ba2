"""Completions back to the LMS: a durable outbox of scores and the dispatcher that delivers them over AGS.

- ``enqueue_score(session, ...)``: add a score to the outbox in the caller's transaction (``outbox``).
- ``get_dispatcher(app).drain()``: deliver what is due (``dispatch``); ``wake(app)`` after a commit.
- ``delivery_status()``, ``retry_deliveries()``: for the CLI and the admin page (``status``).
"""

from lti_app.grades.outbox import dispatch_after_commit, enqueue_score
from lti_app.grades.status import delivery_status, retry_deliveries
from lti_app.models.grades import DeliveryAttempt, ScoreDelivery

__all__ = [
    "DeliveryAttempt",
    "ScoreDelivery",
    "delivery_status",
    "dispatch_after_commit",
    "enqueue_score",
    "retry_deliveries",
]
