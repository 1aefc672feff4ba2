"""Career recommendations: which roles are close to a learner now, a step up, or use their strongest skills.

The model (see docs/decisions/0011-guide-rank-recommendations.md for why, with the benchmark figures):

1. **People like you.** The learner's rated skills are compared, by plain distance over every rated
   skill, with every role; the nearest role (shared with any nearly as near: see
   :data:`CONTEXT_SHARPNESS`) stands for "people with skills like yours", and the five nearest estimate
   the learner's Job Zone (unless a current role is set: then its zone is the level).
2. **Closeness of a role.** A role's score adds up (lower is closer):
   - the skill term: importance-weighted squared differences between the learner's and the role's
     levels, a gap counting fully and a surplus at :data:`OVER_WEIGHT` (so far above a role's needs
     is not a perfect fit, and a skill the role barely uses counts at most :data:`IMPORTANCE_FLOOR`);
   - the context term: how far the role's Knowledge and RIASEC interests are from those of the roles
     the learner resembles (step 1), so roles in the same line of work come before look-alikes from
     another field;
   - the level term: the squared distance of the role's Job Zone from the learner's.
3. **Job Zone filter.** Lists show roles at the learner's level or above, never below.
4. **Values and interests** a learner states (see :func:`preferences_from_exercises`) are compared with
   each role's O*NET Work Values and Interests in the *combined* list, whose explanation says which of
   skills, values and interests drove each suggestion.

Fit is shown as a :class:`FitBand` in words, never as a percentage. Everything here is pure and stdlib.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from operator import mul, sub

from career_core.errors import ValidationError
from career_core.gaps import importance_weight, validate_profile
from career_core.occupation_traits import (
    INTEREST_NAMES,
    WORK_VALUE_NAMES,
    OccupationTraits,
    load_occupation_traits,
)
from career_core.roles import Role, RoleCatalog

#: Weight of a skill the role rates "Not Important": low, so it neither helps nor hurts much.
IMPORTANCE_FLOOR = 0.3
#: How much a level above the role's need counts, against 1 for a level below it.
OVER_WEIGHT = 0.7
#: Nearest roles standing for "people like you" (context term) and for the Job Zone estimate. The context
#: weighs each by ``exp(-(d - d_nearest) / (CONTEXT_SHARPNESS * (1 + d_nearest)))``: the nearest role
#: dominates unless others are nearly as near, which happens when noisy ratings sit far from every role.
CONTEXT_NEIGHBOURS = 8
CONTEXT_SHARPNESS = 0.02
ZONE_NEIGHBOURS = 5
KNOWLEDGE_WEIGHT = 1.0
INTEREST_WEIGHT = 1.0
ZONE_WEIGHT = 3.0
#: The learner's level is their estimated zone rounded down, unless it is within this much of the next.
ZONE_SLACK = 0.15
#: The combined list: weights of stated interests and values against the skills-and-context score.
STATED_INTEREST_WEIGHT = 0.6
STATED_VALUE_WEIGHT = 0.4
#: Strongest skills: how many of the learner's highest-rated skills the "uses your strongest" list looks at.
STRONGEST = 5
#: A role "uses" a skill when O*NET rates it at least "Important" (3 on the 1-5 scale).
USES_IMPORTANCE = 3.0


class FitBand(StrEnum):
    """How close a role's skill profile is to the learner's, in words."""

    VERY_CLOSE = "very close"
    CLOSE = "close"
    SOME_GAPS = "some gaps"
    BIG_GAPS = "big gaps"


#: Upper bounds of the importance-weighted typical difference (in levels) for each band but the last.
BAND_LIMITS: tuple[tuple[float, FitBand], ...] = (
    (0.45, FitBand.VERY_CLOSE),
    (0.8, FitBand.CLOSE),
    (1.3, FitBand.SOME_GAPS),
)


def fit_band(typical_difference: float, largest_gap: float = 0.0) -> FitBand:
    """The band of a typical (root-mean-square) difference; a large gap in an important skill caps it.

    A role the learner matches on average but misses by 1.5 levels or more in an important skill is at
    best "some gaps": one missing skill can decide a move.
    """
    band = FitBand.BIG_GAPS
    for limit, name in BAND_LIMITS:
        if typical_difference <= limit:
            band = name
            break
    if largest_gap >= 1.5 and band in (FitBand.VERY_CLOSE, FitBand.CLOSE):
        band = FitBand.SOME_GAPS
    return band


class SkillStanding(StrEnum):
    CARRIES_OVER = "carries over"  # at or near the role's level in a skill it uses
    TO_GROW = "to grow"  # more than a quarter level below what the role needs
    ABOVE_NEEDS = "above needs"  # well above what the role asks (over-qualified in this skill)
    MINOR = "minor"  # the role barely uses it
    UNRATED = "unrated"


@dataclass(frozen=True)
class SkillNote:
    """One skill of a recommended role against the learner's level."""

    skill_code: str
    current: float | None
    required: float
    importance: float
    standing: SkillStanding

    @property
    def gap(self) -> float:
        return max(0.0, self.required - self.current) if self.current is not None else self.required


