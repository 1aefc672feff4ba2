"""Map the LTI roles claim to the toolkit's three roles."""

from __future__ import annotations

from collections.abc import Iterable

from lti_app.models.people import ADMINISTRATOR, INSTRUCTOR, LEARNER

_ADMIN_SUFFIXES = ("#Administrator", "/Administrator")
# Managers and mentors coach learners; the toolkit gives them the instructor view.
_INSTRUCTOR_SUFFIXES = (
    "#Instructor",
    "#TeachingAssistant",
    "#ContentDeveloper",
    "#Mentor",
    "#Manager",
    "/Instructor",
    "/Mentor",
)


def toolkit_role(lti_roles: Iterable[str]) -> str:
    """The highest toolkit role any of the claim's roles grants; learner when none is recognised."""
    roles = [role for role in lti_roles if isinstance(role, str)]
    # Sub-roles such as membership/Instructor#TeachingAssistant end with the same suffixes.
    if any(role.endswith(_ADMIN_SUFFIXES) for role in roles):
        return ADMINISTRATOR
    if any(role.endswith(_INSTRUCTOR_SUFFIXES) for role in roles):
        return INSTRUCTOR
    return LEARNER
