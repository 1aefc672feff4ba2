"""The packaged O*NET details: occupations without skill ratings, stand-ins for gaps, and level anchors."""

from __future__ import annotations

from career_core.onet import load_onet_catalog
from career_core.onet_details import LevelAnchor, anchored_levels, load_onet_details
from career_core.scales import FIVE_POINT_SCALE, ONET_LEVEL_SCALE


def test_every_occupation_is_described_even_without_skill_ratings() -> None:
    details, catalog = load_onet_details(), load_onet_catalog()
    assert len(details.occupations) == 1016
    developers = details.occupation("15-1252.00")
    assert "15-1252.00" not in catalog.catalog  # O*NET has no skill ratings for it
    assert developers.title == "Software Developers"
    assert developers.job_zone == 4
    assert 0 < len(developers.tasks) <= 8
    assert "Git" in developers.hot_technologies
    assert developers.education is None  # O*NET has no education survey for it either: shown as unknown
    nurses = details.occupation("29-1141.00")
    assert nurses.education is not None and nurses.education.text.startswith("Bachelor")
    assert nurses.experience is not None and 0 < nurses.experience.percent <= 100
    assert "Software Engineer" in developers.other_titles


def test_an_unrated_occupation_gets_rated_stand_ins_related_first() -> None:
    details, catalog = load_onet_details(), load_onet_catalog()
    stand_ins = details.stand_ins("15-1252.00", catalog.catalog, limit=3)
    assert len(stand_ins) == 3
    assert all(s.role.code in catalog.catalog and s.role.requirements for s in stand_ins)
    related = [code for code, _ in details.occupation("15-1252.00").related_codes()]
    assert stand_ins[0].role.code == next(code for code in related if code in catalog.catalog)
    assert "related" in stand_ins[0].reason


def test_the_35_skills_have_anchors_at_2_4_and_6() -> None:
    details, catalog = load_onet_details(), load_onet_catalog()
    for skill in catalog.framework.skills:
        assert [a.value for a in details.level_anchors(skill.code)] == [2, 4, 6]
    reading = details.level_anchors("2.A.1.a")
    assert reading[2] == LevelAnchor(6, "Read a scientific journal article describing surgical procedures")


def test_anchored_levels_read_in_the_skills_own_terms() -> None:
    anchors = load_onet_details().level_anchors("2.A.1.a")
    levels = {level.value: level for level in anchored_levels(ONET_LEVEL_SCALE, anchors)}
    assert levels[2].meaning == "Read step-by-step instructions for completing a form" and levels[2].anchored
    assert levels[2].name == "Basic"
    assert (
        levels[3].meaning.startswith("More than: read step-by-step")
        and "not yet: understand an email" in levels[3].meaning
    )
    assert levels[7].meaning.startswith("Beyond: read a scientific journal article")
    assert levels[1].meaning.startswith("Not yet: read step-by-step")
    assert levels[0].meaning == ONET_LEVEL_SCALE.level(0).descriptor
    # different skills read differently at the same level
    other = {lv.value: lv for lv in anchored_levels(ONET_LEVEL_SCALE, load_onet_details().level_anchors("2.B.1.a"))}
    assert other[4].meaning != levels[4].meaning


def test_a_skill_without_anchors_keeps_the_scales_wording() -> None:
    levels = anchored_levels(FIVE_POINT_SCALE, ())
    assert [lv.meaning for lv in levels] == [lv.descriptor for lv in FIVE_POINT_SCALE.levels]


def test_moves_into_an_occupation_are_the_ones_listing_it() -> None:
    details = load_onet_details()
    incoming = details.related_to("29-1141.00")
    assert incoming and all(
        "29-1141.00" in [code for code, _ in details.occupation(origin).related_codes()] for origin, _ in incoming
    )
    assert details.related_to("99-9999.99") == []


def test_stand_ins_fall_back_to_the_soc_group_and_stop_at_the_limit() -> None:
    from career_core.roles import Role, RoleCatalog

    details = load_onet_details()
    # A catalog holding none of Software Developers' related occupations: only made-up roles near its code.
    catalog = RoleCatalog((Role("29-9999.01", "Far away"), Role("15-1299.98", "Wider"), Role("15-1259.01", "Near")))
    stand_ins = details.stand_ins("15-1252.00", catalog, limit=3)
    assert [(s.role.code, s.reason) for s in stand_ins] == [
        ("15-1259.01", "in the same occupation group (15-125…)"),
        ("15-1299.98", "in the same wider group (15-12…)"),
    ]
    assert len(details.stand_ins("15-1252.00", load_onet_catalog().catalog, limit=2)) == 2
