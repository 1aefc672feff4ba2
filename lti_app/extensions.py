"""The unbound Flask extensions; the app factory binds them."""

import sqlite3
from datetime import datetime
from typing import Any

from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from lti_app.db_types import UtcDateTime


class Base(DeclarativeBase):
    # Named constraints keep Alembic migrations portable between SQLite and PostgreSQL.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


# Objects stay readable after commit: a launch commits, then renders the page from the same objects
# without reloading each one.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
# Every ``Mapped[datetime]`` is a UTC moment, aware in Python (see ``lti_app.db_types.UtcDateTime``).
Base.registry.update_type_annotation_map({datetime: UtcDateTime})
migrate = Migrate()
api = Api()


@event.listens_for(Engine, "connect")
def _sqlite_for_concurrent_use(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers go on while one worker writes; NORMAL sync is durable across app crashes in WAL mode."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted content is overwritten, so an erased learner's text does not linger in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()
