"""Mentor matching: how well a mentor's strengths cover a mentee's gaps, skill by skill, and who may not be paired.

The fit model, written once here (the programme-wide solver in ``lti_app`` evaluates the same formula in bulk):

- A mentee's **need** on a skill is ``gap = max(0, target - current)`` with a weight (the role requirement's
  importance as a 0-1 weight, or 1 for a skill the mentee asked help on).
- A mentor **covers** ``min(gap, max(0, mentor_level - current))`` of it: what the mentor knows beyond where the
  mentee stands, up to the mentee's target. A mentor at or above the target covers the whole gap; a mentor at or
  below the mentee's level covers nothing.
- ``fit = sum(weight x covered) / sum(weight x gap)``, always in [0, 1]: the share of the mentee's weighted gaps
  this mentor can help close. A mentee without gaps has fit 0 with everyone (there is nothing to help with).
- Must-not rules (oneself, one's own manager, someone already declined) and zero fit exclude a pair outright.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from career_core.errors import ValidationError
from career_core.evidence import EvidenceLedger, EvidenceRecord, EvidenceSource
from career_core.gaps import skill_gaps, validate_profile
from career_core.roles import Role

CAPACITY_MIN = 1
CAPACITY_MAX = 5


class StrengthBasis(StrEnum):
    """Where a mentor's level on a skill comes from; verified evidence outranks a self-rating."""

    SELF_RATED = "self_rated"
    VERIFIED = "verified"


class MentoringFormat(StrEnum):
    ONE_TO_ONE = "one_to_one"
    SMALL_GROUP = "small_group"


class ExclusionReason(StrEnum):
    """Why a pair may never be proposed or assigned."""

    SELF = "self"
    MANAGER = "manager"
    DECLINED = "declined"


