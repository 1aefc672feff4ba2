"""A pylti1p3 tool configuration backed by the ``platform`` and ``deployment`` tables.

Modelled on pylti1p3's ``DjangoDbToolConf``, reading through ``registrations``: a platform added with the
CLI works at once in every worker (misses are never cached), without a restart.
"""

from __future__ import annotations

import json
from typing import Any

from pylti1p3.deployment import Deployment as LtiDeployment
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract
from sqlalchemy import select

from lti_app import keyring
from lti_app.extensions import db
from lti_app.lti.registrations import RegisteredPlatform, registrations
from lti_app.models.platform import Platform


class ToolRegistration(Registration):
    """A registration that signs with the tool's active key (read only when a service needs it)."""

    def __init__(self, secret_key: str) -> None:
        super().__init__()
        self._secret_key = secret_key
        self.platform: RegisteredPlatform | None = None

    def get_kid(self) -> str | None:
        return keyring.signing_material(self._secret_key)[0]

    def get_tool_private_key(self) -> str | None:
        return keyring.signing_material(self._secret_key)[1].decode()


class SqlToolConf(ToolConfAbstract):
    def __init__(self, secret_key: str) -> None:
        super().__init__()
        self._secret_key = secret_key

    # pylti1p3 asks which lookup to use; every issuer may have several client ids here.
    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Registration:
        client_ids = db.session.scalars(select(Platform.client_id).where(Platform.issuer == iss).limit(2)).all()
        if len(client_ids) != 1:
            return None  # type: ignore[return-value]
        return self.find_registration_by_params(iss, client_ids[0])

    def find_registration_by_params(self, iss: str, client_id: str, *args: Any, **kwargs: Any) -> Registration:
        if client_id is None:
            # An OIDC login without client_id is only unambiguous when the issuer has one registration.
            return self.find_registration_by_issuer(iss)
        platform = registrations().find(iss, client_id)
        return self._registration(platform) if platform else None  # type: ignore[return-value]

    def find_deployment(self, iss: str, deployment_id: str) -> LtiDeployment | None:
        return None

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str, *args: Any, **kwargs: Any
    ) -> LtiDeployment | None:
        platform = find_deployment_platform(iss, client_id, deployment_id)
        return LtiDeployment().set_deployment_id(deployment_id) if platform else None

    def _registration(self, platform: RegisteredPlatform) -> ToolRegistration:
        registration = ToolRegistration(self._secret_key)
        (
            registration.set_issuer(platform.issuer)
            .set_client_id(platform.client_id)
            .set_auth_login_url(platform.auth_login_url)
            .set_auth_token_url(platform.auth_token_url)
            .set_auth_audience(platform.auth_audience)  # type: ignore[arg-type]
            .set_key_set_url(platform.key_set_url)
            .set_key_set(json.loads(platform.key_set) if platform.key_set else None)
        )
        registration.platform = platform
        return registration


def find_deployment_platform(iss: str, client_id: str, deployment_id: str) -> RegisteredPlatform | None:
    """The registration when it has this deployment; a deployment the cache does not know yet is read afresh."""
    cache = registrations()
    platform = cache.find(iss, client_id)
    if platform is not None and deployment_id not in platform.deployments:
        platform = cache.refresh(iss, client_id)
    return platform if platform is not None and deployment_id in platform.deployments else None


def platform_of(registration: Registration | None) -> RegisteredPlatform:
    """The registered platform behind a registration this configuration made."""
    assert isinstance(registration, ToolRegistration) and registration.platform is not None
    return registration.platform
