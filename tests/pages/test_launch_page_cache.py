"""The self-assessment page's per-process caches (decision 0023): they speed up a launch, never change its page.

The cached parts are keyed by what they show (the framework's scale and skills, and the level checked), so
one learner's levels cannot appear on another's page, and an edited framework is shown as edited at once.
"""

from __future__ import annotations

import re
from typing import Any

from lti_app.extensions import db
from lti_app.models.career import SkillFrameworkRecord
from lti_app.pages import fragments
from tests.lti.platform_peer import PlatformPeer
from tests.pages.conftest import launch_page

SELF_ASSESSMENT = {"component": "self_assessment"}


def checked(html: str) -> list[str]:
    return re.findall(r'id="(skill-\d+-lv-\d)" name="skill-\d+" value="\d"[^>]* checked', html)


def rated_counts(html: str) -> list[str]:
    return re.findall(r'<span class="js-group-rated">(\d+)</span>', html)


def test_a_learners_levels_never_reach_another_learners_page(client: Any, peer: PlatformPeer, onet: str) -> None:
    first = launch_page(client, peer, custom=SELF_ASSESSMENT)
    codes = re.findall(r'data-skill="([^"]+)"', first.html)
    ratings = [{"skill_code": codes[0], "level": 2}, {"skill_code": codes[2], "level": 6}]
    assert first.api.post("/assessments", {"ratings": ratings}).status_code == 201
    hits_before = fragments.skill_rating.cache_info().hits

    mine = launch_page(client, peer, custom=SELF_ASSESSMENT).html
    newcomer = launch_page(client, peer, sub="learner-new", custom=SELF_ASSESSMENT).html
    mine_again = launch_page(client, peer, custom=SELF_ASSESSMENT).html

    assert fragments.skill_rating.cache_info().hits > hits_before, "the launches were served from the cache"
    assert checked(mine) == checked(mine_again) == ["skill-1-lv-2", "skill-3-lv-6"]
    assert checked(newcomer) == [] and "is-rated" not in newcomer
    assert set(rated_counts(newcomer)) == {"0"} and sum(map(int, rated_counts(mine))) == 2
    assert mine.count("Not rated yet") == len(codes) - 2 and newcomer.count("Not rated yet") == len(codes)


def test_an_edited_framework_is_shown_as_edited_at_once_and_escaped(client: Any, peer: PlatformPeer, onet: str) -> None:
    before = launch_page(client, peer, custom=SELF_ASSESSMENT).html
    assert "Reading Comprehension" in before

    record = db.session.query(SkillFrameworkRecord).filter_by(identifier=onet).one()
    skills = [dict(skill) for skill in record.skills]
    skills[0]["name"] = "Reading <b>closely</b>"
    scale = dict(record.scale)
    scale["levels"] = [dict(level) for level in scale["levels"]]
    scale["levels"][-1]["name"] = "Master"
    record.skills, record.scale = skills, scale  # edited in place: same id, same version
    db.session.commit()

    after = launch_page(client, peer, custom=SELF_ASSESSMENT).html
    assert "<legend>Reading &lt;b&gt;closely&lt;/b&gt;</legend>" in after and "<b>closely" not in after
    assert "<legend>Reading Comprehension</legend>" not in after
    assert '<span class="lv-name">Master</span>' in after and '<span class="lv-name">Expert</span>' not in after
