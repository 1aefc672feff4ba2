"""Mentor matching in the domain: fit explained per skill, must-not rules, capacities, proposals and greedy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from career_core.errors import ValidationError
from career_core.evidence import EvidenceRecord, EvidenceSource
from career_core.mentoring import (
    Assignment,
    ExclusionReason,
    Match,
    MatchingRules,
    MenteeNeeds,
    MentoringFormat,
    MentorOffer,
    MustNot,
    SkillNeed,
    Strength,
    StrengthBasis,
    assignment_problems,
    explain_fit,
    fit_score,
    greedy_assignment,
    propose_mentors,
    verified_levels,
)
from career_core.onet import load_onet_catalog
from career_core.roles import Role, RoleRequirement


def mentee(mentee_id: str = "ana", **targets: tuple[float, float]) -> MenteeNeeds:
    return MenteeNeeds(mentee_id, tuple(SkillNeed(code, cur, tgt) for code, (cur, tgt) in targets.items()))


def mentor(mentor_id: str, capacity: int = 1, **levels: float) -> MentorOffer:
    return offering(mentor_id, levels, capacity)


def offering(mentor_id: str, levels: dict[str, float], capacity: int = 1) -> MentorOffer:
    return MentorOffer(mentor_id, tuple(Strength(code, level) for code, level in levels.items()), capacity)


class TestFitExplanation:
    def test_each_gap_is_covered_beyond_the_mentee_up_to_the_target(self) -> None:
        # Gaps: writing 2->5 (3), speaking 1->3 (2), listening 4->6 (2): 7 in all, weights 1.
        needs = mentee(writing=(2, 5), speaking=(1, 3), listening=(4, 6))
        offer = mentor("ben", writing=4, speaking=6, listening=3, math=7)
        proposal = explain_fit(needs, offer)
        by_skill = {item.skill_code: item for item in proposal.coverage}
        assert by_skill["writing"].covered == 2  # 4 - 2, short of the target 5
        assert by_skill["writing"].share == pytest.approx(2 / 3)
        assert by_skill["speaking"].covered == 2  # the whole gap: the mentor is above the target
        assert by_skill["listening"].covered == 0  # the mentor is below the mentee
        assert by_skill["listening"].mentor_level == 3
        assert "math" not in by_skill  # not a gap of the mentee's
        assert proposal.fit == pytest.approx(4 / 7)
        assert [item.skill_code for item in proposal.covered_skills] == ["speaking", "writing"]
        assert proposal.uncovered_skills == ("listening",)

    def test_a_skill_the_mentor_does_not_offer_covers_nothing(self) -> None:
        proposal = explain_fit(mentee(writing=(0, 3)), mentor("ben", speaking=7))
        assert proposal.fit == 0
        (item,) = proposal.coverage
        assert item.mentor_level is None and item.basis is None and item.covered == 0

    def test_importance_weights_the_gaps_of_a_target_role(self) -> None:
        role = Role(
            "r",
            "Analyst",
            requirements=(
                RoleRequirement("writing", 4, importance=5),  # weight 1
                RoleRequirement("speaking", 4, importance=2),  # weight 0.25
                RoleRequirement("sewing", 4, importance=1),  # weight 0: never a need
            ),
        )
        needs = MenteeNeeds.toward_role("ana", {"writing": 2, "speaking": 2}, role)
        assert [(n.skill_code, n.weight) for n in needs.needs] == [("writing", 1.0), ("speaking", 0.25)]
        # Covering all of speaking (weight 0.25 x 2) but none of writing (weight 1 x 2).
        assert fit_score(needs, mentor("ben", speaking=5)) == pytest.approx(0.5 / 2.5)
        assert fit_score(needs, mentor("cy", writing=5)) == pytest.approx(2 / 2.5)

    def test_gaps_to_an_onet_occupation(self) -> None:
        onet = load_onet_catalog()
        role = onet.roles[0]
        needs = MenteeNeeds.toward_role("ana", {}, role)
        expert = MentorOffer.from_evidence(
            "ben", self_ratings={r.skill_code: r.level for r in role.requirements}, capacity=2
        )
        assert needs.needs and fit_score(needs, expert) == pytest.approx(1.0)

    def test_skills_asked_help_on(self) -> None:
        needs = MenteeNeeds.asking_help("ana", {"writing": 3}, {"writing": 5, "speaking": 2, "math": 1})
        assert {(n.skill_code, n.current, n.target) for n in needs.needs} == {
            ("writing", 3, 5),
            ("speaking", 0, 2),
            ("math", 0, 1),
        }
        already_there = MenteeNeeds.asking_help("ana", {"writing": 5}, {"writing": 4})
        assert already_there.needs == ()
        assert fit_score(already_there, mentor("ben", writing=7)) == 0

    def test_verified_evidence_replaces_a_self_rating(self) -> None:
        offer = MentorOffer.from_evidence(
            "ben",
            self_ratings={"writing": 6, "speaking": 5, "math": 4},
            verified_levels={"writing": 3},
            offered_skills=["writing", "speaking"],
        )
        assert offer.strength("writing") == Strength("writing", 3, StrengthBasis.VERIFIED)
        assert offer.strength("speaking") == Strength("speaking", 5, StrengthBasis.SELF_RATED)
        assert offer.strength("math") is None  # rated, but not offered
        proposal = explain_fit(mentee(writing=(1, 5)), offer)
        assert proposal.coverage[0].basis is StrengthBasis.VERIFIED and proposal.coverage[0].covered == 2

    def test_verified_levels_are_the_latest_manager_verification_per_skill(self) -> None:
        at = datetime(2026, 1, 5, tzinfo=UTC)

        def record(n: int, who: str, skill: str, level: int | None, source: EvidenceSource) -> EvidenceRecord:
            return EvidenceRecord(f"r{n}", who, skill, level, source, at + timedelta(days=n))

        records = [
            record(1, "ben", "writing", 3, EvidenceSource.MANAGER_VERIFICATION),
            record(2, "ben", "writing", 5, EvidenceSource.MANAGER_VERIFICATION),
            record(3, "ben", "writing", 7, EvidenceSource.SELF_ASSESSMENT),  # a self-rating verifies nothing
            record(4, "ben", "math", None, EvidenceSource.MANAGER_VERIFICATION),  # no level stated
            record(5, "cy", "speaking", 6, EvidenceSource.MANAGER_VERIFICATION),  # someone else
        ]
        assert verified_levels(reversed(records), "ben") == {"writing": 5.0}

    @pytest.mark.parametrize(
        "build",
        [
            lambda: SkillNeed("writing", -1, 3),
            lambda: SkillNeed("writing", 1, float("nan")),
            lambda: SkillNeed("writing", 1, 3, weight=1.5),
            lambda: SkillNeed(" ", 1, 3),
            lambda: MenteeNeeds("ana", (SkillNeed("w", 1, 3), SkillNeed("w", 0, 2))),
            lambda: Strength("writing", float("inf")),
            lambda: MentorOffer("ben", (Strength("w", 3), Strength("w", 4))),
            lambda: MenteeNeeds.asking_help("ana", {}, {"writing": -2}),
        ],
    )
    def test_invalid_input_is_refused(self, build) -> None:
        with pytest.raises(ValidationError):
            build()


class TestCapacityAndFormat:
    @pytest.mark.parametrize("capacity", [0, 6, -1, True, 2.5])
    def test_capacity_is_one_to_five(self, capacity) -> None:
        with pytest.raises(ValidationError, match="capacity"):
            MentorOffer("ben", (), capacity)

    def test_one_mentee_is_one_to_one_more_is_a_small_group(self) -> None:
        assert mentor("ben", 1).format is MentoringFormat.ONE_TO_ONE
        assert mentor("ben", 5).format is MentoringFormat.SMALL_GROUP
        assert explain_fit(mentee(w=(0, 1)), mentor("ben", 3, w=1)).format is MentoringFormat.SMALL_GROUP


class TestMustNotRules:
    def test_rules_are_data_with_their_reason(self) -> None:
        rules = MatchingRules.build(managers={"ana": ["boss"]}, declined=[("ana", "ben")])
        assert MustNot("ana", "boss", ExclusionReason.MANAGER) in rules.must_not
        assert rules.exclusion("ana", "boss") is ExclusionReason.MANAGER
        assert rules.exclusion("ana", "ben") is ExclusionReason.DECLINED
        assert rules.exclusion("ana", "ana") is ExclusionReason.SELF
        assert rules.exclusion("ben", "ana") is None  # a rule binds one direction: ana declined ben
        assert rules.allows("ana", "cy")

    def test_excluded_and_zero_fit_mentors_are_never_proposed(self) -> None:
        needs = mentee("ana", writing=(1, 5))
        mentors = [
            mentor("ana", writing=7),  # herself
            mentor("boss", writing=7),
            mentor("ben", writing=6),
            mentor("cy", writing=3),
            mentor("dee", writing=5),
            mentor("eve", writing=1),  # zero fit
            mentor("fay", speaking=7),  # zero fit
        ]
        rules = MatchingRules.build(managers={"ana": ["boss"]}, declined=[("ana", "ben")])
        ranked = propose_mentors(needs, mentors, rules)
        assert [(p.mentor_id, p.fit) for p in ranked] == [("dee", 1.0), ("cy", 0.5)]
        assert [p.mentor_id for p in propose_mentors(needs, mentors, rules, limit=1)] == ["dee"]
        assert fit_score(needs, mentors[1], rules) == 0
        assert fit_score(needs, mentors[1]) == 1.0  # the fit itself is there; the rule removes it

    def test_ties_are_ranked_by_mentor_id(self) -> None:
        needs = mentee("ana", writing=(1, 3))
        ranked = propose_mentors(needs, [mentor("zed", writing=4), mentor("abe", writing=3)])
        assert [p.mentor_id for p in ranked] == ["abe", "zed"]


class TestAssignmentRules:
    def setup_method(self) -> None:
        self.mentees = [mentee("ana", w=(0, 4)), mentee("bo", w=(0, 4)), mentee("cid", w=(0, 4), s=(0, 4))]
        self.mentors = [mentor("m1", 1, w=4), mentor("m2", 2, w=2, s=4)]
        self.rules = MatchingRules.build(declined=[("bo", "m1")])

    def test_greedy_takes_the_best_pair_first_within_capacity(self) -> None:
        greedy = greedy_assignment(self.mentees, self.mentors, self.rules)
        # ana-m1 (1.0) first; m1 is then full; bo and cid go to m2 (0.5 and 0.75).
        assert {(m.mentee_id, m.mentor_id) for m in greedy.matches} == {("ana", "m1"), ("bo", "m2"), ("cid", "m2")}
        assert greedy.total_fit == pytest.approx(1 + 0.5 + 0.75)
        assert assignment_problems(greedy, self.mentees, self.mentors, self.rules) == []
        assert set(greedy.mentees_of("m2")) == {"bo", "cid"}
        assert greedy.mentor_of("ana") == "m1"

    def test_problems_name_every_broken_rule(self) -> None:
        broken = Assignment(
            (
                Match("bo", "m1", 1.0),  # declined
                Match("ana", "m1", 1.0),  # m1 over capacity
                Match("ana", "m2", 0.5),  # ana twice
                Match("cid", "zz", 0.5),  # unknown mentor
            )
        )
        problems = assignment_problems(broken, self.mentees, self.mentors, self.rules)
        assert any("bo->m1: excluded (declined)" in p for p in problems)
        assert any("m1: 2 mentees over a capacity of 1" in p for p in problems)
        assert any("ana: has more than one mentor" in p for p in problems)
        assert any("unknown" in p for p in problems)

    def test_a_zero_fit_pair_is_a_problem(self) -> None:
        zero = Assignment((Match("ana", "m2", 0.0),))
        needs = [mentee("ana", w=(3, 4))]
        assert assignment_problems(zero, needs, [mentor("m2", w=2)]) == ["ana->m2: zero fit"]


levels = st.integers(0, 7).map(float)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.sampled_from("abcdef"), st.tuples(levels, levels, st.sampled_from((0.25, 0.5, 1.0)))),
    st.dictionaries(st.sampled_from("abcdef"), levels),
    st.sampled_from("abcdef"),
)
def test_fit_is_a_share_and_a_stronger_mentor_never_fits_worse(
    needs: dict[str, tuple[float, float, float]], strengths: dict[str, float], raised: str
) -> None:
    mentee_needs = MenteeNeeds("ana", tuple(SkillNeed(code, c, t, w) for code, (c, t, w) in needs.items()))
    offer = offering("ben", strengths)
    proposal = explain_fit(mentee_needs, offer)
    assert 0 <= proposal.fit <= 1
    for item in proposal.coverage:
        assert 0 <= item.covered <= item.gap
    # Raising one strength by a level can only cover more.
    stronger = offering("ben", strengths | {raised: strengths.get(raised, 0.0) + 1})
    assert explain_fit(mentee_needs, stronger).fit >= proposal.fit - 1e-12
    # A mentor at or above every target covers everything.
    expert = offering("cy", dict.fromkeys(needs, 7.0))
    assert explain_fit(mentee_needs, expert).fit == (1.0 if mentee_needs.needs else 0.0)
