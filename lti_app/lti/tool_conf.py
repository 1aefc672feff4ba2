"""A pylti1p3 tool configuration backed by the ``platform`` and ``deployment`` tables.

Modelled on pylti1p3's ``DjangoDbToolConf``: every lookup reads the database, so a platform added with
the CLI works at once, in every worker, without a restart.
"""

from __future__ import annotations

import json
from typing import Any

from pylti1p3.deployment import Deployment as LtiDeployment
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from lti_app import keyring
from lti_app.extensions import db
from lti_app.models.platform import Deployment, Platform


class ToolRegistration(Registration):
    """A registration that signs with the tool's active key (read only when a service needs it)."""

    def __init__(self, secret_key: str) -> None:
        super().__init__()
        self._secret_key = secret_key
        self._platforms: dict[tuple[str, str], Platform | None] = {}
        self.platform_pk: int | None = None

    def get_kid(self) -> str | None:
        return keyring.signing_material(self._secret_key)[0]

    def get_tool_private_key(self) -> str | None:
        return keyring.signing_material(self._secret_key)[1].decode()


class SqlToolConf(ToolConfAbstract):
    def __init__(self, secret_key: str) -> None:
        super().__init__()
        self._secret_key = secret_key
        self._platforms: dict[tuple[str, str], Platform | None] = {}

    # pylti1p3 asks which lookup to use; every issuer may have several client ids here.
    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Registration:
        platforms = db.session.scalars(select(Platform).where(Platform.issuer == iss).limit(2)).all()
        return self._registration(platforms[0]) if len(platforms) == 1 else None  # type: ignore[return-value]

    def find_registration_by_params(self, iss: str, client_id: str, *args: Any, **kwargs: Any) -> Registration:
        if client_id is None:
            # An OIDC login without client_id is only unambiguous when the issuer has one registration.
            return self.find_registration_by_issuer(iss)
        # pylti1p3 asks more than once per launch; one configuration object lives for one request.
        if (iss, client_id) not in self._platforms:
            self._platforms[(iss, client_id)] = self.platform_for(iss, client_id)
        platform = self._platforms[(iss, client_id)]
        return self._registration(platform) if platform else None  # type: ignore[return-value]

    def find_deployment(self, iss: str, deployment_id: str) -> LtiDeployment | None:
        return None

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str, *args: Any, **kwargs: Any
    ) -> LtiDeployment | None:
        found = db.session.scalar(
            select(func.count(Deployment.id))
            .join(Platform)
            .where(
                Platform.issuer == iss,
                Platform.client_id == client_id,
                Deployment.deployment_id == deployment_id,
            )
        )
        return LtiDeployment().set_deployment_id(deployment_id) if found else None

    @staticmethod
    def platform_for(iss: str, client_id: str) -> Platform | None:
        # The deployments come in the same query: every launch checks its deployment against them.
        return (
            db.session.scalars(
                select(Platform)
                .options(joinedload(Platform.deployments))
                .where(Platform.issuer == iss, Platform.client_id == client_id)
            )
            .unique()
            .first()
        )

    def _registration(self, platform: Platform) -> ToolRegistration:
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
        registration.platform_pk = platform.id
        return registration


def platform_of(registration: Registration | None) -> Platform:
    """The platform row behind a registration this configuration made."""
    assert isinstance(registration, ToolRegistration) and registration.platform_pk is not None
    platform = db.session.get(Platform, registration.platform_pk)
    assert platform is not None
    return platform
