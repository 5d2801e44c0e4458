"""Shared fixtures: one app and database per test session, emptied between tests.

The database comes from TEST_DATABASE_URL (default: a SQLite file in a temp dir). For a
PostgreSQL URL a fresh database is created for the session and dropped afterwards.
The schema is built by the real Alembic migrations, as in production.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import clock as app_clock
from app import create_app
from tests.audit_cleanup import deletes_allowed
from app.config import TestConfig
from app.extensions import db

from tests.accounts import ADMIN_PASSWORD, ADMIN_USER
from tests.clock import RUN_DAY

# The benchmark's modules (scripts/bench/) are tested as the script imports them: `bench.…`.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

pytest_plugins = ["tests.browser_fixtures"]


def _compile_catalogue() -> None:
    """A bare `pytest` on a fresh checkout: the compiled .mo (not in git) is built from the
    .po when it is missing or older (scripts/i18n.py compile, under its lock)."""
    spec = importlib.util.spec_from_file_location(
        "xieban_i18n", Path(__file__).resolve().parent.parent / "scripts" / "i18n.py")
    i18n = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(i18n)
    i18n.compile_if_stale()


def pytest_configure(config):
    config.addinivalue_line("markers", "req(id): requirement proved by the test")
    _compile_catalogue()
    # From the start, so that session and module fixtures (the app, its accounts) see the
    # run day too; each test starts again from it (_frozen_clock).
    app_clock.freeze(RUN_DAY)


def _postgres_database(url: str):
    """Create a throw-away database on the server of ``url``; return (url, drop)."""
    base = sa.make_url(url)
    name = f"xb_test_{uuid.uuid4().hex[:10]}"
    admin_engine = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin_engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        admin_engine.dispose()
        if os.environ.get("CI"):
            raise RuntimeError(f"PostgreSQL is required in CI but unreachable: {exc}") from exc
        pytest.skip(f"PostgreSQL not reachable at {base.host}:{base.port}: skipped locally",
                    allow_module_level=True)

    def drop() -> None:
        with admin_engine.connect() as conn:
            conn.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
            ), {"n": name})
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin_engine.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


def _new_database(url: str, sqlite_file):
    """A throw-away database on the PostgreSQL server of ``url``, dropped afterwards; else
    ``sqlite_file`` (a path made on demand)."""
    if url.startswith("postgresql"):
        real_url, drop = _postgres_database(url)
        yield real_url
        drop()
    else:
        yield f"sqlite:///{sqlite_file()}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    yield from _new_database(os.environ.get("TEST_DATABASE_URL", ""),
                             lambda: tmp_path_factory.mktemp("db") / "test.db")


@pytest.fixture
def fresh_database(database_url, tmp_path):
    """A new, empty database on the suite's server (or a new SQLite file): for a test that
    migrates it itself (tests/test_gunicorn.py, tests/test_wheel.py)."""
    yield from _new_database(database_url, lambda: tmp_path / "fresh.db")


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """The app, migrated to head, permissions synced, one admin user; files in a temp dir."""
    files = tmp_path_factory.mktemp("files")
    application = create_app(TestConfig(), {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "DOCUMENTS_DIR": str(files / "documents"),
        "MATERIALS_DIR": str(files / "materials"),
        "IMPORTS_DIR": str(files / "imports"),
    })
    with application.app_context():
        from flask_migrate import upgrade

        upgrade()
        runner = application.test_cli_runner()
        result = runner.invoke(args=["sync-perms"])
        assert result.exit_code == 0, result.output
        sm = application.appbuilder.sm
        sm.add_user(ADMIN_USER, "系统", "管理员", "admin@example.invalid",
                    sm.find_role(sm.auth_role_admin), password=ADMIN_PASSWORD,
                    password_chosen=True)  # as ensure-admin with ADMIN_PASSWORD: no forced change
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _domain_tables():
    # FAB's users and roles stay, and with them the version of the role definitions. The
    # row counts go last: the commission table's triggers count its deletes down to 0 there.
    tables = [t for t in reversed(db.metadata.sorted_tables)
              if not t.name.startswith("ab_") and t.name != "role_definitions"]
    return sorted(tables, key=lambda t: t.name == "row_count")


def empty_domain_tables(app) -> None:
    """Deletes every domain row (FAB's users and roles stay)."""
    with app.app_context():
        db.session.rollback()
        # The audit trail refuses deletes (app/audit/retention.py lifts that, like the purge).
        with db.engine.begin() as conn, deletes_allowed(conn):
            for table in _domain_tables():
                conn.execute(table.delete())
        db.session.remove()


@pytest.fixture(autouse=True)
def _clean_database(request, app):
    """Every test starts with empty domain tables (FAB's users and roles stay)."""
    yield
    empty_domain_tables(app)


@pytest.fixture
def ctx(app):
    """An app context for tests that call the domain or the models directly."""
    with app.app_context():
        yield
        db.session.rollback()


@pytest.fixture
def client(app):
    """A test client logged in as the admin."""
    c = app.test_client()
    login(c, ADMIN_USER, ADMIN_PASSWORD)
    return c


def login(client, username: str, password: str):
    """Log ``client`` in through the real login form."""
    response = client.post("/login/", data={"username": username, "password": password},
                           follow_redirects=False)
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    return response


def form_errors(html: str) -> list[str]:
    """The validation messages FAB renders on a form."""
    blocks = re.findall(r'<div class="alert alert-danger">(.*?)</div>', html, re.S)
    return [" ".join(b.split()) for b in blocks]


@pytest.fixture
def count_queries(app):
    """Context manager factory counting SQL statements executed on the app's engine."""
    from contextlib import contextmanager

    @contextmanager
    def counter():
        statements: list[str] = []

        def on_execute(conn, cursor, statement, params, context, executemany):
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", on_execute)
        try:
            yield statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", on_execute)

    return counter


TESTS_DIR = Path(__file__).parent


#: where the ``clock`` fixture starts
CLOCK_START = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(autouse=True)
def _frozen_clock():
    """Every test sees the product's clock frozen at RUN_DAY (tests/clock.py), 10:00 Beijing
    time; a test moves it with ``app.clock.freeze`` or the ``clock`` fixture."""
    app_clock.freeze(RUN_DAY)
    yield
    app_clock.freeze(RUN_DAY)


class Clock:
    """The product's clock as a movable object: ``now`` reads and sets the frozen moment."""

    @property
    def now(self) -> dt.datetime:
        return app_clock.utc_now()

    @now.setter
    def now(self, moment: dt.datetime) -> None:
        app_clock.freeze(moment)

    def advance(self, **delta) -> None:
        self.now = self.now + dt.timedelta(**delta)


@pytest.fixture
def clock():
    """The clock frozen at CLOCK_START (a fixed day); move it with ``advance`` or by setting
    ``now``."""
    app_clock.freeze(CLOCK_START)
    return Clock()
