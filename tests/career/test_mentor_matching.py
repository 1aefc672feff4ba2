"""Programme-wide assignment: optimal under capacities and must-not rules, equal to an exact MILP, above greedy."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from career_core.errors import ValidationError
from career_core.mentoring import (
    MatchingRules,
    MenteeNeeds,
    MentorOffer,
    SkillNeed,
    Strength,
    assignment_problems,
    explain_assignment,
    fit_table,
    greedy_assignment,
)
from lti_app.career.mentor_matching import exact_assignment, fit_matrix, optimal_assignment

SKILLS = ("writing", "speaking", "math", "coding")


def milp_optimum(fits: np.ndarray, capacities: list[int]) -> float:
    """The textbook 0/1 model over every pair, solved by HiGHS's branch and bound: the reference optimum."""
    n_e, n_m = fits.shape
    n = n_e * n_m
    mentee_rows = sparse.csr_array((np.ones(n), (np.repeat(np.arange(n_e), n_m), np.arange(n))), shape=(n_e, n))
    mentor_rows = sparse.csr_array((np.ones(n), (np.tile(np.arange(n_m), n_e), np.arange(n))), shape=(n_m, n))
    constraints = [LinearConstraint(mentee_rows, 0, 1), LinearConstraint(mentor_rows, 0, np.array(capacities))]
    result = milp(-fits.ravel(), constraints=constraints, bounds=Bounds(0, 1), integrality=np.ones(n))
    assert result.status == 0
    return float(-result.fun)


@st.composite
def programmes(draw: st.DrawFn) -> tuple[list[MenteeNeeds], list[MentorOffer], MatchingRules]:
    level = st.integers(0, 7)
    n_mentees = draw(st.integers(1, 9))
    n_mentors = draw(st.integers(1, 5))
    mentees: list[MenteeNeeds] = []
    for i in range(n_mentees):
        skills = draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=4))
        needs = tuple(
            SkillNeed(code, draw(level), draw(level), draw(st.sampled_from((0.25, 0.5, 1.0)))) for code in skills
        )
        mentees.append(MenteeNeeds(f"p{i}", needs))
    mentors: list[MentorOffer] = []
    for j in range(n_mentors):
        skills = draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=4))
        # Some mentors are also mentees (ids p0, p1, ...), so the "not oneself" rule is exercised.
        mentor_id = f"p{j}" if draw(st.booleans()) else f"m{j}"
        if mentor_id in {m.mentor_id for m in mentors}:
            mentor_id = f"m{j}"
        strengths = tuple(Strength(code, draw(level)) for code in skills)
        mentors.append(MentorOffer(mentor_id, strengths, draw(st.integers(1, 5))))
    pairs = [(m.mentee_id, o.mentor_id) for m in mentees for o in mentors]
    managed = draw(st.lists(st.sampled_from(pairs), max_size=4))
    declined = draw(st.lists(st.sampled_from(pairs), max_size=4))
    managers: dict[str, list[str]] = {}
    for mentee_id, mentor_id in managed:
        managers.setdefault(mentee_id, []).append(mentor_id)
    return mentees, mentors, MatchingRules.build(managers=managers, declined=declined)


@settings(max_examples=120, deadline=None)
@given(programmes())
def test_assignment_is_optimal_and_keeps_every_rule(programme) -> None:
    mentees, mentors, rules = programme
    fits = fit_matrix(mentees, mentors, rules)
    # The bulk fit is career_core's fit, excluded pairs at 0.
    assert fits == pytest.approx(np.array(fit_table(mentees, mentors, rules)).reshape(fits.shape), abs=1e-12)

    optimal = optimal_assignment(mentees, mentors, rules)
    exact = exact_assignment(mentees, mentors, rules, start_columns=1)
    greedy = greedy_assignment(mentees, mentors, rules)
    for result in (optimal, exact.assignment, greedy):
        # No excluded pair, no zero fit, no mentee twice, no mentor over capacity.
        assert assignment_problems(result, mentees, mentors, rules) == []

    reference = milp_optimum(fits, [m.capacity for m in mentors])
    assert optimal.total_fit == pytest.approx(reference, abs=1e-9)
    assert exact.assignment.total_fit == pytest.approx(reference, abs=1e-9)
    assert greedy.total_fit <= optimal.total_fit + 1e-9


