"""career_core.profile_chart, the radar both front ends draw (kept here: tests/core is not this issue's)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from career_core.charts import radar_chart_svg
from career_core.onet import load_onet_catalog
from career_core.profile_chart import can_chart, skills_radar_svg

SKILLS = ("2.A.1.a", "2.A.1.b", "2.A.1.c")


def test_the_radar_is_the_one_the_lti_pages_draw() -> None:
    """Same arguments as lti_app.pages.data.radar_svg passes to radar_chart_svg."""
    catalog = load_onet_catalog()
    role = catalog.role("15-1253.00")
    svg = skills_radar_svg(catalog.framework, SKILLS, {"2.A.1.a": 3.0}, role=role)
    names = [catalog.framework.skill(code).name for code in SKILLS]
    required = role.requirement_by_skill
    expected = radar_chart_svg(
        [(name, 7.0) for name in names],
        [
            ("You", [3.0, None, None], "series-self"),
            (role.title, [required[code].level if code in required else None for code in SKILLS], "series-target"),
        ],
        360,
        title="Your skills compared with " + role.title,
    )
    assert svg == expected
    assert ET.fromstring(svg).get("role") == "img"


def test_without_a_role_only_the_learner_is_drawn_against_the_scale() -> None:
    catalog = load_onet_catalog()
    svg = skills_radar_svg(catalog.framework, SKILLS, {}, learner_label="Vous", title="Vos compétences")
    assert "series-self" in svg and "series-target" not in svg and "Vous" in svg and "Vos compétences" in svg
    assert "compared with the scale" in skills_radar_svg(catalog.framework, SKILLS, {})


def test_limits() -> None:
    assert not can_chart(SKILLS[:2]) and can_chart(SKILLS)
    with pytest.raises(ValueError):
        skills_radar_svg(load_onet_catalog().framework, SKILLS[:2], {})
    with pytest.raises(KeyError):
        skills_radar_svg(load_onet_catalog().framework, ("nope", *SKILLS), {})
