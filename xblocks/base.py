"""What every career block is made of: i18n, Studio settings, grades and completion, evidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from web_fragments.fragment import Fragment
from xblock.core import XBlock

from career_core.attribution import ONET_ATTRIBUTION, ONET_LICENSE_URL
from career_core.profile_chart import skills_radar_svg
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

    def radar_svg(
        self,
        skill_codes: Sequence[str],
        profile: Mapping[str, float],
        role: Role | None,
        learner_label: str | None = None,
    ) -> str:
        """The LTI tool's radar (career_core.profile_chart), with its labels translated."""
        _ = self.ugettext
        if role is None:
            title = _("Your skills compared with the scale")
        else:
            title = _("Your skills compared with {role}").format(role=role.title)
        return skills_radar_svg(
            onet().framework, skill_codes, profile, role=role, learner_label=learner_label or _("You"), title=title
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
