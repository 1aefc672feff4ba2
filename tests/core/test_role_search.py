"""Searching occupations the way people type job names."""

from __future__ import annotations

from career_core.roles import Role, RoleCatalog


def catalog(*titles: str) -> RoleCatalog:
    roles = [Role(code=f"00-000{i}.00", title=title, description="", requirements=()) for i, title in enumerate(titles)]
    return RoleCatalog(roles, [])


def titles(found: list[Role]) -> list[str]:
    return [role.title for role in found]


def test_every_word_matching_beats_some_words_matching() -> None:
    roles = catalog("Web Developers", "Software Developers", "Software Quality Assurance Analysts", "Nurses")
    assert titles(roles.search("software developer")) == [
        "Software Developers",
        "Software Quality Assurance Analysts",
        "Web Developers",
    ]


def test_a_word_matches_the_start_of_a_title_word_only() -> None:
    roles = catalog("Registered Nurses", "Purser", "Nursery Workers")
    assert titles(roles.search("nurs")) == ["Nursery Workers", "Registered Nurses"]


def test_a_title_starting_with_the_query_leads_its_group() -> None:
    roles = catalog("Acute Care Nurses", "Nurse Practitioners")
    assert titles(roles.search("nurse")) == ["Nurse Practitioners", "Acute Care Nurses"]


def test_code_prefix_and_blank_query() -> None:
    roles = catalog("Chief Executives", "Cooks")
    assert titles(roles.search("00-0001")) == ["Cooks"]
    assert roles.search("   ") == []


def test_limit_and_no_match() -> None:
    roles = catalog(*(f"Teachers {n}" for n in range(30)))
    assert len(roles.search("teacher", limit=5)) == 5
    assert roles.search("astronaut") == []
