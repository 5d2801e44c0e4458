"""Production shape: gunicorn.conf.py's settings, read the way gunicorn reads them."""
from __future__ import annotations

import multiprocessing
import os
import runpy
from pathlib import Path

import pytest

from app.config import Config

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


@pytest.fixture
def settings(monkeypatch):
    """gunicorn.conf.py run with a clean environment (put back afterwards)."""
    for name in ("WEB_CONCURRENCY", "GUNICORN_BIND", "GUNICORN_TIMEOUT", "LOG_FORMAT",
                 "LOG_LEVEL", "FAB_UPDATE_PERMS", "MIGRATIONS_ENABLED", "CLI_COMMANDS_ENABLED",
                 "LEAN_CODE"):
        # set, then removed: monkeypatch then removes what gunicorn.conf.py itself sets
        # (FAB_UPDATE_PERMS, MIGRATIONS_ENABLED, CLI_COMMANDS_ENABLED, LEAN_CODE), which later tests'
        # processes would inherit
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)

    def load(**env: str) -> dict:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(CONF))

    return load


def test_defaults(settings):
    """Serves app:create_app(), preloaded (workers share the master's memory and dispose the
    inherited engine after the fork), on loopback, 2 x cores + 1 workers (capped)."""
    conf = settings()
    assert conf["wsgi_app"] == "app:create_app()"
    assert conf["preload_app"] is True and callable(conf["post_fork"])
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["workers"] == min(2 * multiprocessing.cpu_count() + 1,
                                  conf["MAX_DEFAULT_WORKERS"])
    assert conf["timeout"] == 120 and conf["accesslog"] == "-" and conf["errorlog"] == "-"
    assert "{x-request-id}o" in conf["access_log_format"]
    assert "logconfig_dict" not in conf  # plain text unless LOG_FORMAT=json


def test_environment_overrides(settings):
    """WEB_CONCURRENCY, GUNICORN_BIND (several), GUNICORN_TIMEOUT, LOG_FORMAT=json."""
    conf = settings(WEB_CONCURRENCY="3", GUNICORN_BIND="127.0.0.1:9001, unix:/run/x.sock",
                    GUNICORN_TIMEOUT="30", LOG_FORMAT="json")
    assert conf["workers"] == 3
    assert conf["bind"] == ["127.0.0.1:9001", "unix:/run/x.sock"]
    assert conf["timeout"] == 30
    handlers = conf["logconfig_dict"]["handlers"]
    assert handlers["json"]["()"] == "app.ops.logs.make_handler"
    assert conf["logconfig_dict"]["loggers"]["gunicorn.access"]["propagate"] is False


def test_workers_never_sync_permissions(settings):
    """Permissions are synced at deploy (flask sync-perms): off by default in Config, and
    forced off for the workers even when the environment asks for it."""
    assert Config.FAB_UPDATE_PERMS is False
    settings(FAB_UPDATE_PERMS="1")
    assert os.environ["FAB_UPDATE_PERMS"] == "0"


def test_workers_go_without_migrations(settings):
    """Workers never migrate: gunicorn.conf.py turns Flask-Migrate off for the app they
    build (MIGRATIONS_ENABLED), and the environment is put back after the test."""
    settings()
    assert os.environ["MIGRATIONS_ENABLED"] == "0"
    assert os.environ["FAB_UPDATE_PERMS"] == "0"


def test_workers_go_without_the_flask_commands(settings):
    """Neither gunicorn's master nor its workers run `flask` commands: the app they build
    leaves app/cli.py unimported (CLI_COMMANDS_ENABLED); `flask` itself still has them."""
    from app import create_app
    from app.config import TestConfig

    settings()
    assert os.environ["CLI_COMMANDS_ENABLED"] == "0"
    served = create_app(TestConfig(), {"CLI_COMMANDS_ENABLED": False})
    assert "seed" not in served.cli.commands
    assert "seed" in create_app(TestConfig()).cli.commands


def test_workers_load_modules_lean_unless_told_not_to(settings):
    """gunicorn's processes load modules without their docstrings (app/lean_code.py,
    tests/test_lean_code.py), unless the environment says LEAN_CODE=0."""
    settings()
    assert os.environ["LEAN_CODE"] == "1"
    settings(LEAN_CODE="0")
    assert os.environ["LEAN_CODE"] == "0"
