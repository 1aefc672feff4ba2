"""Title search over O*NET's official, alternate and reported titles (career_core.title_search)."""

from __future__ import annotations

import pytest

from career_core.onet_details import load_onet_details
from career_core.title_search import TitleEntry, TitleIndex


def first_code(query: str) -> str:
    return load_onet_details().search(query, 5)[0].code


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("software developer", "15-1252.00"),
        ("nurse", "29-1141.00"),
        ("data scientist", "15-2051.00"),
        ("HR manager", "11-3121.00"),
        ("electrician", "47-2111.00"),
        # small typos and other word forms
        ("electrcian", "47-2111.00"),
        ("sofware developer", "15-1252.00"),
        ("Software Developers", "15-1252.00"),
        ("registered nurses", "29-1141.00"),
        ("data sceintist", "15-2051.00"),
    ],
)
def test_the_titles_people_type_find_the_occupation_they_mean(query: str, code: str) -> None:
    assert first_code(query) == code


def test_a_match_on_another_title_says_which_title_matched() -> None:
    best = load_onet_details().search("HR manager", 3)[0]
    assert best.title == "Human Resources Managers"
    assert best.matched_title == "HR Manager"
    assert best.matched_other_title


def test_more_than_eight_results_on_request_best_first() -> None:
    found = load_onet_details().search("teacher", 25)
    assert len(found) == 25
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert len({m.code for m in found}) == 25  # one row per occupation


def test_code_prefix_blank_and_nonsense() -> None:
    details = load_onet_details()
    assert [m.code for m in details.search("15-1252", 3)] == ["15-1252.00"]
    assert details.search("   ") == []
    assert details.search("qqxzv wwkj") == []
    assert details.search("qqxzv b") == []  # a stray letter does not make a match
    assert details.search("nurse qqxzv", 1)[0].code == "29-1141.00"  # one unknown word does not hide the rest
    assert details.search("nurse qqxzv wwkj") == []  # but a title must cover half of what was typed


def test_exact_names_a_code_or_an_official_title_only() -> None:
    index = load_onet_details().title_index
    assert index.exact("15-1252.00") == "15-1252.00"
    assert index.exact("software developer") == "15-1252.00"  # case and plural do not matter
    assert index.exact("nurse") is None  # an alternate title of several occupations: ambiguous


def test_scoring_rules_on_a_small_index() -> None:
    index = TitleIndex(
        [
            TitleEntry("1", "Nurse Practitioners"),
            TitleEntry("2", "Registered Nurses"),
            TitleEntry("2", "Nurse", 5),
            TitleEntry("3", "Acute Care Nurses"),
            TitleEntry("3", "Nurse", 1),
            TitleEntry("4", "Pursers"),
        ]
    )
    # the exact title of more sources beats the exact title of one; a two-word title containing it comes after
    assert [m.code for m in index.search("nurse")] == ["2", "3", "1"]
    assert [m.code for m in index.search("nurs")][:1] == ["2"]  # a prefix
    assert [m.code for m in index.search("purser")] == ["4"]
