"""Recommendations: closeness rules, Job Zone filter, bands, the lists, and values and interests."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from career_core.errors import ValidationError
from career_core.exercises import CAREER_DRIVER_OPTIONS, INTEREST_OPTIONS, VALUE_OPTIONS
from career_core.occupation_traits import interests, work_values
from career_core.onet import load_onet_catalog
from career_core.preferences import (
    DRIVER_TO_WORK_VALUE,
    VALUE_TO_WORK_VALUE,
    interest_weights,
    preferences_from_exercises,
    work_value_weights,
)
from career_core.recommend import (
    Driver,
    FitBand,
    LearnerPreferences,
    Recommender,
    SkillStanding,
    fit_band,
    recommend,
    recommender_for,
)
from career_core.roles import Role, RoleCatalog, RoleRequirement, Transition

SKILLS = ("a", "b", "c", "d", "e")
LEVEL = st.floats(min_value=0, max_value=7, allow_nan=False)
IMPORTANCE = st.floats(min_value=1, max_value=5, allow_nan=False)


def role(code: str, levels: list[float], importance: list[float] | None = None, zone: int | None = None) -> Role:
    importance = importance or [4.0] * len(levels)
    reqs = tuple(RoleRequirement(s, lv, im) for s, lv, im in zip(SKILLS, levels, importance, strict=False))
    return Role(code, f"Role {code}", requirements=reqs, job_zone=zone)


def plain(*roles: Role, transitions: tuple[Transition, ...] = ()) -> Recommender:
    """A recommender over made-up roles without O*NET traits: only skills and zones count."""
    return Recommender(RoleCatalog(roles, transitions))


# --- closeness rules ---------------------------------------------------------------------------------


@given(
    levels=st.lists(st.floats(min_value=2, max_value=7, allow_nan=False), min_size=5, max_size=5),
    importance=st.lists(IMPORTANCE, min_size=5, max_size=5),
    drop=st.floats(min_value=1.5, max_value=3),
)
def test_far_above_a_role_never_outranks_a_close_match(
    levels: list[float], importance: list[float], drop: float
) -> None:
    match = role("match", levels, importance)
    below = role("below", [max(0.0, lv - drop) for lv in levels], importance)
    profile = dict(zip(SKILLS, levels, strict=True))
    result = plain(below, match).recommend(profile)
    assert [r.code for r in result.closest] == ["match", "below"]
    far = result.closest[1]
    assert far.band is not FitBand.VERY_CLOSE  # far above a role is not shown as a fit


def test_over_qualified_roles_do_not_top_the_real_catalog() -> None:
    onet = load_onet_catalog()
    profile = {skill.code: 3 + i % 3 for i, skill in enumerate(onet.framework.skills)}  # the learner
    result = recommend(profile, onet.catalog)
    titles = {r.title for r in result.closest}
    assert not titles & {
        "Dancers",
        "Crossing Guards and Flaggers",
        "Hosts and Hostesses, Restaurant, Lounge, and Coffee Shop",
    }
    assert all(r.job_zone is not None and r.job_zone >= 3 for r in result.closest)


@settings(max_examples=60)
@given(
    learner=st.lists(LEVEL, min_size=5, max_size=5),
    levels=st.lists(LEVEL, min_size=5, max_size=5),
    importance=st.lists(IMPORTANCE, min_size=5, max_size=5),
    skill=st.integers(0, 4),
    more=st.floats(min_value=0.01, max_value=3),
)
def test_a_bigger_gap_never_scores_closer(
    learner: list[float], levels: list[float], importance: list[float], skill: int, more: float
) -> None:
    assume(levels[skill] >= learner[skill])  # the role already asks more than the learner has
    wider = list(levels)
    wider[skill] += more
    recommender = plain(role("r", levels, importance), role("wider", wider, importance))
    scores, _, terms = recommender.scores(dict(zip(SKILLS, learner, strict=True)))
    assert scores[1] >= scores[0] and terms[1] >= terms[0]


@settings(max_examples=60)
@given(
    learner=st.lists(LEVEL, min_size=5, max_size=5),
    levels=st.lists(LEVEL, min_size=5, max_size=5),
    skill=st.integers(0, 4),
    more=st.floats(min_value=0.01, max_value=3),
)
def test_growing_towards_a_role_never_moves_it_away(
    learner: list[float], levels: list[float], skill: int, more: float
) -> None:
    assume(learner[skill] + more <= levels[skill])  # the learner grows but stays at or below the need
    recommender = plain(role("r", levels))
    before, _, _ = recommender.scores(dict(zip(SKILLS, learner, strict=True)))
    grown = list(learner)
    grown[skill] += more
    after, _, _ = recommender.scores(dict(zip(SKILLS, grown, strict=True)))
    assert after[0] <= before[0]


def test_skills_a_role_barely_uses_count_little() -> None:
    uses_c = role("uses", [3, 3, 6], [4, 4, 5])
    ignores_c = role("ignores", [3, 3, 6], [4, 4, 1])
    profile = {"a": 3, "b": 3, "c": 1}
    scores, _, _ = plain(uses_c, ignores_c).scores(profile)
    assert scores[1] < scores[0]
    note = plain(ignores_c).explain(profile, "ignores").skills[2]
    assert note.standing is SkillStanding.MINOR


def test_explanations_say_what_carries_over_and_what_to_grow() -> None:
    target = role("t", [4, 5, 2, 0, 3], [5, 4, 2, 1, 4])
    result = plain(target).explain({"a": 4, "b": 3, "c": 2, "e": 6}, "t")
    assert [n.skill_code for n in result.carries_over] == ["a"]
    assert [(n.skill_code, n.gap) for n in result.to_grow] == [("b", 2.0)]
    assert [n.skill_code for n in result.above_needs] == ["e"]
    assert result.band in (FitBand.SOME_GAPS, FitBand.BIG_GAPS)  # a 2-level gap in an important skill caps it


def test_invalid_input_is_refused() -> None:
    recommender = plain(role("r", [1, 2]))
    with pytest.raises(ValidationError):
        recommender.recommend({"a": -1})
    with pytest.raises(ValidationError):
        recommender.recommend({"a": 1}, current_role="nope")
    assert recommender.recommend({}).closest == ()  # nothing rated: nothing claimed


# --- Job Zones ---------------------------------------------------------------------------------------


def zoned() -> Recommender:
    return plain(
        role("z1", [1, 1, 1, 1, 1], zone=1),
        role("z2", [2, 2, 2, 2, 2], zone=2),
        role("z3", [3, 3, 3, 3, 3], zone=3),
        role("z3b", [3, 3.5, 3, 3, 3], zone=3),
        role("z4", [4, 4, 4, 4, 4], zone=4),
        role("z5", [5, 5, 5, 5, 5], zone=5),
        transitions=(Transition("z3", "z2", 1.0), Transition("z3", "z4", 0.75)),
    )


def test_roles_below_the_learners_level_are_not_shown() -> None:
    result = zoned().recommend(dict.fromkeys(SKILLS, 3.0))
    assert result.level_zone == 3 and not result.zone_from_current_role
    assert {r.code for r in result.closest} == {"z3", "z3b", "z4", "z5"}
    assert [r.code for r in result.step_up] == ["z4"]


def test_a_current_role_sets_the_level_and_adds_its_related_moves() -> None:
    result = zoned().recommend(dict.fromkeys(SKILLS, 2.0), current_role="z3")
    assert result.level_zone == 3 and result.zone_from_current_role
    assert "z3" not in {r.code for r in result.closest}
    assert all((r.job_zone or 0) >= 3 for r in result.closest)
    assert [(r.code, r.strength) for r in result.related_moves] == [("z2", 1.0), ("z4", 0.75)]


@given(st.lists(st.floats(min_value=0, max_value=6, allow_nan=False), min_size=5, max_size=5))
def test_the_step_up_list_is_exactly_the_next_zone(levels: list[float]) -> None:
    result = zoned().recommend(dict(zip(SKILLS, levels, strict=True)))
    assert result.level_zone is not None
    assert all(r.job_zone == result.level_zone + 1 for r in result.step_up)
    assert all((r.job_zone or 0) >= result.level_zone for r in result.closest)  # never below the level said


# --- bands -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typical", "gap", "band"),
    [
        (0.0, 0.0, FitBand.VERY_CLOSE),
        (0.45, 0.0, FitBand.VERY_CLOSE),
        (0.6, 0.0, FitBand.CLOSE),
        (1.0, 0.0, FitBand.SOME_GAPS),
        (2.0, 0.0, FitBand.BIG_GAPS),
        (0.2, 1.5, FitBand.SOME_GAPS),
        (2.0, 3.0, FitBand.BIG_GAPS),
    ],
)
def test_bands(typical: float, gap: float, band: FitBand) -> None:
    assert fit_band(typical, gap) is band


@given(st.floats(min_value=0, max_value=10), st.floats(min_value=0, max_value=10))
def test_bands_only_get_worse_as_the_difference_grows(a: float, b: float) -> None:
    order = list(FitBand)
    low, high = sorted((a, b))
    assert order.index(fit_band(high)) >= order.index(fit_band(low))


# --- the lists on O*NET ------------------------------------------------------------------------------


def test_lists_for_a_registered_nurse() -> None:
    onet = load_onet_catalog()
    nurse = onet.role("29-1141.00")
    profile = {req.skill_code: float(round(req.level)) for req in nurse.requirements}
    result = recommend(profile, onet.catalog, current_role=nurse.code)
    assert result.level_zone == 4 and result.zone_from_current_role  # O*NET: Job Zone Four
    closest = [r.code for r in result.closest]
    assert len(closest) == 10 and nurse.code not in closest
    assert "29-1141.03" in closest  # Critical Care Nurses
    assert all(r.job_zone == 5 for r in result.step_up)
    related = [t.to_code for t in onet.catalog.transitions_from(nurse.code)][:10]
    assert [r.code for r in result.related_moves] == related
    assert result.strongest_skills and len(result.strongest) == 10
    for item in result.strongest[:3]:
        assert any(item.role.requirement_by_skill[s].importance >= 3 for s in result.strongest_skills)
    assert all(r.band in FitBand for lst in result.lists().values() for r in lst)
    assert result.combined == result.closest  # no values or interests stated


def test_the_recommender_is_built_once_per_catalog() -> None:
    onet = load_onet_catalog()
    assert recommender_for(onet.catalog) is recommender_for(onet.catalog)


# --- values and interests ----------------------------------------------------------------------------


def test_every_exercise_option_maps_to_an_onet_trait() -> None:
    assert set(VALUE_TO_WORK_VALUE) == set(VALUE_OPTIONS)
    assert set(DRIVER_TO_WORK_VALUE) == set(CAREER_DRIVER_OPTIONS)
    assert set(interest_weights({"interests": list(INTEREST_OPTIONS[:3])})) == {
        "Realistic",
        "Investigative",
        "Artistic",
    }


def test_preferences_from_the_exercises() -> None:
    values = {
        "top_values": ["autonomy", "creativity", "helping others", "security", "learning"],
        "ranked_values": [{"value": "autonomy", "meaning": "x"}, {"value": "helping others", "meaning": "y"}],
        "career_drivers": ["building something new", "pure challenge"],
    }
    assert work_value_weights(values) == {
        "Independence": 1 + 1 + 3 + 1,
        "Relationships": 1 + 2,
        "Working Conditions": 1,
        "Achievement": 1 + 1,
    }
    strengths = {"interests": [INTEREST_OPTIONS[3], INTEREST_OPTIONS[1]]}
    prefs = preferences_from_exercises(values, strengths)
    assert prefs.interests == {"Social": 3.0, "Investigative": 2.0}
    assert preferences_from_exercises(None, None).empty
    with pytest.raises(ValidationError):
        LearnerPreferences(interests={"Sporty": 1})


def test_stated_interests_and_values_steer_the_combined_list_and_say_so() -> None:
    onet = load_onet_catalog()
    profile = dict.fromkeys((s.code for s in onet.framework.skills), 3.0)
    plain_list = recommend(profile, onet.catalog)
    social = recommend(
        profile,
        onet.catalog,
        preferences=LearnerPreferences(values={"Relationships": 3.0}, interests={"Social": 3.0}),
    )
    assert social.uses_interests and social.uses_values
    assert social.closest == plain_list.closest  # the skills list itself does not change

    def mean_social(items: tuple[object, ...]) -> float:
        found = [interests(r.code) for r in items]  # type: ignore[attr-defined]
        return sum(p.scores["Social"] for p in found if p) / len(found)

    assert mean_social(social.combined) > mean_social(plain_list.closest) + 0.5
    first = social.combined[0]
    assert Driver.INTERESTS in first.drivers or Driver.VALUES in first.drivers
    assert "Social" in first.matched_interests
    rel = work_values(first.code)
    assert rel is None or first.value_match is not None
