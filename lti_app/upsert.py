"""Insert a row found missing, staying correct when two workers race on the same first launch."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from lti_app.extensions import db

Model = TypeVar("Model")


def insert_or_get(model: type[Model], keys: dict[str, Any], values: dict[str, Any] | None = None) -> Model:
    """Insert the row with ``keys`` (and ``values``), or fetch the one a concurrent creator just made.

    For rows the caller has just looked for and not found (a first launch). ``INSERT ... ON CONFLICT DO
    NOTHING RETURNING`` leaves the unique constraint to arbitrate, so two simultaneous first launches of
    one user make one row, never an IntegrityError page; without a race it is a single statement.
    """
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(model).values(**keys, **(values or {})).on_conflict_do_nothing().returning(model)
    created = db.session.scalars(statement).first()
    if created is not None:
        return created
    return db.session.scalars(select(model).filter_by(**keys)).one()
