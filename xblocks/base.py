"""What every career block is made of: i18n, Studio settings, grades and completion, evidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from web_fragments.fragment import Fragment
from xblock.core import XBlock

from career_core.attribution import ONET_ATTRIBUTION, ONET_LICENSE_URL
from career_core.profile_chart import ChartText, ProgressPoint, profile_charts_html
from career_core.roles import Role
from xblocks.common import onet
from xblocks.evidence import EvidenceMixin
from xblocks.i18n import I18nMixin
from xblocks.resources import fragment_for, render_template
from xblocks.scoring import ScoredCompletionMixin
from xblocks.studio import StudioSettingsMixin


class CareerBlock(ScoredCompletionMixin, EvidenceMixin, StudioSettingsMixin, I18nMixin, XBlock):
    """Shared plumbing; a subclass names its ``template`` and ``js_class`` and builds ``view_context()``.

    Handlers answer ``{"html": <the re-rendered body>, ...}`` so the page updates without a reload.
    """

    template = ""
    js_class = ""

    def view_context(self) -> dict[str, Any]:
        raise NotImplementedError

    def chart_text(self) -> ChartText:
        """The charts' wording, translated (the English defaults when no i18n service is present)."""
        _ = self.ugettext
        return ChartText(
            you=_("You"),
            role_needs=_("Role needs"),
            to_grow=_("To grow"),
            not_rated=_("not rated"),
            skill=_("Skill"),
            group=_("Skill group"),
            gap=_("Gap"),
            gap_title=_("Your skills compared with {role}, biggest gaps first"),
            levels_title=_("Your skill levels, highest first"),
            group_title=_("Skill groups: your average compared with {role}"),
            group_alone_title=_("Skill groups: your average level"),
            group_label=_("{group} ({count})"),
            progress_title=_("Your average skill level over time"),
            progress_value=_("Your average"),
            progress_reference=_("Role needs"),
            date=_("Date"),
            average=_("Average level"),
            rated=_("Skills rated"),
            show_all=_("Show all {count} skills"),
            as_table=_("Show the numbers as a table"),
        )

    def charts_html(
        self,
        skill_codes: Sequence[str],
        profile: Mapping[str, float],
        role: Role | None,
        history: Sequence[ProgressPoint] = (),
    ) -> str:
        """The LTI tool's charts (career_core.profile_chart): gap bars, skill groups, progress."""
        return profile_charts_html(
            onet().framework, skill_codes, profile, role, history=history, text=self.chart_text()
        )

    def render_body(self) -> str:
        return render_template(
            self.template,
            **self.view_context(),
            _=self.ugettext,
            attribution=ONET_ATTRIBUTION,
            license_url=ONET_LICENSE_URL,
        )

    def student_view(self, context: Any = None) -> Fragment:
        html = render_template(
            "block.html", title=self.display_name, body=self.render_body(), kind=self.template.removesuffix(".html")
        )
        return fragment_for(html, css=["static/css/career.css"], js=["static/js/career.js"], init=self.js_class)

    def answer(self, message: str) -> dict[str, Any]:
        """A handler's success answer: a message for the learner, the new body, the progress."""
        return {
            "message": message,
            "html": self.render_body(),
            "completion": self.completion_fraction,
            "score": self.earned_score,
        }
