"""The review workflow of a development plan, modelled on Moodle's learning plans.

draft -> waiting_for_review -> in_review -> active -> complete, with the ways back (cancel a review
request, send back, reopen). One table says which actor may take which action from which status;
``transition`` and ``allowed_actions`` only read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from career_core.errors import CareerDomainError
from career_core.plans import DevelopmentPlan, PlanStatus


class PlanActor(StrEnum):
    """Who is acting on the plan, relative to it: its owner or someone supporting the owner."""

    OWNER = "owner"
    MANAGER = "manager"
    MENTOR = "mentor"
    INSTRUCTOR = "instructor"
    ADMINISTRATOR = "administrator"


class PlanAction(StrEnum):
    REQUEST_REVIEW = "request_review"
    CANCEL_REVIEW_REQUEST = "cancel_review_request"
    START_REVIEW = "start_review"
    APPROVE = "approve"
    SEND_BACK = "send_back"
    ACTIVATE = "activate"
    COMPLETE = "complete"
    REOPEN = "reopen"


class WorkflowError(CareerDomainError):
    """An action was refused: not possible from the plan's status, or not by this actor."""


REVIEWERS: frozenset[PlanActor] = frozenset(
    {PlanActor.MANAGER, PlanActor.MENTOR, PlanActor.INSTRUCTOR, PlanActor.ADMINISTRATOR}
)
_OWNER = frozenset({PlanActor.OWNER})
_OWNER_OR_REVIEWER = _OWNER | REVIEWERS


@dataclass(frozen=True)
class Transition:
    """One row of the workflow table.

    ``only_without_review`` lists actors allowed only when the plan does not require review: the
    owner activating their own draft.
    """

    source: PlanStatus
    action: PlanAction
    target: PlanStatus
    actors: frozenset[PlanActor]
    only_without_review: frozenset[PlanActor] = frozenset()

    def permits(self, actor: PlanActor, *, requires_review: bool) -> bool:
        return actor in self.actors or (not requires_review and actor in self.only_without_review)


_S = PlanStatus
_A = PlanAction
TRANSITIONS: Mapping[tuple[PlanStatus, PlanAction], Transition] = {
    (row.source, row.action): row
    for row in (
        Transition(_S.DRAFT, _A.REQUEST_REVIEW, _S.WAITING_FOR_REVIEW, _OWNER),
        Transition(_S.WAITING_FOR_REVIEW, _A.CANCEL_REVIEW_REQUEST, _S.DRAFT, _OWNER),
        Transition(_S.WAITING_FOR_REVIEW, _A.START_REVIEW, _S.IN_REVIEW, REVIEWERS),
        Transition(_S.IN_REVIEW, _A.APPROVE, _S.ACTIVE, REVIEWERS),
        Transition(_S.IN_REVIEW, _A.SEND_BACK, _S.DRAFT, REVIEWERS),
        # A reviewer may put a draft straight into effect (Moodle lets managers do the same); the
        # owner only when nobody asked for the plan to be reviewed.
        Transition(_S.DRAFT, _A.ACTIVATE, _S.ACTIVE, REVIEWERS, only_without_review=_OWNER),
        Transition(_S.ACTIVE, _A.COMPLETE, _S.COMPLETE, _OWNER_OR_REVIEWER),
        Transition(_S.COMPLETE, _A.REOPEN, _S.ACTIVE, _OWNER_OR_REVIEWER),
    )
}


def transition(status: PlanStatus, action: PlanAction, actor: PlanActor, *, requires_review: bool = True) -> PlanStatus:
    """The status after ``actor`` takes ``action`` on a plan in ``status``.

    ``requires_review`` defaults to True so a caller that forgets it cannot let an owner skip review.

    :raise WorkflowError: when the action is not possible from ``status`` or not open to ``actor``.
    """
    row = TRANSITIONS.get((status, action))
    if row is None:
        sources = [key[0].value for key in TRANSITIONS if key[1] is action]
        raise WorkflowError(
            f"Cannot {_verb(action)} a plan that is {_label(status)}: only from {_join(sources, 'or')}."
        )
    if not row.permits(actor, requires_review=requires_review):
        allowed = sorted(row.actors | (frozenset() if requires_review else row.only_without_review))
        detail = " because this plan requires review" if requires_review and actor in row.only_without_review else ""
        raise WorkflowError(
            f"The {actor.value} may not {_verb(action)} a plan that is {_label(status)}{detail}; "
            f"only the {_join([a.value for a in allowed], 'or')} may."
        )
    return row.target


def apply_transition(plan: DevelopmentPlan, action: PlanAction, actor: PlanActor) -> DevelopmentPlan:
    """The plan with its new status, using the plan's own ``requires_review`` flag."""
    status = transition(plan.status, action, actor, requires_review=plan.requires_review)
    return replace(plan, status=status)


def allowed_actions(status: PlanStatus, actor: PlanActor, *, requires_review: bool = True) -> tuple[PlanAction, ...]:
    """Actions ``actor`` may take now, in table order: what a page shows as buttons."""
    return tuple(
        row.action
        for row in TRANSITIONS.values()
        if row.source is status and row.permits(actor, requires_review=requires_review)
    )


def _verb(action: PlanAction) -> str:
    return action.value.replace("_", " ")


def _label(status: PlanStatus) -> str:
    return status.value.replace("_", " ")


def _join(items: list[str], conjunction: str) -> str:
    words = [item.replace("_", " ") for item in items]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"
