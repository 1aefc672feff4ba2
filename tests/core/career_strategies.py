"""Hypothesis strategies for career-domain values shared by the core tests."""

from __future__ import annotations

from hypothesis import strategies as st

from career_core.frameworks import Skill, SkillFramework
from career_core.roles import Role, RoleRequirement
from career_core.scales import FIVE_POINT_SCALE, ONET_LEVEL_SCALE

# Any printable text, including quotes, commas and line breaks that CSV and JSON must escape.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
NAME = TEXT.filter(lambda s: s.strip() != "")
CODE = st.text(st.characters(blacklist_categories=("Cs", "Z", "Cc")), min_size=1, max_size=8)


@st.composite
def frameworks(draw: st.DrawFn, max_skills: int = 12) -> SkillFramework:
    codes = draw(st.lists(CODE, min_size=0, max_size=max_skills, unique=True))
    skills = []
    for i, code in enumerate(codes):
        # Parents are drawn among earlier skills, so the result is always a forest.
        parent = draw(st.none() | st.sampled_from(codes[:i])) if i else None
        skills.append(Skill(code, draw(NAME), draw(TEXT), draw(TEXT), parent))
    scale = draw(st.sampled_from([ONET_LEVEL_SCALE, FIVE_POINT_SCALE]))
    return SkillFramework(str(draw(st.uuids())), draw(NAME), draw(TEXT), scale, tuple(skills))


SKILLS = tuple(f"S{i}" for i in range(6))
LEVEL = st.floats(min_value=0, max_value=7, allow_nan=False)
IMPORTANCE = st.floats(min_value=1, max_value=5, allow_nan=False)


@st.composite
def roles(draw: st.DrawFn, code: str | None = None) -> Role:
    chosen = draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=len(SKILLS)))
    requirements = tuple(RoleRequirement(s, draw(LEVEL), draw(IMPORTANCE)) for s in chosen)
    return Role(code or draw(st.text("ABCDEFGH", min_size=1, max_size=4)), "Role", "", requirements)


profiles = st.dictionaries(st.sampled_from(SKILLS), LEVEL)
