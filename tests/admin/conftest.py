"""The LTI fixtures (a registered platform peer) for the admin pages' tests."""

from tests.lti.conftest import peer

__all__ = ["peer"]
