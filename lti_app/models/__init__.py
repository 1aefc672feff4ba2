"""The tool's persistent records; importing this package registers every table with the metadata."""

from lti_app.models.keys import SigningKey
from lti_app.models.people import Context, LaunchSession, LtiUser, Membership, ResourceLink
from lti_app.models.platform import Deployment, Platform
from lti_app.models.state import ExpiringValue

__all__ = [
    "Context",
    "Deployment",
    "ExpiringValue",
    "LaunchSession",
    "LtiUser",
    "Membership",
    "Platform",
    "ResourceLink",
    "SigningKey",
]
