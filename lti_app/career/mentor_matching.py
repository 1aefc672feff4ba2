"""Programme-wide mentor assignment: maximise total fit under capacities and must-not rules (decision 0017).

The fit of every pair follows ``career_core.mentoring`` (evaluated here in bulk with NumPy). The assignment is
SciPy's ``linear_sum_assignment`` on a mentee x mentor-seat matrix (a mentor with capacity c has c identical
seats). ``exact_assignment`` solves the same problem as a linear programme with HiGHS, as an
independent check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import linear_sum_assignment, linprog

from career_core.mentoring import (
    NO_RULES,
    Assignment,
    Match,
    MatchingRules,
    MenteeNeeds,
    MentorOffer,
    validate_programme,
)

FloatMatrix = NDArray[np.float64]
# Interior point then crossover to a basic (vertex) optimum: measured several times faster than dual simplex
# on the benchmark's degenerate LPs, and a vertex of this LP is a 0/1 assignment.
LP_METHOD = "highs-ipm"


def fit_matrix(
    mentees: Sequence[MenteeNeeds], mentors: Sequence[MentorOffer], rules: MatchingRules = NO_RULES
) -> FloatMatrix:
    """``fits[i, j]``: career_core's fit of ``mentors[j]`` for ``mentees[i]``; 0 where a must-not rule applies.

    Per skill, ``weight x min(gap, max(0, mentor_level - current))`` summed and divided by the mentee's total
    weighted gap: the formula of ``career_core.mentoring.explain_fit``, on whole arrays at once.

    :raise ValidationError: when a mentee or a mentor appears twice.
    """
    validate_programme(mentees, mentors)
    skills = sorted({need.skill_code for mentee in mentees for need in mentee.needs})
    column = {code: k for k, code in enumerate(skills)}
    n_e, n_m, n_s = len(mentees), len(mentors), len(skills)
    current = np.zeros((n_e, n_s))
    gap = np.zeros((n_e, n_s))
    weight = np.zeros((n_e, n_s))
    for i, mentee in enumerate(mentees):
        for need in mentee.needs:
            k = column[need.skill_code]
            current[i, k], gap[i, k], weight[i, k] = need.current, need.gap, need.weight
    level = np.zeros((n_m, n_s))
    offered = np.zeros((n_m, n_s), dtype=bool)
    for j, mentor in enumerate(mentors):
        for strength in mentor.strengths:
            k = column.get(strength.skill_code, -1)
            if k >= 0:
                level[j, k], offered[j, k] = strength.level, True
    covered = np.zeros((n_e, n_m))
    for k in range(n_s):
        needing = weight[:, k] > 0
        if not needing.any():
            continue
        # A skill the mentor does not offer covers nothing, whatever the mentee's level.
        reach = np.where(offered[None, :, k], level[None, :, k] - current[needing, k, None], 0.0)
        covered[needing] += weight[needing, k, None] * np.clip(reach, 0.0, gap[needing, k, None])
    possible = (weight * gap).sum(axis=1)
    fits = np.divide(covered, possible[:, None], out=np.zeros_like(covered), where=possible[:, None] > 0)
    np.minimum(fits, 1.0, out=fits)
    _exclude(fits, mentees, mentors, rules)
    return fits


def _exclude(
    fits: FloatMatrix, mentees: Sequence[MenteeNeeds], mentors: Sequence[MentorOffer], rules: MatchingRules
) -> None:
    mentee_row = {m.mentee_id: i for i, m in enumerate(mentees)}
    mentor_col = {m.mentor_id: j for j, m in enumerate(mentors)}
    for mentee_id, i in mentee_row.items():
        j = mentor_col.get(mentee_id)
        if j is not None:
            fits[i, j] = 0.0
    for rule in rules.must_not:
        i, j = mentee_row.get(rule.mentee_id, -1), mentor_col.get(rule.mentor_id, -1)
        if i >= 0 and j >= 0:
            fits[i, j] = 0.0


def _check_shape(table: FloatMatrix, mentees: Sequence[MenteeNeeds], mentors: Sequence[MentorOffer]) -> None:
    if table.shape != (len(mentees), len(mentors)):
        raise ValueError(f"fits has shape {table.shape}, not {len(mentees)} mentees x {len(mentors)} mentors")


def _matches(
    rows: NDArray[np.intp],
    cols: NDArray[np.intp],
    fits: FloatMatrix,
    mentees: Sequence[MenteeNeeds],
    mentors: Sequence[MentorOffer],
) -> Assignment:
    # A pair with zero fit (which includes every excluded pair) adds nothing: leaving the mentee free is as good.
    return Assignment(
        tuple(
            Match(mentees[i].mentee_id, mentors[j].mentor_id, float(fits[i, j]))
            for i, j in sorted(zip(rows.tolist(), cols.tolist(), strict=True))
            if fits[i, j] > 0
        )
    )


def optimal_assignment(
    mentees: Sequence[MenteeNeeds],
    mentors: Sequence[MentorOffer],
    rules: MatchingRules = NO_RULES,
    *,
    fits: FloatMatrix | None = None,
) -> Assignment:
    """The assignment of greatest total fit: each mentee at most one mentor, each mentor within capacity.

    Excluded and zero-fit pairs are never assigned. ``fits`` may be passed when already computed.
    """
    table = fit_matrix(mentees, mentors, rules) if fits is None else fits
    _check_shape(table, mentees, mentors)
    if table.size == 0:
        return Assignment(())
    capacities = np.array([mentor.capacity for mentor in mentors])
    seat_owner = np.repeat(np.arange(len(mentors)), capacities)
    rows, seats = linear_sum_assignment(table[:, seat_owner], maximize=True)
    return _matches(rows, seat_owner[seats], table, mentees, mentors)


@dataclass(frozen=True)
class ExactSolution:
    """HiGHS's optimum and its certificate: no pair left out of the model could have raised the total."""

    assignment: Assignment
    objective: float
    pricing_rounds: int
    columns: int


