"""Flask extensions, created unbound here and initialised in create_app()."""
from __future__ import annotations

import sqlalchemy as sa
from flask_appbuilder import Model
from flask_caching import Cache
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

# Bound to FAB's declarative base so that our tables and FAB's ab_* tables share one
# metadata: Alembic sees both (architecture.md, "Migrations").
db = SQLAlchemy(model_class=Model)
csrf = CSRFProtect()
# Figures shared by every worker and server (the dashboard's): Redis where REDIS_URL is
# set, this process's memory otherwise (app/config.py, CACHE_*).
cache = Cache()


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection, connection_record) -> None:
    """SQLite ignores foreign keys unless asked, per connection; PostgreSQL always checks."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
