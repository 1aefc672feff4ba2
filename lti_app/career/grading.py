"""Turn a completion into a score in the grade outbox, in the caller's transaction (never commits)."""

from __future__ import annotations

import math

from career_core.scoring import Completion, ComponentKind, GradingMode, score_for
from lti_app.grades.outbox import enqueue_score
from lti_app.models.people import LEARNER, LaunchSession

DEFAULT_MAX_SCORE = 100.0


def max_score(session: LaunchSession) -> float:
    """The placement's ``max_score`` setting (LTI custom parameters arrive as text), default 100."""
    raw = _setting(session, "max_score")
    try:
        value = float(str(raw)) if raw not in (None, "") else DEFAULT_MAX_SCORE
    except ValueError:
        return DEFAULT_MAX_SCORE
    return value if math.isfinite(value) and value >= 0 else DEFAULT_MAX_SCORE


def grading_mode(session: LaunchSession) -> GradingMode:
    """The placement's ``grading`` setting, ``on_completion`` unless it names another mode."""
    raw = _setting(session, "grading")
    try:
        return GradingMode(str(raw)) if raw else GradingMode.ON_COMPLETION
    except ValueError:
        return GradingMode.ON_COMPLETION


def publish_completion(session: LaunchSession | None, kind: ComponentKind, completion: Completion) -> bool:
    """Enqueue the score ``completion`` earns when ``session`` is a learner's launch of a ``kind`` placement.

    Work done from another component's placement goes to no line item: the score belongs to the activity the
    LMS graded. Returns whether a score was added to the outbox (the caller's commit delivers it).
    """
    if session is None or session.role != LEARNER or session.resource_link is None:
        return False
    if session.resource_link.component_kind != kind.value:
        return False
    maximum = max_score(session)
    delivery = enqueue_score(
        session,
        score_given=score_for(completion, grading_mode(session), maximum),
        score_maximum=maximum,
        completed=completion.complete,
    )
    return delivery is not None


def _setting(session: LaunchSession, name: str) -> object:
    if session.resource_link is None:
        return None
    return (session.resource_link.settings or {}).get(name)