def test_optimal_beats_greedy_where_greedy_is_short_sighted() -> None:
    # m1 fits both; greedy gives m1 to ana (1.0) and leaves bo without anyone; optimal sends ana to m2.
    mentees = [
        MenteeNeeds("ana", (SkillNeed("w", 0, 4), SkillNeed("s", 0, 4))),
        MenteeNeeds("bo", (SkillNeed("w", 0, 4),)),
    ]
    mentors = [
        MentorOffer("m1", (Strength("w", 4), Strength("s", 4)), 1),
        MentorOffer("m2", (Strength("s", 4),), 1),
    ]
    greedy = greedy_assignment(mentees, mentors)
    optimal = optimal_assignment(mentees, mentors)
    assert greedy.total_fit == pytest.approx(1.0)
    assert optimal.total_fit == pytest.approx(1.5)
    assert optimal.mentor_of("ana") == "m2" and optimal.mentor_of("bo") == "m1"
    explained = {p.mentee_id: p for p in explain_assignment(optimal, mentees, mentors)}
    assert [(c.skill_code, c.covered) for c in explained["ana"].covered_skills] == [("s", 4.0)]
    assert explained["ana"].uncovered_skills == ("w",)
    assert explained["bo"].fit == optimal.matches[1].fit == 1.0


def test_capacity_makes_small_groups_and_leaves_the_rest_unassigned() -> None:
    mentees = [MenteeNeeds(f"e{i}", (SkillNeed("w", 0, 4 + i % 2),)) for i in range(6)]
    mentors = [MentorOffer("group", (Strength("w", 7),), 3), MentorOffer("solo", (Strength("w", 2),), 1)]
    optimal = optimal_assignment(mentees, mentors)
    assert len(optimal.mentees_of("group")) == 3
    assert len(optimal.mentees_of("solo")) == 1
    assert len(optimal.matches) == 4
    assert assignment_problems(optimal, mentees, mentors) == []


def test_an_excluded_pair_is_not_assigned_even_when_it_is_the_only_fit() -> None:
    mentees = [MenteeNeeds("ana", (SkillNeed("w", 0, 4),)), MenteeNeeds("bo", (SkillNeed("w", 0, 4),))]
    mentors = [MentorOffer("boss", (Strength("w", 7),), 5), MentorOffer("ana", (Strength("w", 7),), 5)]
    rules = MatchingRules.build(managers={"ana": ["boss"]}, declined=[("bo", "boss")])
    # ana may not have her manager nor herself; bo declined boss but may have ana.
    optimal = optimal_assignment(mentees, mentors, rules)
    assert [(m.mentee_id, m.mentor_id) for m in optimal.matches] == [("bo", "ana")]
    assert exact_assignment(mentees, mentors, rules).assignment == optimal


def test_empty_programmes() -> None:
    assert optimal_assignment([], []).matches == ()
    assert exact_assignment([], []).assignment.matches == ()
    nobody_fits = [MenteeNeeds("ana", (SkillNeed("w", 3, 4),))]
    assert optimal_assignment(nobody_fits, [MentorOffer("m", (Strength("w", 2),))]).matches == ()


def test_the_exact_solver_prices_in_the_pairs_it_left_out() -> None:
    rng = np.random.default_rng(3)
    mentees = [
        MenteeNeeds(f"e{i}", tuple(SkillNeed(s, 0, float(rng.integers(1, 8))) for s in SKILLS)) for i in range(40)
    ]
    mentors = [
        MentorOffer(f"m{j}", tuple(Strength(s, float(rng.integers(0, 8))) for s in SKILLS), int(rng.integers(1, 6)))
        for j in range(10)
    ]
    # Starting from each mentee's single best pair, the first LP is far from the optimum: the duals must
    # bring in other pairs until none could raise the total.
    exact = exact_assignment(mentees, mentors, start_columns=1)
    assert exact.pricing_rounds > 1
    fits = fit_matrix(mentees, mentors)
    reference = milp_optimum(fits, [m.capacity for m in mentors])
    assert exact.assignment.total_fit == pytest.approx(reference, abs=1e-9)
    assert exact.objective == pytest.approx(reference, abs=1e-7)
    assert optimal_assignment(mentees, mentors).total_fit == pytest.approx(reference, abs=1e-9)


def test_a_person_twice_or_a_mismatched_fit_table_is_refused() -> None:
    ana = MenteeNeeds("ana", (SkillNeed("w", 0, 4),))
    ben = MentorOffer("ben", (Strength("w", 7),))
    with pytest.raises(ValidationError, match="'ana' appears more than once"):
        optimal_assignment([ana, ana], [ben])
    with pytest.raises(ValidationError, match="'ben' appears more than once"):
        exact_assignment([ana], [ben, ben])
    with pytest.raises(ValueError, match="shape"):
        optimal_assignment([ana], [ben], fits=np.zeros((2, 1)))
