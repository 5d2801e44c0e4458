"""What backup and restore need to know about a database, for SQLite and PostgreSQL.

- ``kind(url)``: ``sqlite`` or ``postgresql`` (anything else is refused);
- ``sqlite_file(url)``: the file of a SQLite URL (an in-memory database cannot be backed up);
- ``libpq_environ(url)``: the environment for pg_dump / pg_restore: host, port, user,
  password and database from the URL as PG* variables, so that no credential appears on a
  command line (``ps`` shows command lines to every user of the machine);
- ``table_stats(connection)``: rows and a checksum per table, to prove a restore complete;
- ``is_empty(engine)`` / ``clear(engine)``: whether a restore target holds anything, and
  wiping it for ``restore --force``;
- ``alembic_revisions(connection)``: the schema revision(s) the data belongs to.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
#: URL query options that libpq also reads from the environment
_LIBPQ_QUERY = {
    "host": "PGHOST", "port": "PGPORT", "sslmode": "PGSSLMODE", "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY", "sslrootcert": "PGSSLROOTCERT", "sslcrl": "PGSSLCRL",
    "passfile": "PGPASSFILE", "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME", "options": "PGOPTIONS", "service": "PGSERVICE",
    "target_session_attrs": "PGTARGETSESSIONATTRS", "gssencmode": "PGGSSENCMODE",
}
_MODULUS = 2 ** 256


class DatabaseError(Exception):
    """A database URL or state that backup/restore cannot work with (message for the CLI)."""


def kind(url: str | sa.URL) -> str:
    """``sqlite`` or ``postgresql``."""
    backend = sa.make_url(url).get_backend_name()
    if backend not in (SQLITE, POSTGRESQL):
        raise DatabaseError(f"不支持的数据库 / unsupported database: {backend}")
    return backend


def sqlite_file(url: str | sa.URL) -> Path:
    """The file of a SQLite URL (absolute)."""
    database = sa.make_url(url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        raise DatabaseError("内存数据库无法备份或恢复 / an in-memory SQLite database cannot be "
                            "backed up or restored")
    return Path(database).expanduser().resolve()


def libpq_environ(url: str | sa.URL) -> dict[str, str]:
    """The process environment plus the URL's connection settings as PG* variables."""
    parsed = sa.make_url(url)
    environ = dict(os.environ)
    for key, name in (("host", "PGHOST"), ("port", "PGPORT"), ("username", "PGUSER"),
                      ("password", "PGPASSWORD"), ("database", "PGDATABASE")):
        value = getattr(parsed, key)
        if value not in (None, ""):
            environ[name] = str(value)
    for key, value in parsed.query.items():
        if key in _LIBPQ_QUERY:
            environ[_LIBPQ_QUERY[key]] = value if isinstance(value, str) else value[-1]
    return environ


def without_password(url: str | sa.URL) -> str:
    """The URL as it may be printed."""
    return sa.make_url(url).render_as_string(hide_password=True)


# --- rows and checksums -------------------------------------------------------------------

@dataclass(frozen=True)
class TableStats:
    """How many rows a table holds and a checksum over them (independent of row order)."""

    rows: int
    checksum: str

    def as_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "checksum": self.checksum}


def table_stats(connection: sa.Connection) -> dict[str, TableStats]:
    """Rows and checksum of every table of the connection's default schema.

    The checksum adds up a SHA-256 per row (modulo 2**256), so the order rows come back in
    (which a collation or a restore may change) does not matter, while a lost, added or
    altered row does. Values are rendered canonically: aware timestamps in UTC (the
    session's time zone must not matter), JSON with sorted keys.
    """
    names = sorted(sa.inspect(connection).get_table_names())
    preparer = connection.dialect.identifier_preparer
    stats = {}
    for name in names:
        total = 0
        rows = 0
        # stream: a table of a million rows must not be held in memory at once
        result = connection.exec_driver_sql(
            f"SELECT * FROM {preparer.quote(name)}",
            execution_options={"stream_results": True, "yield_per": 2000})
        for row in result:
            rows += 1
            line = "\x1f".join(_canonical(value) for value in row)
            total = (total + int.from_bytes(hashlib.sha256(line.encode()).digest(), "big")) \
                % _MODULUS
        stats[name] = TableStats(rows, f"{total:064x}")
    return stats


def _canonical(value: Any) -> str:
    if value is None:
        return "N"
    if isinstance(value, bool):
        return f"b:{int(value)}"
    if isinstance(value, int):
        return f"i:{value}"
    if isinstance(value, float):
        return f"f:{value!r}"
    if isinstance(value, Decimal):
        return f"d:{value}"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "x:" + bytes(value).hex()
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc)
        return "t:" + value.isoformat()
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return f"t:{value}"
    if isinstance(value, (dict, list)):
        return "j:" + json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return f"s:{value}"


def alembic_revisions(connection: sa.Connection) -> list[str]:
    """The revisions in alembic_version (several while migration branches are unmerged)."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return []
    return sorted(connection.exec_driver_sql("SELECT version_num FROM alembic_version")
                  .scalars())


def server_version(connection: sa.Connection) -> str:
    """The database server's version string."""
    if connection.dialect.name == SQLITE:
        return f"SQLite {sqlite3.sqlite_version}"
    return "PostgreSQL " + connection.exec_driver_sql("SHOW server_version").scalar_one()


# --- is a restore target empty? -------------------------------------------------------------

#: schema objects in user schemas, not counting those an extension owns
_PG_OBJECTS = """
WITH user_ns AS (
    SELECT oid FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE :system_prefix
), ext AS (SELECT objid FROM pg_depend WHERE deptype = 'e')
SELECT
  (SELECT count(*) FROM pg_class WHERE relnamespace IN (SELECT oid FROM user_ns)
       AND oid NOT IN (SELECT objid FROM ext))
+ (SELECT count(*) FROM pg_type WHERE typnamespace IN (SELECT oid FROM user_ns)
       AND typtype IN ('e', 'd', 'r', 'm') AND oid NOT IN (SELECT objid FROM ext))
+ (SELECT count(*) FROM pg_proc WHERE pronamespace IN (SELECT oid FROM user_ns)
       AND oid NOT IN (SELECT objid FROM ext))
"""


def object_count(engine: sa.Engine) -> int:
    """Tables, views, sequences, types and functions a restore would collide with."""
    if engine.dialect.name == SQLITE:
        path = sqlite_file(engine.url)
        if not path.exists() or path.stat().st_size == 0:
            return 0
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
            return conn.execute("SELECT count(*) FROM sqlite_master "
                                "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").fetchone()[0]
    with engine.connect() as connection:
        return int(connection.execute(sa.text(_PG_OBJECTS),
                                      {"system_prefix": "pg\\_%"}).scalar_one())


def is_empty(engine: sa.Engine) -> bool:
    """True when the database holds no schema object at all (a new database)."""
    return object_count(engine) == 0


def clear(engine: sa.Engine) -> None:
    """Remove everything from the database (``restore --force``).

    SQLite: the file is removed. PostgreSQL: the ``public`` schema is dropped and made anew
    (the database's owner may do that); a lock held by a running app makes this wait at
    most 10 seconds, then fail: stop the app before restoring.
    """
    engine.dispose()
    if engine.dialect.name == SQLITE:
        path = sqlite_file(engine.url)
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    with engine.begin() as connection:
        connection.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
        connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
