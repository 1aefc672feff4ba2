"""Insert-or-fetch by a unique key that stays correct when two workers race on the first launch."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from lti_app.extensions import db

Model = TypeVar("Model")


def get_or_create(model: type[Model], keys: dict[str, Any], values: dict[str, Any] | None = None) -> Model:
    """The row with ``keys``, created with ``values`` if missing; a concurrent creator's row wins the race.

    ``INSERT ... ON CONFLICT DO NOTHING`` leaves the unique constraint to arbitrate, so two simultaneous
    first launches of one user make one row, never an IntegrityError page.
    """
    query = select(model).filter_by(**keys)
    existing = db.session.scalars(query).first()
    if existing is not None:  # the common case: a returning user, a known course
        return existing
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(model).values(**keys, **(values or {})).on_conflict_do_nothing()
    db.session.execute(statement)
    return db.session.scalars(query).one()
