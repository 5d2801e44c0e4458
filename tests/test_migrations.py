"""The migrations build the schema the models describe, on the database of this run.

Each test works on a fresh, empty database of the run's kind (a SQLite file, or a new
PostgreSQL database on TEST_DATABASE_URL's server), never on the session's shared one.
"""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from conftest import _postgres_database

from app import config as app_config
from app import create_app
from app.extensions import db


@pytest.fixture
def fresh_app(tmp_path):
    """An app bound to a new empty database of the current run's kind."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    drop = None
    if url.startswith("postgresql"):
        url, drop = _postgres_database(url)
    else:
        url = f"sqlite:///{tmp_path / 'migrations.db'}"
    application = create_app(app_config.TestConfig(), {"SQLALCHEMY_DATABASE_URI": url})
    with application.app_context():
        assert _tables() == set(), "the factory must not create tables"
        yield application
        db.session.remove()
        db.engine.dispose()
    if drop:
        drop()


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def _drift(application) -> list:
    """What `flask db migrate` would write: differences between the models and the database."""
    configure_args = application.extensions["migrate"].configure_args
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": configure_args.get("compare_type", True),
            "compare_server_default": False,
        })
        return compare_metadata(context, db.metadata)


def _head(application) -> str:
    config = application.extensions["migrate"].migrate.get_config()
    script = ScriptDirectory.from_config(config)
    heads = script.get_heads()
    assert len(heads) == 1, f"the migrations have several heads (merge them): {heads}"
    return heads[0]


def _current_revision() -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_upgrade_from_empty_database_matches_the_models(fresh_app):
    """`flask db upgrade` on an empty database reaches the single head with no model drift."""
    upgrade()
    assert _current_revision() == _head(fresh_app)
    model_tables = set(db.metadata.tables)
    assert model_tables <= _tables()
    drift = _drift(fresh_app)
    assert drift == [], f"models and migrations differ; run `flask db migrate`: {drift}"


def test_downgrade_to_base_and_upgrade_again(fresh_app):
    """Every migration can be undone, and the schema builds again afterwards."""
    upgrade()
    downgrade(revision="base")
    assert _tables() <= {"alembic_version"}
    assert _current_revision() is None
    upgrade()
    assert _current_revision() == _head(fresh_app)
    assert _drift(fresh_app) == []


def test_migrate_extension_is_bound_to_the_shared_metadata(app):
    """Alembic compares against FAB's Model.metadata, which holds our tables and FAB's."""
    from flask_appbuilder import Model

    assert app.extensions["migrate"].db is db
    assert db.metadata is Model.metadata
    names = set(db.metadata.tables)
    assert "ab_user" in names and "commission" in names


def test_workers_go_without_migrations(tmp_path):
    """gunicorn's workers never migrate (gunicorn.conf.py sets MIGRATIONS_ENABLED=0): the
    app they build has no ``flask db`` extension, so Alembic is not loaded by it."""
    application = create_app(app_config.TestConfig(), {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'worker.db'}",
        "MIGRATIONS_ENABLED": False})
    assert "migrate" not in application.extensions
    with application.app_context():
        db.engine.dispose()
