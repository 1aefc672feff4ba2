"""Date-times are UTC moments end to end: stored as UTC, read back aware, served RFC 3339 with an offset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select

from lti_app.extensions import db
from lti_app.models.people import LaunchSession


def _offset(text: str) -> timedelta | None:
    return datetime.fromisoformat(text).utcoffset()


def test_served_date_times_carry_the_utc_offset(as_user: Any) -> None:
    api = as_user()
    expires_at = api.me()["expires_at"]
    assert _offset(expires_at) == timedelta(0), expires_at
    assert datetime.fromisoformat(expires_at) > datetime.now(UTC)
    plan = api.post("/plans", {"vision": "x"}).get_json()
    for name in ("created_at", "updated_at"):
        assert _offset(plan[name]) == timedelta(0), plan[name]


def test_moments_are_stored_in_utc_and_read_back_aware(as_user: Any) -> None:
    as_user()
    session = db.session.scalars(select(LaunchSession)).one()
    assert session.expires_at.tzinfo is not None
    # Written with another offset, read back as the same instant in UTC.
    paris = datetime(2030, 6, 1, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    session.expires_at = paris
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalars(select(LaunchSession)).one().expires_at
    assert stored == paris and stored.utcoffset() == timedelta(0) and stored.hour == 12
    # Compared in SQL with an aware bound, on either database.
    assert db.session.scalars(select(LaunchSession).where(LaunchSession.expires_at > paris - timedelta(1))).all()
    assert not db.session.scalars(select(LaunchSession).where(LaunchSession.expires_at > paris)).all()


def test_a_naive_value_is_taken_as_utc(as_user: Any) -> None:
    as_user()
    session = db.session.scalars(select(LaunchSession)).one()
    session.expires_at = datetime(2030, 6, 1, 12, 0)  # the form every row had before UtcDateTime
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalars(select(LaunchSession)).one().expires_at == datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
