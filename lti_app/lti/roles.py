"""Map the LTI roles claim to the toolkit's roles.

Managers and mentors are not course staff (decision 0019): the LTI ``Manager`` and ``Mentor`` roles get their
own toolkit roles, which see no cohort; what they see of a learner is what that learner shares with them.
"""

from __future__ import annotations

from collections.abc import Iterable

from lti_app.models.people import ADMINISTRATOR, INSTRUCTOR, LEARNER, MANAGER, MENTOR

_ADMIN_SUFFIXES = ("#Administrator", "/Administrator")
_INSTRUCTOR_SUFFIXES = (
    "#Instructor",
    "#TeachingAssistant",
    "#ContentDeveloper",
    "/Instructor",
)
_MANAGER_SUFFIXES = ("#Manager",)
_MENTOR_SUFFIXES = ("#Mentor", "/Mentor")


def toolkit_role(lti_roles: Iterable[str]) -> str:
    """The highest toolkit role any of the claim's roles grants; learner when none is recognised."""
    roles = [role for role in lti_roles if isinstance(role, str)]
    # Sub-roles such as membership/Instructor#TeachingAssistant end with the same suffixes.
    if any(role.endswith(_ADMIN_SUFFIXES) for role in roles):
        return ADMINISTRATOR
    if any(role.endswith(_INSTRUCTOR_SUFFIXES) for role in roles):
        return INSTRUCTOR
    if any(role.endswith(_MANAGER_SUFFIXES) for role in roles):
        return MANAGER
    if any(role.endswith(_MENTOR_SUFFIXES) for role in roles):
        return MENTOR
    return LEARNER


def is_mentor_role(lti_roles: Iterable[str]) -> bool:
    """The claim holds LTI's Mentor role (context or institution): the one ``role_scope_mentor`` qualifies."""
    return any(isinstance(role, str) and role.endswith(_MENTOR_SUFFIXES) for role in lti_roles)
