"""Translation of user-facing strings through the runtime's ``i18n`` service, when there is one."""

from __future__ import annotations

from collections.abc import Callable

from xblock.core import XBlock, XBlockMixin


@XBlock.wants("i18n")
class I18nMixin(XBlockMixin):
    """Gives a block ``ugettext``; a runtime without an i18n service gets the text untranslated."""

    def ugettext(self, text: str) -> str:
        return self.translator()(text)

    def translator(self) -> Callable[[str], str]:
        service = self.runtime.service(self, "i18n")
        if service is None:
            return _identity
        gettext = getattr(service, "gettext", None) or getattr(service, "ugettext", None)
        return gettext if callable(gettext) else _identity


def _identity(text: str) -> str:
    return text
