"""The plan workflow table: every (status, action, actor) combination, allowed or refused."""

from __future__ import annotations

import itertools

import pytest

from career_core.errors import CareerDomainError
from career_core.plan_workflow import (
    PlanAction,
    PlanActor,
    WorkflowError,
    allowed_actions,
    apply_transition,
    transition,
)
from career_core.plans import DevelopmentPlan, PlanStatus

S, A, P = PlanStatus, PlanAction, PlanActor
OWNER = {P.OWNER}
REVIEWER = {P.MANAGER, P.MENTOR, P.INSTRUCTOR, P.ADMINISTRATOR}
EVERYONE = OWNER | REVIEWER

# Written out independently of the module's table: (status, action) -> (target, actors with review
# required, actors without review required).
EXPECTED: dict[tuple[PlanStatus, PlanAction], tuple[PlanStatus, set[PlanActor], set[PlanActor]]] = {
    (S.DRAFT, A.REQUEST_REVIEW): (S.WAITING_FOR_REVIEW, OWNER, OWNER),
    (S.WAITING_FOR_REVIEW, A.CANCEL_REVIEW_REQUEST): (S.DRAFT, OWNER, OWNER),
    (S.WAITING_FOR_REVIEW, A.START_REVIEW): (S.IN_REVIEW, REVIEWER, REVIEWER),
    (S.IN_REVIEW, A.APPROVE): (S.ACTIVE, REVIEWER, REVIEWER),
    (S.IN_REVIEW, A.SEND_BACK): (S.DRAFT, REVIEWER, REVIEWER),
    (S.DRAFT, A.ACTIVATE): (S.ACTIVE, REVIEWER, EVERYONE),
    (S.ACTIVE, A.COMPLETE): (S.COMPLETE, EVERYONE, EVERYONE),
    (S.COMPLETE, A.REOPEN): (S.ACTIVE, EVERYONE, EVERYONE),
}

CASES = list(itertools.product(PlanStatus, PlanAction, PlanActor, [True, False]))


@pytest.mark.parametrize(("status", "action", "actor", "requires_review"), CASES)
def test_every_combination_matches_the_expected_table(
    status: PlanStatus, action: PlanAction, actor: PlanActor, requires_review: bool
) -> None:
    expected = EXPECTED.get((status, action))
    allowed = expected is not None and actor in expected[1 if requires_review else 2]
    if allowed:
        assert expected is not None
        assert transition(status, action, actor, requires_review=requires_review) is expected[0]
        assert action in allowed_actions(status, actor, requires_review=requires_review)
    else:
        with pytest.raises(WorkflowError):
            transition(status, action, actor, requires_review=requires_review)
        assert action not in allowed_actions(status, actor, requires_review=requires_review)


def test_review_is_required_unless_said_otherwise() -> None:
    with pytest.raises(WorkflowError):
        transition(S.DRAFT, A.ACTIVATE, P.OWNER)


def test_refusal_by_actor_says_who_may() -> None:
    with pytest.raises(WorkflowError) as excinfo:
        transition(S.IN_REVIEW, A.APPROVE, P.OWNER)
    assert str(excinfo.value) == (
        "The owner may not approve a plan that is in review; only the administrator, instructor, manager or mentor may."
    )


def test_refusal_of_owner_activation_names_the_review_requirement() -> None:
    with pytest.raises(WorkflowError, match="because this plan requires review"):
        transition(S.DRAFT, A.ACTIVATE, P.OWNER, requires_review=True)


def test_refusal_by_status_says_where_the_action_applies() -> None:
    with pytest.raises(WorkflowError) as excinfo:
        transition(S.DRAFT, A.COMPLETE, P.OWNER)
    assert str(excinfo.value) == "Cannot complete a plan that is draft: only from active."


def test_workflow_error_is_a_domain_error() -> None:
    assert issubclass(WorkflowError, CareerDomainError)


def test_full_review_cycle_on_a_plan_uses_its_own_flag() -> None:
    plan = DevelopmentPlan(owner="learner-1")
    plan = apply_transition(plan, A.REQUEST_REVIEW, P.OWNER)
    plan = apply_transition(plan, A.START_REVIEW, P.MENTOR)
    plan = apply_transition(plan, A.APPROVE, P.MANAGER)
    plan = apply_transition(plan, A.COMPLETE, P.OWNER)
    assert apply_transition(plan, A.REOPEN, P.INSTRUCTOR).status is S.ACTIVE
    self_directed = DevelopmentPlan(owner="learner-1", requires_review=False)
    assert apply_transition(self_directed, A.ACTIVATE, P.OWNER).status is S.ACTIVE


def test_allowed_actions_for_a_reviewer_of_a_waiting_plan() -> None:
    assert allowed_actions(S.WAITING_FOR_REVIEW, P.MANAGER) == (A.START_REVIEW,)
    assert allowed_actions(S.WAITING_FOR_REVIEW, P.OWNER) == (A.CANCEL_REVIEW_REQUEST,)
