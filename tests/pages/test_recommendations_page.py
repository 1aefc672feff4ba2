"""The career-path explorer's recommendation lists, rendered after a real launch."""

from __future__ import annotations

import re
from typing import Any

from career_core.exercises import INTEREST_OPTIONS
from career_core.onet import load_onet_catalog
from tests.lti.platform_peer import PlatformPeer
from tests.pages.conftest import launch_page
from tests.pages.test_pages import no_inline_code

NURSE = "29-1141.00"


def section(html: str) -> str:
    match = re.search(
        r'<section class="card" aria-labelledby="ranked-heading" id="recommendations">(.*?)</section>', html, re.S
    )
    assert match, "no recommendations section"
    return match.group(1)


def test_lists_with_bands_and_explanations(client: Any, peer: PlatformPeer, onet: str) -> None:
    first = launch_page(client, peer, sub="rec-1", custom={"component": "career_path"})
    assert "Rate your skills in the self-assessment first" in section(first.html)
    first.api.post("/assessments", {"ratings": [{"skill_code": "2.A.1.a", "level": 4}]})
    partial = section(launch_page(client, peer, sub="rec-1", custom={"component": "career_path"}).html)
    assert "Based on the 1 of 35 skills you have rated" in partial
    nurse = load_onet_catalog().role(NURSE)
    ratings = [{"skill_code": r.skill_code, "level": round(r.level)} for r in nurse.requirements]
    assert first.api.post("/assessments", {"ratings": ratings}).status_code == 201
    first.api.put("/career/target", {"role_code": "29-1171.00", "current_role_code": NURSE})

    page = launch_page(client, peer, sub="rec-1", custom={"component": "career_path"})
    html = section(page.html)
    for heading in ("Closest to you now", "A step up", "Uses your strongest skills", "Moves from Registered Nurses"):
        assert heading in html, heading
    assert "Critical Care Nurses" in html and "Job Zone Four" in html
    assert re.search(r'class="band band-(very-close|close|some-gaps|big-gaps)"', html)
    assert "%" not in html  # fit is said in words, never as a percentage
    assert "Carries over:" in html and "To grow:" in html
    assert 'id="combined-hint"' in html  # no values or interests stated yet
    assert 'id="partial-note"' not in html  # every skill rated
    no_inline_code(page.html)

    page.api.put("/reflections/strengths", {"answers": {"interests": [INTEREST_OPTIONS[3], INTEREST_OPTIONS[1]]}})
    again = section(launch_page(client, peer, sub="rec-1", custom={"component": "career_path"}).html)
    assert "Suited to your skills, values and interests" in again and "Suggested for your" in again
    assert "Matches the work you enjoy: Social" in again or "Matches the work you enjoy: Investigative" in again
