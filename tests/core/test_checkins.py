"""Check-ins and their agenda templates."""

from __future__ import annotations

from datetime import date

import pytest

from career_core.checkins import (
    AGENDA_TEMPLATES,
    CheckIn,
    CheckInAuthorRole,
    agenda_template,
    checkin_to_dict,
    latest_first,
    parse_checkin,
)
from career_core.errors import ValidationError


def test_the_nine_practice_templates_exist_with_three_to_six_prompts() -> None:
    assert set(AGENDA_TEMPLATES) == {
        "values_and_drivers",
        "strengths",
        "personal_vision",
        "strategic_networking",
        "progress_review",
        "navigating_change",
        "productivity",
        "work_life_balance",
        "career_growth",
    }
    for key, template in AGENDA_TEMPLATES.items():
        assert template.key == key
        assert template.title and template.purpose
        assert 3 <= len(template.prompts) <= 6
        assert len(set(template.prompts)) == len(template.prompts)
        assert all(len(prompt) > 20 and prompt == prompt.strip() for prompt in template.prompts)


def test_unknown_template_lists_the_known_ones() -> None:
    with pytest.raises(ValidationError, match="'swot' is not one of values_and_drivers, strengths"):
        agenda_template("swot")
    assert agenda_template("strengths").title == "Strengths"


def test_parse_and_round_trip() -> None:
    data = {
        "author_role": "mentor",
        "author_name": "Ada",
        "held_on": "2025-03-04",
        "agenda_template": "progress_review",
        "notes": "Good progress on the statistics course.",
        "agreed_actions": ["Book a shadowing day ", "", "Draft the board paper"],
    }
    checkin = parse_checkin(data)
    assert checkin == CheckIn(
        CheckInAuthorRole.MENTOR,
        "Ada",
        date(2025, 3, 4),
        "progress_review",
        "Good progress on the statistics course.",
        ("Book a shadowing day", "Draft the board paper"),
    )
    assert parse_checkin(checkin_to_dict(checkin)) == checkin


def test_parse_reports_all_problems() -> None:
    data = {
        "author_role": "hr",
        "author_name": "",
        "agenda_template": "swot",
        "notes": "x" * 10_001,
        "agreed_actions": [3],
    }
    with pytest.raises(ValidationError) as excinfo:
        parse_checkin(data)
    assert excinfo.value.errors == [
        "checkin.author_role: 'hr' is not one of learner, manager, mentor",
        "checkin.author_name: must not be empty",
        "checkin.held_on: is required",
        "checkin.agenda_template: 'swot' is not one of values_and_drivers, strengths, personal_vision, "
        "strategic_networking, progress_review, navigating_change, productivity, work_life_balance, career_growth",
        "checkin.notes: is 10001 characters long; the limit is 10000",
        "checkin.agreed_actions[0]: must be text, not int",
    ]


def test_latest_first_is_stable_for_same_day() -> None:
    first = CheckIn(CheckInAuthorRole.LEARNER, "L", date(2025, 1, 1), None, "a")
    second = CheckIn(CheckInAuthorRole.MANAGER, "M", date(2025, 2, 1), None, "b")
    third = CheckIn(CheckInAuthorRole.MENTOR, "N", date(2025, 2, 1), None, "c")
    assert latest_first([first, second, third]) == (second, third, first)