def _finite_nonnegative(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and 0 <= value < math.inf


@dataclass(frozen=True)
class SkillNeed:
    """What a mentee wants to grow on one skill: from ``current`` to ``target``, weighted 0-1."""

    skill_code: str
    current: float
    target: float
    weight: float = 1.0

    def __post_init__(self) -> None:
        problems = []
        if not self.skill_code.strip():
            problems.append("need.skill_code: must not be empty")
        for name in ("current", "target"):
            if not _finite_nonnegative(getattr(self, name)):
                problems.append(f"need[{self.skill_code}].{name}: must be a finite number >= 0")
        if not (_finite_nonnegative(self.weight) and self.weight <= 1):
            problems.append(f"need[{self.skill_code}].weight: must be between 0 and 1")
        if problems:
            raise ValidationError(problems)

    @property
    def gap(self) -> float:
        return max(0.0, self.target - self.current)

    @property
    def weighted_gap(self) -> float:
        return self.weight * self.gap


@dataclass(frozen=True)
class MenteeNeeds:
    """A mentee and the skill gaps they want help with (only needs with a positive weighted gap are kept)."""

    mentee_id: str
    needs: tuple[SkillNeed, ...]

    def __post_init__(self) -> None:
        problems = []
        if not self.mentee_id.strip():
            problems.append("mentee_id: must not be empty")
        codes = [need.skill_code for need in self.needs]
        if len(set(codes)) != len(codes):
            problems.append(f"mentee[{self.mentee_id}].needs: one need per skill")
        if problems:
            raise ValidationError(problems)
        object.__setattr__(self, "needs", tuple(need for need in self.needs if need.weighted_gap > 0))

    @property
    def total_weighted_gap(self) -> float:
        return sum(need.weighted_gap for need in self.needs)

    @classmethod
    def toward_role(cls, mentee_id: str, profile: Mapping[str, float], role: Role) -> MenteeNeeds:
        """The mentee's gaps to a target role, weighted by each requirement's importance (as in gap analysis).

        :raise ValidationError: when a profile level is negative or not a finite number.
        """
        validate_profile(profile)
        needs = tuple(
            SkillNeed(item.skill_code, item.current, item.required, item.weight)
            for item in skill_gaps(profile, role)
            if not item.met
        )
        return cls(mentee_id, needs)

    @classmethod
    def asking_help(cls, mentee_id: str, profile: Mapping[str, float], targets: Mapping[str, float]) -> MenteeNeeds:
        """The skills the mentee asks help on, each with the level they aim for (all weighted 1).

        :raise ValidationError: when a level is negative or not a finite number.
        """
        validate_profile(profile)
        validate_profile(targets)
        needs = tuple(
            SkillNeed(code, float(profile.get(code, 0.0)), float(target)) for code, target in sorted(targets.items())
        )
        return cls(mentee_id, needs)


@dataclass(frozen=True)
class Strength:
    """A mentor's level on one skill they offer help with, and what the level rests on."""

    skill_code: str
    level: float
    basis: StrengthBasis = StrengthBasis.SELF_RATED

    def __post_init__(self) -> None:
        if not _finite_nonnegative(self.level):
            raise ValidationError(f"strength[{self.skill_code}].level: must be a finite number >= 0")


@dataclass(frozen=True)
class MentorOffer:
    """A volunteer mentor: the skills they can help with and how many mentees they take (1 to 5)."""

    mentor_id: str
    strengths: tuple[Strength, ...]
    capacity: int = 1
    _by_skill: dict[str, Strength] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems = []
        if not self.mentor_id.strip():
            problems.append("mentor_id: must not be empty")
        if isinstance(self.capacity, bool) or not isinstance(self.capacity, int):
            problems.append(f"mentor[{self.mentor_id}].capacity: must be a whole number")
        elif not CAPACITY_MIN <= self.capacity <= CAPACITY_MAX:
            problems.append(
                f"mentor[{self.mentor_id}].capacity: must be {CAPACITY_MIN}-{CAPACITY_MAX}, got {self.capacity}"
            )
        codes = [strength.skill_code for strength in self.strengths]
        if len(set(codes)) != len(codes):
            problems.append(f"mentor[{self.mentor_id}].strengths: one strength per skill")
        if problems:
            raise ValidationError(problems)
        object.__setattr__(self, "_by_skill", {strength.skill_code: strength for strength in self.strengths})

    @property
    def format(self) -> MentoringFormat:
        """Capacity 1 is one-to-one; a mentor taking more runs a small group."""
        return MentoringFormat.ONE_TO_ONE if self.capacity == 1 else MentoringFormat.SMALL_GROUP

    def strength(self, skill_code: str) -> Strength | None:
        return self._by_skill.get(skill_code)

    @classmethod
    def from_evidence(
        cls,
        mentor_id: str,
        *,
        self_ratings: Mapping[str, float],
        verified_levels: Mapping[str, float] | None = None,
        capacity: int = 1,
        offered_skills: Iterable[str] | None = None,
    ) -> MentorOffer:
        """Strengths from the mentor's own ratings, replaced by their verified level where one exists.

        ``offered_skills`` limits the offer to the skills the mentor volunteers for (default: every rated skill).

        :raise ValidationError: when a level is invalid or the capacity is outside 1-5.
        """
        verified = verified_levels or {}
        validate_profile(self_ratings)
        validate_profile(verified)
        codes = set(self_ratings) | set(verified)
        if offered_skills is not None:
            codes &= set(offered_skills)
        strengths = tuple(
            Strength(code, float(verified[code]), StrengthBasis.VERIFIED)
            if code in verified
            else Strength(code, float(self_ratings[code]), StrengthBasis.SELF_RATED)
            for code in sorted(codes)
        )
        return cls(mentor_id, strengths, capacity)


def verified_levels(records: Iterable[EvidenceRecord], person_id: str) -> dict[str, float]:
    """A person's latest verified level per skill (manager verification evidence), for ``from_evidence``."""
    ledger = EvidenceLedger(
        tuple(
            record
            for record in records
            if record.learner_id == person_id
            and record.source is EvidenceSource.MANAGER_VERIFICATION
            and record.level is not None
        )
    )
    return {
        code: float(level)
        for code in sorted({record.skill_code for record in ledger})
        if (level := ledger.latest_level(code)) is not None
    }


@dataclass(frozen=True)
class MustNot:
    """A pair that may never be matched, and why."""

    mentee_id: str
    mentor_id: str
    reason: ExclusionReason


@dataclass(frozen=True)
class MatchingRules:
    """The must-not rules of a programme, as data. Being one's own mentor is always excluded."""

    must_not: frozenset[MustNot] = frozenset()
    _index: dict[tuple[str, str], ExclusionReason] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[tuple[str, str], ExclusionReason] = {}
        for rule in sorted(self.must_not, key=lambda r: (r.mentee_id, r.mentor_id, r.reason.value)):
            index.setdefault((rule.mentee_id, rule.mentor_id), rule.reason)
        object.__setattr__(self, "_index", index)

    @classmethod
    def build(
        cls,
        *,
        managers: Mapping[str, Iterable[str]] | None = None,
        declined: Iterable[tuple[str, str]] = (),
    ) -> MatchingRules:
        """Rules from each mentee's managers and the (mentee, mentor) pairs already declined."""
        rules = {
            MustNot(mentee, manager, ExclusionReason.MANAGER)
            for mentee, managers_of in (managers or {}).items()
            for manager in managers_of
        }
        rules |= {MustNot(mentee, mentor, ExclusionReason.DECLINED) for mentee, mentor in declined}
        return cls(frozenset(rules))

    def exclusion(self, mentee_id: str, mentor_id: str) -> ExclusionReason | None:
        """Why this pair may not be matched, or None when it may."""
        if mentee_id == mentor_id:
            return ExclusionReason.SELF
        return self._index.get((mentee_id, mentor_id))

    def allows(self, mentee_id: str, mentor_id: str) -> bool:
        return self.exclusion(mentee_id, mentor_id) is None


NO_RULES = MatchingRules()


@dataclass(frozen=True)
class SkillCoverage:
    """How much of one of the mentee's gaps this mentor covers."""

    skill_code: str
    mentee_level: float
    target: float
    mentor_level: float | None
    basis: StrengthBasis | None
    weight: float
    covered: float

    @property
    def gap(self) -> float:
        return max(0.0, self.target - self.mentee_level)

    @property
    def share(self) -> float:
        """The part of this gap covered, 0-1."""
        return self.covered / self.gap if self.gap > 0 else 0.0


@dataclass(frozen=True)
class Proposal:
    """A mentor proposed to a mentee: the fit, and per skill what the mentor covers of the mentee's gaps."""

    mentee_id: str
    mentor_id: str
    fit: float
    coverage: tuple[SkillCoverage, ...]
    format: MentoringFormat

    @property
    def covered_skills(self) -> tuple[SkillCoverage, ...]:
        """The gaps this mentor helps with, most covered weighted gap first."""
        return tuple(
            sorted(
                (item for item in self.coverage if item.covered > 0),
                key=lambda item: (-item.weight * item.covered, item.skill_code),
            )
        )

    @property
    def uncovered_skills(self) -> tuple[str, ...]:
        return tuple(item.skill_code for item in self.coverage if item.covered == 0)


def covered_amount(need: SkillNeed, mentor_level: float) -> float:
    """What a mentor at ``mentor_level`` covers of one need: beyond the mentee's level, up to the target."""
    return min(need.gap, max(0.0, mentor_level - need.current))


def explain_fit(mentee: MenteeNeeds, mentor: MentorOffer) -> Proposal:
    """The fit of ``mentor`` for ``mentee`` and its explanation per skill (ignores the must-not rules)."""
    coverage = []
    total = 0.0
    for need in mentee.needs:
        strength = mentor.strength(need.skill_code)
        covered = covered_amount(need, strength.level) if strength else 0.0
        total += need.weight * covered
        coverage.append(
            SkillCoverage(
                skill_code=need.skill_code,
                mentee_level=need.current,
                target=need.target,
                mentor_level=strength.level if strength else None,
                basis=strength.basis if strength else None,
                weight=need.weight,
                covered=covered,
            )
        )
    possible = mentee.total_weighted_gap
    fit = min(1.0, total / possible) if possible > 0 else 0.0
    return Proposal(mentee.mentee_id, mentor.mentor_id, fit, tuple(coverage), mentor.format)


def fit_score(mentee: MenteeNeeds, mentor: MentorOffer, rules: MatchingRules = NO_RULES) -> float:
    """The pair's fit, 0 when a must-not rule excludes it."""
    if not rules.allows(mentee.mentee_id, mentor.mentor_id):
        return 0.0
    return explain_fit(mentee, mentor).fit


def propose_mentors(
    mentee: MenteeNeeds,
    mentors: Iterable[MentorOffer],
    rules: MatchingRules = NO_RULES,
    *,
    limit: int | None = None,
) -> list[Proposal]:
    """Mentors for one mentee, best fit first (ties by mentor id); excluded and zero-fit mentors are left out."""
    proposals = [explain_fit(mentee, mentor) for mentor in mentors if rules.allows(mentee.mentee_id, mentor.mentor_id)]
    ranked = sorted((p for p in proposals if p.fit > 0), key=lambda p: (-p.fit, p.mentor_id))
    return ranked if limit is None else ranked[:limit]


@dataclass(frozen=True)
class Match:
    """One mentee assigned to one mentor in a programme-wide assignment."""

    mentee_id: str
    mentor_id: str
    fit: float


@dataclass(frozen=True)
class Assignment:
    """A programme-wide assignment: each mentee with at most one mentor."""

    matches: tuple[Match, ...]

    @property
    def total_fit(self) -> float:
        return math.fsum(match.fit for match in self.matches)

    def mentor_of(self, mentee_id: str) -> str | None:
        return next((m.mentor_id for m in self.matches if m.mentee_id == mentee_id), None)

    def mentees_of(self, mentor_id: str) -> tuple[str, ...]:
        return tuple(m.mentee_id for m in self.matches if m.mentor_id == mentor_id)


def explain_assignment(
    assignment: Assignment, mentees: Sequence[MenteeNeeds], mentors: Sequence[MentorOffer]
) -> list[Proposal]:
    """Each assigned pair with its per-skill explanation, in the assignment's order."""
    mentee_by_id = {m.mentee_id: m for m in mentees}
    mentor_by_id = {m.mentor_id: m for m in mentors}
    return [explain_fit(mentee_by_id[m.mentee_id], mentor_by_id[m.mentor_id]) for m in assignment.matches]


def assignment_problems(
    assignment: Assignment,
    mentees: Sequence[MenteeNeeds],
    mentors: Sequence[MentorOffer],
    rules: MatchingRules = NO_RULES,
) -> list[str]:
    """Every way ``assignment`` breaks the programme's rules (empty when it keeps them all)."""
    mentee_by_id = {m.mentee_id: m for m in mentees}
    mentor_by_id = {m.mentor_id: m for m in mentors}
    problems: list[str] = []
    seen: set[str] = set()
    load: dict[str, int] = {}
    for match in assignment.matches:
        mentee = mentee_by_id.get(match.mentee_id)
        mentor = mentor_by_id.get(match.mentor_id)
        if mentee is None or mentor is None:
            problems.append(f"{match.mentee_id}->{match.mentor_id}: unknown mentee or mentor")
            continue
        if match.mentee_id in seen:
            problems.append(f"{match.mentee_id}: has more than one mentor")
        seen.add(match.mentee_id)
        load[match.mentor_id] = load.get(match.mentor_id, 0) + 1
        reason = rules.exclusion(match.mentee_id, match.mentor_id)
        if reason is not None:
            problems.append(f"{match.mentee_id}->{match.mentor_id}: excluded ({reason.value})")
        if fit_score(mentee, mentor) <= 0:
            problems.append(f"{match.mentee_id}->{match.mentor_id}: zero fit")
    for mentor_id, count in sorted(load.items()):
        capacity = mentor_by_id[mentor_id].capacity
        if count > capacity:
            problems.append(f"{mentor_id}: {count} mentees over a capacity of {capacity}")
    return problems


def greedy_assignment(
    mentees: Sequence[MenteeNeeds],
    mentors: Sequence[MentorOffer],
    rules: MatchingRules = NO_RULES,
    *,
    fits: Sequence[Sequence[float]] | None = None,
) -> Assignment:
    """The highest-fit pair first, while the mentee is free and the mentor has room (a baseline, not optimal).

    ``fits[i][j]`` may be given for ``mentees[i]`` x ``mentors[j]`` (0 where excluded); it is computed otherwise.
    """
    table = fits if fits is not None else fit_table(mentees, mentors, rules)
    pairs = sorted(
        ((fit, i, j) for i, row in enumerate(table) for j, fit in enumerate(row) if fit > 0),
        key=lambda pair: (-pair[0], pair[1], pair[2]),
    )
    room = [mentor.capacity for mentor in mentors]
    taken: set[int] = set()
    matches = []
    for fit, i, j in pairs:
        if i in taken or room[j] == 0 or not rules.allows(mentees[i].mentee_id, mentors[j].mentor_id):
            continue
        taken.add(i)
        room[j] -= 1
        matches.append(Match(mentees[i].mentee_id, mentors[j].mentor_id, fit))
    return Assignment(tuple(matches))


def validate_programme(mentees: Sequence[MenteeNeeds], mentors: Sequence[MentorOffer]) -> None:
    """:raise ValidationError: when a mentee or a mentor appears twice (a pair must name one of each)."""
    problems = []
    for kind, ids in (("mentees", [m.mentee_id for m in mentees]), ("mentors", [m.mentor_id for m in mentors])):
        seen: set[str] = set()
        for person in ids:
            if person in seen:
                problems.append(f"{kind}: {person!r} appears more than once")
            seen.add(person)
    if problems:
        raise ValidationError(problems)


def fit_table(
    mentees: Sequence[MenteeNeeds], mentors: Sequence[MentorOffer], rules: MatchingRules = NO_RULES
) -> list[list[float]]:
    """``fit_table[i][j]``: fit of ``mentors[j]`` for ``mentees[i]``, 0 where a must-not rule excludes the pair.

    :raise ValidationError: when a mentee or a mentor appears twice.
    """
    validate_programme(mentees, mentors)
    return [[fit_score(mentee, mentor, rules) for mentor in mentors] for mentee in mentees]