class Driver(StrEnum):
    SKILLS = "skills"
    INTERESTS = "interests"
    VALUES = "values"


@dataclass(frozen=True)
class Recommendation:
    """A role in a list, with its band and the per-skill explanation."""

    role: Role
    score: float
    band: FitBand
    typical_difference: float
    job_zone: int | None
    skills: tuple[SkillNote, ...]
    drivers: tuple[Driver, ...] = (Driver.SKILLS,)
    interest_match: float | None = None
    value_match: float | None = None
    matched_interests: tuple[str, ...] = ()
    matched_values: tuple[str, ...] = ()
    strength: float | None = None  # O*NET relatedness, for related moves

    @property
    def code(self) -> str:
        return self.role.code

    @property
    def title(self) -> str:
        return self.role.title

    @property
    def carries_over(self) -> tuple[SkillNote, ...]:
        """Skills the role uses that the learner already has, most important first."""
        notes = [n for n in self.skills if n.standing is SkillStanding.CARRIES_OVER]
        return tuple(sorted(notes, key=lambda n: (-n.importance, n.skill_code)))

    @property
    def to_grow(self) -> tuple[SkillNote, ...]:
        """Skills to grow for this role, the largest importance-weighted gap first."""
        notes = [n for n in self.skills if n.standing is SkillStanding.TO_GROW]
        return tuple(sorted(notes, key=lambda n: (-importance_weight(n.importance) * n.gap, n.skill_code)))

    @property
    def above_needs(self) -> tuple[SkillNote, ...]:
        notes = [n for n in self.skills if n.standing is SkillStanding.ABOVE_NEEDS]
        return tuple(sorted(notes, key=lambda n: (n.required - (n.current or 0.0), n.skill_code)))


@dataclass(frozen=True)
class LearnerPreferences:
    """What a learner said they value and enjoy: weights (>= 0) by O*NET Work Value and RIASEC name."""

    values: Mapping[str, float] = field(default_factory=dict)
    interests: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = [f"values[{k!r}]: not an O*NET Work Value" for k in self.values if k not in WORK_VALUE_NAMES]
        problems += [f"interests[{k!r}]: not a RIASEC interest" for k in self.interests if k not in INTEREST_NAMES]
        problems += [
            f"{kind}[{k!r}]: weight must be a finite number >= 0"
            for kind, weights in (("values", self.values), ("interests", self.interests))
            for k, w in weights.items()
            if not (isinstance(w, int | float) and 0 <= w < math.inf)
        ]
        if problems:
            raise ValidationError(problems)

    @property
    def empty(self) -> bool:
        return not any(self.values.values()) and not any(self.interests.values())


@dataclass(frozen=True)
class Recommendations:
    """The lists a learner asks for, and how the learner's level was judged."""

    estimated_zone: float | None
    level_zone: int | None
    zone_from_current_role: bool
    strongest_skills: tuple[str, ...]
    closest: tuple[Recommendation, ...]
    step_up: tuple[Recommendation, ...]
    strongest: tuple[Recommendation, ...]
    related_moves: tuple[Recommendation, ...]
    combined: tuple[Recommendation, ...]
    uses_values: bool
    uses_interests: bool

    def lists(self) -> dict[str, tuple[Recommendation, ...]]:
        return {
            "closest": self.closest,
            "step_up": self.step_up,
            "strongest": self.strongest,
            "related_moves": self.related_moves,
            "combined": self.combined,
        }


