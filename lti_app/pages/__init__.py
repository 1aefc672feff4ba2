"""The toolkit's pages inside the LMS: one per component kind, the instructor view and the deep-linking picker."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the page endpoints and the launch renderers ``lti.views.render_launch_page`` looks up."""
    from lti_app.pages import people  # registers its endpoints on the pages blueprint
    from lti_app.pages.views import RENDERERS, bp

    app.register_blueprint(bp)
    renderers = {kind: people.partners_land_on_people(kind, render) for kind, render in RENDERERS.items()}
    app.extensions.setdefault("career_toolkit_pages", {}).update(renderers)
