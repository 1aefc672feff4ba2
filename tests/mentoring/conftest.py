"""Fixtures for mentoring programme tests: the API tests' (O*NET loaded, two platforms, real launches)."""

from tests.api.conftest import as_user, onet, peer_a, peer_b

__all__ = ["as_user", "onet", "peer_a", "peer_b"]