def exact_assignment(
    mentees: Sequence[MenteeNeeds],
    mentors: Sequence[MentorOffer],
    rules: MatchingRules = NO_RULES,
    *,
    fits: FloatMatrix | None = None,
    start_columns: int = 5,
    tolerance: float = 1e-9,
) -> ExactSolution:
    """The same optimum as a transportation LP solved by HiGHS (``scipy.optimize.linprog``), independently.

    ``max sum f_ij x_ij`` subject to ``sum_j x_ij <= 1`` per mentee and ``sum_i x_ij <= capacity_j`` per mentor,
    ``x >= 0``. Its constraint matrix is totally unimodular, so HiGHS's vertex optimum is a 0/1 assignment.
    With a million pairs the full LP is slow, so it starts from each mentee's ``start_columns`` best pairs and,
    round after round, adds up to as many left-out pairs per mentee among those whose reduced cost
    ``f_ij - u_i - v_j`` is positive under the duals (``u``, ``v``), until none is: the duals then prove the
    restricted optimum optimal for the full problem.
    """
    table = fit_matrix(mentees, mentors, rules) if fits is None else fits
    _check_shape(table, mentees, mentors)
    n_e, n_m = table.shape
    if table.size == 0:
        return ExactSolution(Assignment(()), 0.0, 0, 0)
    positive = table > 0
    in_model = np.zeros_like(positive)
    k = min(start_columns, n_m)
    best = np.argpartition(-table, k - 1, axis=1)[:, :k]
    in_model[np.arange(n_e)[:, None], best] = True
    in_model &= positive
    capacities = np.array([mentor.capacity for mentor in mentors], dtype=float)
    bounds = np.concatenate([np.ones(n_e), capacities])
    rounds = 0
    while True:
        rounds += 1
        rows, cols = np.nonzero(in_model)
        n = len(rows)
        if n == 0:
            return ExactSolution(Assignment(()), 0.0, rounds, 0)
        index = np.arange(n)
        constraints = sparse.vstack(
            [
                sparse.csr_array((np.ones(n), (rows, index)), shape=(n_e, n)),
                sparse.csr_array((np.ones(n), (cols, index)), shape=(n_m, n)),
            ]
        ).tocsr()
        result = linprog(-table[rows, cols], A_ub=constraints, b_ub=bounds, bounds=(0, None), method=LP_METHOD)
        if result.status != 0:
            raise RuntimeError(f"HiGHS did not solve the assignment LP: {result.message}")
        duals = -result.ineqlin.marginals
        reduced = table - duals[:n_e, None] - duals[None, n_e:]
        missing = positive & ~in_model & (reduced > tolerance)
        if not missing.any():
            break
        # Partial pricing: each mentee's most promising left-out pairs only, so the model stays small.
        score = np.where(missing, reduced, -np.inf)
        most = np.argpartition(-score, k - 1, axis=1)[:, :k]
        picked = np.zeros_like(missing)
        picked[np.arange(n_e)[:, None], most] = True
        in_model |= picked & missing
    if np.any((result.x > 1e-6) & (result.x < 1 - 1e-6)):
        raise RuntimeError("HiGHS returned a fractional assignment")
    chosen = result.x > 0.5
    assignment = _matches(rows[chosen], cols[chosen], table, mentees, mentors)
    return ExactSolution(assignment, float(-result.fun), rounds, n)