@dataclass(frozen=True)
class _Row:
    levels: tuple[float, ...]
    weights: tuple[float, ...]
    weight_sum: float
    importance: tuple[float, ...]
    squared_norm: float
    knowledge: tuple[float, ...]
    knowledge_norm: float
    interests: tuple[float, ...]
    interest_norm: float
    values: tuple[float, ...] | None
    zone: int | None


class Recommender:
    """Roles prepared for recommendation. Build once per catalog (see :func:`recommender_for`) and reuse.

    ``traits`` gives each role's Knowledge, Interests, Work Values and (when the role has none) Job Zone;
    roles it lacks take the catalog's average, so they are neither favoured nor pushed away.
    """

    def __init__(self, catalog: RoleCatalog, traits: OccupationTraits | None = None) -> None:
        self.catalog = catalog
        self.roles: tuple[Role, ...] = tuple(catalog.roles)
        self.skill_codes: tuple[str, ...] = tuple(
            dict.fromkeys(req.skill_code for role in self.roles for req in role.requirements)
        )
        self.position = {code: i for i, code in enumerate(self.skill_codes)}
        self.row_of = {role.code: n for n, role in enumerate(self.roles)}
        occupations = traits.occupations if traits is not None else {}
        found_knowledge = [occupations[r.code].knowledge if r.code in occupations else None for r in self.roles]
        found_interests = [
            tuple(p.scores.values()) if r.code in occupations and (p := occupations[r.code].interests) else None
            for r in self.roles
        ]
        mean_knowledge = _mean([k for k in found_knowledge if k is not None])
        mean_interests = _mean([i for i in found_interests if i is not None])
        found_values = [
            tuple(p.scores.values()) if r.code in occupations and (p := occupations[r.code].values) else None
            for r in self.roles
        ]
        # Work Values are compared per value against the catalog: "more Independence than most roles".
        known_values = [v for v in found_values if v is not None]
        self.value_mean = _mean(known_values)
        self.value_spread = _spread(known_values, self.value_mean)
        self.interest_mean = mean_interests
        self.interest_spread = _spread([i for i in found_interests if i is not None], mean_interests)
        rows = []
        for role, knowledge, interest, values in zip(
            self.roles, found_knowledge, found_interests, found_values, strict=True
        ):
            levels = [0.0] * len(self.skill_codes)
            importance = [1.0] * len(self.skill_codes)
            for req in role.requirements:
                levels[self.position[req.skill_code]] = float(req.level)
                importance[self.position[req.skill_code]] = float(req.importance)
            k = knowledge if knowledge is not None else mean_knowledge
            i = interest if interest is not None else mean_interests
            zone = role.job_zone
            if zone is None and role.code in occupations:
                zone = occupations[role.code].job_zone
            weights = tuple(max(IMPORTANCE_FLOOR, importance_weight(m)) for m in importance)
            rows.append(
                _Row(
                    levels=tuple(levels),
                    weights=weights,
                    weight_sum=sum(weights),
                    importance=tuple(importance),
                    squared_norm=sum(v * v for v in levels),
                    knowledge=k,
                    knowledge_norm=sum(v * v for v in k),
                    interests=i,
                    interest_norm=sum(v * v for v in i),
                    values=values,
                    zone=zone,
                )
            )
        self.rows: tuple[_Row, ...] = tuple(rows)
        skill_count = len(self.skill_codes)
        self.skill_mean: tuple[float, ...] = tuple(
            sum(row.levels[i] for row in self.rows) / max(1, len(self.rows)) for i in range(skill_count)
        )

    def __len__(self) -> int:
        return len(self.roles)

    # --- scoring -------------------------------------------------------------------------------------

    def _rated(self, profile: Mapping[str, float]) -> tuple[list[int], list[float]]:
        rated = [self.position[code] for code in profile if code in self.position]
        rated.sort()
        return rated, [float(profile[self.skill_codes[i]]) for i in rated]

    def scores(
        self, profile: Mapping[str, float], *, current_role: str | None = None
    ) -> tuple[list[float], float | None, list[float]]:
        """Every role's closeness score (lower is closer), the learner's estimated Job Zone, and each
        role's skill term alone (importance-weighted mean squared difference, in levels squared).

        The hot path of every list: one pass for the plain distances, one for the scores. Roles below the
        learner's level are never shown (except O*NET's related moves from ``current_role``), so they are
        not scored: their score and skill term are ``inf``.
        """
        rated, x = self._rated(profile)
        n = len(self.rows)
        if not rated:
            return [0.0] * n, None, [0.0] * n
        full = len(rated) == len(self.skill_codes)
        x_norm = sum(v * v for v in x)
        plain: list[float] = []
        for row in self.rows:
            levels = row.levels if full else [row.levels[i] for i in rated]
            plain.append(x_norm - 2.0 * sum(map(mul, x, levels)) + (row.squared_norm if full else _sq(levels)))
        order = sorted(range(n), key=plain.__getitem__)
        context = order[:CONTEXT_NEIGHBOURS]
        nearest = max(0.0, plain[context[0]])
        spread = CONTEXT_SHARPNESS * (1.0 + nearest)
        weights = [math.exp(-(max(0.0, plain[r]) - nearest) / spread) for r in context]
        total = sum(weights)
        kq = [
            sum(w * self.rows[r].knowledge[j] for w, r in zip(weights, context, strict=True)) / total
            for j in range(len(self.rows[context[0]].knowledge))
        ]
        iq = [
            sum(w * self.rows[r].interests[j] for w, r in zip(weights, context, strict=True)) / total
            for j in range(len(self.rows[context[0]].interests))
        ]
        zone = self._zone(order, plain, current_role)
        kq_norm, iq_norm = sum(v * v for v in kq), sum(v * v for v in iq)
        skill_terms: list[float] = []
        scores: list[float] = []
        over = OVER_WEIGHT
        count = float(len(self.skill_codes))
        zeros = [0.0] * len(rated)
        under_share = 1.0 - over
        floor = self._allowed(zone).floor
        moves = (
            {self.row_of[t.to_code] for t in self.catalog.transitions_from(current_role) if t.to_code in self.row_of}
            if current_role is not None and current_role in self.row_of
            else set()
        )
        inf = math.inf
        for n_row, row in enumerate(self.rows):
            if floor is not None and row.zone is not None and row.zone < floor and n_row not in moves:
                skill_terms.append(inf)
                scores.append(inf)
                continue
            levels = row.levels if full else [row.levels[i] for i in rated]
            wts = row.weights if full else [row.weights[i] for i in rated]
            weight_sum = row.weight_sum if full else sum(wts)
            # sum(w d^2) over every skill, minus the part of the surplus (d > 0) that is forgiven:
            # map() keeps this hot loop in C.
            diffs = list(map(sub, x, levels))
            surplus = list(map(max, zeros, diffs))
            weighted = sum(map(mul, wts, map(mul, diffs, diffs))) - under_share * sum(
                map(mul, wts, map(mul, surplus, surplus))
            )
            skill = weighted / weight_sum
            skill_terms.append(skill)
            score = count * skill
            score += KNOWLEDGE_WEIGHT * (kq_norm - 2.0 * sum(map(mul, kq, row.knowledge)) + row.knowledge_norm)
            score += INTEREST_WEIGHT * (iq_norm - 2.0 * sum(map(mul, iq, row.interests)) + row.interest_norm)
            if zone is not None and row.zone is not None:
                score += ZONE_WEIGHT * (row.zone - zone) ** 2
            scores.append(score)
        return scores, zone, skill_terms

    def _zone(self, order: Sequence[int], plain: Sequence[float], current_role: str | None) -> float | None:
        if current_role is not None and current_role in self.row_of:
            zone = self.rows[self.row_of[current_role]].zone
            if zone is not None:
                return float(zone)
        near = [(1.0 / (1.0 + max(0.0, plain[r])) ** 2, self.rows[r].zone) for r in order[:ZONE_NEIGHBOURS]]
        known = [(w, z) for w, z in near if z is not None]
        if not known:
            return None
        return sum(w * z for w, z in known) / sum(w for w, _ in known)

    def closest_codes(self, profile: Mapping[str, float], limit: int = 10, exclude: str | None = None) -> list[str]:
        """Just the codes of the *closest to you now* list (what the benchmark times)."""
        scores, zone, _ = self.scores(profile)
        allowed = self._allowed(zone)
        ranked = sorted(
            (n for n, row in enumerate(self.rows) if allowed(row.zone) and self.roles[n].code != exclude),
            key=lambda n: (scores[n], self.roles[n].code),
        )
        return [self.roles[n].code for n in ranked[:limit]]

    @staticmethod
    def _allowed(zone: float | None, exact: int | None = None) -> _ZoneFilter:
        floor = math.floor(zone + ZONE_SLACK) if zone is not None else None
        return _ZoneFilter(floor, exact)

    # --- the lists ----------------------------------------------------------------------------------

    def recommend(
        self,
        profile: Mapping[str, float],
        *,
        current_role: str | None = None,
        preferences: LearnerPreferences | None = None,
        limit: int = 10,
    ) -> Recommendations:
        """Every list for one learner. ``current_role`` (an O*NET-SOC code) sets the level and adds
        O*NET's related moves from it; ``preferences`` add the combined list's values and interests.

        :raise ValidationError: on an invalid profile or an unknown current role.
        """
        validate_profile(profile)
        if current_role is not None and current_role not in self.row_of:
            raise ValidationError(f"current_role: no role {current_role!r}")
        limit = max(0, limit)
        scores, zone, skill_terms = self.scores(profile, current_role=current_role)
        rated, x = self._rated(profile)
        level = _level(zone)
        exclude = {current_role} if current_role else set()
        if not rated:
            empty: tuple[Recommendation, ...] = ()
            return Recommendations(None, None, False, (), empty, empty, empty, empty, empty, False, False)

        def pick(keep: _ZoneFilter, key: Callable[[int], tuple[float, ...]]) -> list[int]:
            ranked = sorted(
                (n for n, row in enumerate(self.rows) if keep(row.zone) and self.roles[n].code not in exclude),
                key=lambda n: (*key(n), self.roles[n].code),
            )
            return ranked[:limit]

        def build(ns: Iterable[int], strength: dict[int, float] | None = None) -> tuple[Recommendation, ...]:
            return tuple(
                self._recommendation(n, profile, scores[n], skill_terms[n], strength=(strength or {}).get(n))
                for n in ns
            )

        at_level = self._allowed(zone)
        closest = build(pick(at_level, lambda n: (scores[n],)))
        step_up: tuple[Recommendation, ...] = ()
        if level is not None and level < 5:
            # The next zone up, closest by skills and field; the level term is the same for all of them.
            step_up = build(pick(_ZoneFilter(None, level + 1), lambda n: (scores[n],)))
        by_strength = sorted(range(len(rated)), key=lambda j: (-x[j], -(x[j] - self.skill_mean[rated[j]]), rated[j]))
        strongest_skills = tuple(self.skill_codes[rated[j]] for j in by_strength[:STRONGEST] if x[j] > 0)
        strongest_at = [self.position[code] for code in strongest_skills]

        def uses(n: int) -> float:
            importance = self.rows[n].importance
            return sum(importance[i] for i in strongest_at if importance[i] >= USES_IMPORTANCE)

        strongest = build(pick(at_level, lambda n: (-uses(n), scores[n]))) if strongest_skills else ()
        related: tuple[Recommendation, ...] = ()
        if current_role:
            strengths = {
                self.row_of[t.to_code]: t.strength
                for t in self.catalog.transitions_from(current_role)
                if t.to_code in self.row_of
            }
            moves = sorted(strengths, key=lambda n: -strengths[n])  # stable: O*NET's own order in a tier
            related = build(moves[:limit], strengths)
        combined = closest
        uses_values = uses_interests = False
        if preferences is not None and not preferences.empty:
            combined, uses_values, uses_interests = self._combined(
                profile, preferences, scores, skill_terms, at_level, exclude, limit
            )
        from_role = current_role is not None and self.rows[self.row_of[current_role]].zone is not None
        return Recommendations(
            estimated_zone=zone,
            level_zone=level,
            zone_from_current_role=from_role,
            strongest_skills=strongest_skills,
            closest=closest,
            step_up=step_up,
            strongest=strongest,
            related_moves=related,
            combined=combined,
            uses_values=uses_values,
            uses_interests=uses_interests,
        )

    def _combined(
        self,
        profile: Mapping[str, float],
        preferences: LearnerPreferences,
        scores: Sequence[float],
        skill_terms: Sequence[float],
        keep: _ZoneFilter,
        exclude: set[str],
        limit: int,
    ) -> tuple[tuple[Recommendation, ...], bool, bool]:
        candidates = [n for n, row in enumerate(self.rows) if keep(row.zone) and self.roles[n].code not in exclude]
        if not candidates:
            return (), False, False
        ordered = sorted(scores[n] for n in candidates)
        middle = ordered[len(ordered) // 2]
        spread = (ordered[(3 * len(ordered)) // 4] - ordered[len(ordered) // 4]) or 1.0
        interest_w = _normalised(preferences.interests, INTEREST_NAMES)
        value_w = _normalised(preferences.values, WORK_VALUE_NAMES)
        parts: dict[int, tuple[float, float | None, float | None]] = {}
        for n in candidates:
            row = self.rows[n]
            skills = (middle - scores[n]) / spread  # > 0: closer than most roles at this level
            interest = _match(interest_w, row.interests, self.interest_mean, self.interest_spread)
            value = _match(value_w, row.values, self.value_mean, self.value_spread) if row.values else None
            parts[n] = (skills, interest, value)

        def total(n: int) -> float:
            skills, interest, value = parts[n]
            return skills + STATED_INTEREST_WEIGHT * (interest or 0.0) + STATED_VALUE_WEIGHT * (value or 0.0)

        ranked = sorted(candidates, key=lambda n: (-total(n), self.roles[n].code))[:limit]
        result = []
        for n in ranked:
            skills, interest, value = parts[n]
            shares = {
                Driver.SKILLS: skills,
                Driver.INTERESTS: STATED_INTEREST_WEIGHT * (interest or 0.0) if interest_w else -math.inf,
                Driver.VALUES: STATED_VALUE_WEIGHT * (value or 0.0) if value_w and value is not None else -math.inf,
            }
            best = max(shares.values())
            # A driver counts when it pulls the role up and carries at least a third of the strongest pull.
            drivers = tuple(d for d, s in sorted(shares.items(), key=lambda i: -i[1]) if s > 0 and s >= best / 3)
            row = self.rows[n]
            result.append(
                self._recommendation(
                    n,
                    profile,
                    scores[n],
                    skill_terms[n],
                    drivers=drivers or (Driver.SKILLS,),
                    interest_match=interest if interest_w else None,
                    value_match=value if value_w else None,
                    matched_interests=_matched(interest_w, row.interests, INTEREST_NAMES),
                    matched_values=_matched(value_w, row.values, WORK_VALUE_NAMES) if row.values else (),
                )
            )
        return tuple(result), bool(value_w), bool(interest_w)

    def explain(self, profile: Mapping[str, float], code: str) -> Recommendation:
        """One role's band and per-skill explanation for ``profile``, outside any list.

        :raise ValidationError: on an invalid profile or an unknown role.
        """
        validate_profile(profile)
        if code not in self.row_of:
            raise ValidationError(f"role: no role {code!r}")
        n = self.row_of[code]
        rated, x = self._rated(profile)
        row = self.rows[n]
        weighted = weight_sum = 0.0
        for i, have in zip(rated, x, strict=True):
            d = have - row.levels[i]
            weighted += row.weights[i] * d * d * (1.0 if d < 0 else OVER_WEIGHT)
            weight_sum += row.weights[i]
        skill_term = weighted / weight_sum if weight_sum else 0.0
        return self._recommendation(n, profile, math.nan, skill_term)

    def _recommendation(
        self, n: int, profile: Mapping[str, float], score: float, skill_term: float, **extra: object
    ) -> Recommendation:
        role, row = self.roles[n], self.rows[n]
        notes = []
        largest_gap = 0.0
        for req in role.requirements:
            current = profile.get(req.skill_code)
            have = float(current) if current is not None else None
            weight = importance_weight(req.importance)
            if have is None:
                standing = SkillStanding.UNRATED if req.importance >= USES_IMPORTANCE else SkillStanding.MINOR
            elif have < req.level - 0.25:
                standing = SkillStanding.TO_GROW if weight > 0.25 else SkillStanding.MINOR
                if req.importance >= USES_IMPORTANCE:
                    largest_gap = max(largest_gap, req.level - have)
            elif have > req.level + 1.5 and req.importance >= 2.0:
                standing = SkillStanding.ABOVE_NEEDS
            elif req.importance >= USES_IMPORTANCE:
                standing = SkillStanding.CARRIES_OVER
            else:
                standing = SkillStanding.MINOR
            notes.append(SkillNote(req.skill_code, have, float(req.level), float(req.importance), standing))
        typical = math.sqrt(max(0.0, skill_term))
        return Recommendation(
            role=role,
            score=score,
            band=fit_band(typical, largest_gap),
            typical_difference=typical,
            job_zone=row.zone,
            skills=tuple(notes),
            **extra,  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class _ZoneFilter:
    """Keeps roles at or above ``floor`` (the learner's level), or exactly at ``exact``."""

    floor: int | None
    exact: int | None = None

    def __call__(self, zone: int | None) -> bool:
        if self.exact is not None:
            return zone == self.exact
        return zone is None or self.floor is None or zone >= self.floor


def _level(zone: float | None) -> int | None:
    """The learner's level: the zone the lists start from (the same rule as :meth:`Recommender._allowed`)."""
    return None if zone is None else max(1, min(5, math.floor(zone + ZONE_SLACK)))


def _sq(values: Sequence[float]) -> float:
    return sum(v * v for v in values)


def _mean(vectors: Sequence[Sequence[float]]) -> tuple[float, ...]:
    if not vectors:
        return ()
    return tuple(sum(column) / len(vectors) for column in zip(*vectors, strict=True))


def _spread(vectors: Sequence[Sequence[float]], mean: Sequence[float]) -> tuple[float, ...]:
    if not vectors:
        return ()
    return tuple(math.sqrt(sum((v[j] - mean[j]) ** 2 for v in vectors) / len(vectors)) or 1.0 for j in range(len(mean)))


def _normalised(weights: Mapping[str, float], names: Sequence[str]) -> tuple[float, ...]:
    total = sum(float(weights.get(name, 0.0)) for name in names)
    if total <= 0:
        return ()
    return tuple(float(weights.get(name, 0.0)) / total for name in names)


def _match(
    weights: Sequence[float], scores: Sequence[float] | None, mean: Sequence[float], spread: Sequence[float]
) -> float | None:
    """How much more than the average role this one offers what the learner weights (in spreads)."""
    if not weights or scores is None or not mean:
        return None
    return sum(w * (s - m) / d for w, s, m, d in zip(weights, scores, mean, spread, strict=True))


def _matched(weights: Sequence[float], scores: Sequence[float] | None, names: Sequence[str]) -> tuple[str, ...]:
    """The learner's picks this role is characteristic of (O*NET score of 4 or more on the 1-7 scale)."""
    if not weights or scores is None:
        return ()
    picked = sorted((i for i, w in enumerate(weights) if w > 0), key=lambda i: -weights[i])
    return tuple(names[i] for i in picked if scores[i] >= 4.0)


_RECOMMENDERS: weakref.WeakKeyDictionary[RoleCatalog, Recommender] = weakref.WeakKeyDictionary()


def recommender_for(catalog: RoleCatalog, traits: OccupationTraits | None = None) -> Recommender:
    """The :class:`Recommender` of a catalog, built on first request and kept while the catalog lives.

    Without ``traits`` the packaged O*NET traits are used (roles absent from them take the average).
    """
    recommender = _RECOMMENDERS.get(catalog)
    if recommender is None:
        recommender = _RECOMMENDERS[catalog] = Recommender(catalog, traits or load_occupation_traits())
    return recommender


def recommend(
    profile: Mapping[str, float],
    catalog: RoleCatalog,
    *,
    current_role: str | None = None,
    preferences: LearnerPreferences | None = None,
    limit: int = 10,
) -> Recommendations:
    """Every list for one learner against ``catalog`` (the front ends' one entry point)."""
    return recommender_for(catalog).recommend(profile, current_role=current_role, preferences=preferences, limit=limit)
