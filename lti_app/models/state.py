"""Short-lived values every worker must see: OIDC state, nonces, cached platform key sets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lti_app.extensions import db


class ExpiringValue(db.Model):  # type: ignore[name-defined]
    """A key with a value and an expiry; deleting the row is how a nonce is consumed exactly once."""

    __tablename__ = "expiring_value"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(index=True)
