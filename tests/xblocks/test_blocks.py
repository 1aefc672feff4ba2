"""What every career block shares: entry points, scenarios, scoring attributes, i18n fallback."""

from __future__ import annotations

import re
from importlib.metadata import entry_points
from typing import Any

import pytest
from lxml import etree

from tests.xblocks.runtime import RecordingRuntime, tag_of
from xblocks.career_path import CareerPathXBlock
from xblocks.development_plan import DevelopmentPlanXBlock
from xblocks.reflection import ReflectionXBlock
from xblocks.self_assessment import SelfAssessmentXBlock

BLOCKS = [SelfAssessmentXBlock, CareerPathXBlock, DevelopmentPlanXBlock, ReflectionXBlock]
TAGS = {
    "career_self_assessment": SelfAssessmentXBlock,
    "career_path": CareerPathXBlock,
    "career_development_plan": DevelopmentPlanXBlock,
    "career_reflection": ReflectionXBlock,
}


def test_entry_points_name_the_four_blocks() -> None:
    declared = {point.name: point.load() for point in entry_points(group="xblock.v1") if point.name in TAGS}
    assert declared == TAGS


@pytest.mark.parametrize("cls", BLOCKS)
def test_workbench_scenarios_use_the_entry_point_tag(cls: Any) -> None:
    scenarios = cls.workbench_scenarios()
    assert scenarios
    for _title, xml in scenarios:
        assert etree.fromstring(xml).tag == tag_of(cls)


@pytest.mark.parametrize("cls", BLOCKS)
def test_scored_completable_and_settings_documented(runtime: RecordingRuntime, cls: Any) -> None:
    block = runtime.make_block(cls)
    assert block.has_score is True and block.has_custom_completion is True
    assert block.max_score() == block.weight == 1.0
    for name in cls.editable_fields:
        field = cls.fields[name]
        assert field.scope.name == "settings" and field.help, name
    for name, field in cls.fields.items():
        if field.scope.name in {"user_state", "user_state_summary"}:
            assert field.help, name


@pytest.mark.parametrize("cls", BLOCKS)
def test_student_view_without_an_i18n_service(cls: Any) -> None:
    runtime = RecordingRuntime(services={"i18n": None})
    fragment = runtime.make_block(cls).student_view()
    assert fragment.js_init_fn == cls.js_class
    assert "career-toolkit" in fragment.content


class MarkingI18n:
    """Marks every translated string, so untranslated ones stand out."""

    def gettext(self, text: str) -> str:
        return f"\u00ab{text}\u00bb"


@pytest.mark.parametrize("cls", BLOCKS)
def test_user_facing_strings_go_through_the_i18n_service(cls: Any) -> None:
    runtime = RecordingRuntime(services={"i18n": MarkingI18n()})
    html = runtime.make_block(cls).student_view().content
    buttons = re.findall(r'<button type="submit"[^>]*>([^<]+)</button>', html)
    assert buttons and all(label.startswith("\u00ab") and label.endswith("\u00bb") for label in buttons)


@pytest.mark.parametrize("cls", BLOCKS)
def test_the_learners_handlers_are_verbs(cls: Any) -> None:
    handlers = {name for name in dir(cls) if getattr(getattr(cls, name), "_is_xblock_handler", False)}
    assert {"save_settings", "export_evidence"} <= handlers
    assert all(
        name.split("_")[0] in {"save", "export", "submit", "choose", "review", "change", "add", "deliver"}
        for name in handlers
    )
