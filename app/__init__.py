"""The application factory: ``create_app()`` builds a configured Flask-AppBuilder app."""
from __future__ import annotations

from typing import Any, Mapping

from app import lazy_imports, lean_code

# Before Flask-AppBuilder is first imported: under gunicorn, modules load without their
# docstrings (app/lean_code.py); what FAB imports but pages never use loads on first use
# (app/lazy_imports.py).
lean_code.install_if_asked(lean=("app",))
lazy_imports.install()

from flask import Flask
from flask_appbuilder import AppBuilder

from app import instance
from app.audit import init_audit
from app.config import INSTANCE_DIR, Config
from app.extensions import cache, csrf, db
from app.ops.logs import init_logging
from app.public import init_public
from app.views.input_guard import init_input_guard
from app.web_security import init_web_security


def create_app(config: object | None = None, overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from ``config`` (default: :class:`Config`) plus ``overrides``."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_object(config if config is not None else Config())
    if overrides:
        app.config.update(overrides)
    instance.prepare(app.config)  # database file and folders created private (0600/0700)
    init_logging(app)

    register_extensions(app)
    if app.config.get("CLI_COMMANDS_ENABLED", True):
        register_commands(app)
    init_web_security(app)
    init_input_guard(app)
    init_audit(app)
    init_public(app)
    return app


def register_extensions(app: Flask) -> None:
    """Database, migrations, CSRF (before AppBuilder, so actions are covered), then FAB."""
    from app import models  # noqa: F401  (registers every table on the metadata)
    from app.i18n import init_translations
    from app.security import AppSecurityManager
    from app.timefmt import show_time
    from app.views import IndexView, register_views

    db.init_app(app)
    if app.config.get("MIGRATIONS_ENABLED", True):
        init_migrations(app)
    csrf.init_app(app)
    cache.init_app(app)
    appbuilder = AppBuilder(indexview=IndexView, security_manager_class=AppSecurityManager)
    with app.app_context():
        appbuilder.init_app(app, db.session)
        init_translations(app, appbuilder)
        register_views(appbuilder)
    # One way a moment reads, on pages and PDFs alike.
    app.jinja_env.filters["show_time"] = show_time


def register_commands(app: Flask) -> None:
    """The ``flask`` commands of app/cli.py (not in gunicorn's processes, which never run
    them: CLI_COMMANDS_ENABLED)."""
    from app.cli import register

    register(app)


def init_migrations(app: Flask) -> None:
    """Flask-Migrate (``flask db``) over the shared metadata. Not in gunicorn's workers
    (gunicorn.conf.py): they never migrate, and Alembic would add 9 MiB to each."""
    from flask_migrate import Migrate

    from app.models.mixins import render_migration_type

    # render_as_batch: SQLite cannot ALTER most things; batch mode copies the table.
    Migrate(app, db, directory=migrations_dir(), render_as_batch=True, compare_type=True,
            render_item=render_migration_type)


def migrations_dir() -> str:
    """The Alembic history, inside the package (so an installed wheel has it too)."""
    from pathlib import Path

    return str(Path(__file__).resolve().parent / "migrations")
