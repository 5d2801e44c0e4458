"""The benchmark's databases: a SQLite file and a PostgreSQL database, migrated and filled.

A database is prepared once per scale and reused by later runs (``prepare`` checks the
commission count it finds); ``--fresh`` on the command line rebuilds it. The admin account
the benchmark signs in with is created here, with a chosen password (no forced change).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
WORKDIR = Path(os.environ.get("BENCH_DIR", ROOT / "instance" / "bench"))
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
ADMIN, PASSWORD = "bench_admin", "Bench#Pass2026"


def urls(kinds: list[str], scale: int) -> dict[str, str]:
    """kind → database URL of the benchmark database at ``scale`` commissions."""
    found = {}
    for kind in kinds:
        if kind == "sqlite":
            found[kind] = f"sqlite:///{WORKDIR / f'city-{scale}.db'}"
        else:
            found[kind] = f"{POSTGRES_SERVER}/xb_bench_{scale}"
    return found


def make_app(url: str, **overrides: Any):
    """The real app on ``url`` (production config), quiet logs, files under WORKDIR."""
    from app import create_app
    from app.config import Config

    settings = {"SQLALCHEMY_DATABASE_URI": url, "LOG_LEVEL": "WARNING",
                "DOCUMENTS_DIR": str(WORKDIR / "documents"),
                "MATERIALS_DIR": str(WORKDIR / "materials"), "RATELIMIT_ENABLED": False}
    settings.update(overrides)
    return create_app(Config(), settings)


def serving_app(url: str, **overrides: Any):
    """The app as a gunicorn worker serves it: built, then what the master loads before it
    forks (the pinyin table) loaded and the collector's view of it all frozen
    (app/ops/preload.py). Without that freeze, a full collection in the middle of a timed
    request walks every object the app built (about 250,000)."""
    from app.ops.preload import preload

    app = make_app(url, **overrides)
    with app.app_context():
        preload()
    return app


def _reset(url: str) -> None:
    """Drop and create the database of ``url`` (a file for SQLite)."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        return
    server = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE datname = :n"), {"n": parsed.database})
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{parsed.database}"'))
            conn.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        server.dispose()


def reachable(url: str) -> str | None:
    """None when the server of ``url`` answers, else the reason."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return None
    engine = sa.create_engine(parsed.set(database="postgres"))
    try:
        with engine.connect():
            return None
    except sa.exc.OperationalError as exc:
        return str(exc).splitlines()[0]
    finally:
        engine.dispose()


def commission_count(url: str) -> int | None:
    """Commissions in the database of ``url``; None when it is missing or not migrated."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database).exists():
        return None
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM commission")).scalar()
    except sa.exc.SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def prepare(url: str, scale: int, *, fresh: bool, progress: Callable[..., None]) -> None:
    """Make the database of ``url`` hold the demo district plus ``scale`` city commissions."""
    from bench.dataset import seed_city

    existing = None if fresh else commission_count(url)
    # scale city commissions plus the demo district's few dozen: built before, reuse it
    if existing is not None and scale <= existing <= scale + 1000:
        progress(f"  reusing {url} ({existing} commissions), migrated to the head")
        app = make_app(url)
        with app.app_context():
            from flask_migrate import upgrade

            from app.extensions import db

            upgrade(revision="heads")
            db.engine.dispose()
        return
    progress(f"  building {url} ...")
    _reset(url)
    app = make_app(url)
    with app.app_context():
        from flask_migrate import upgrade

        from app.extensions import db
        from app.seed import seed_demo

        upgrade(revision="heads")
        result = app.test_cli_runner().invoke(args=["sync-perms"])
        if result.exit_code != 0:
            raise RuntimeError(result.output)
        seed_demo(db.session)
        db.session.commit()
        counts = seed_city(db.engine, commissions=scale, items_per_commission=4,
                           logs_per_commission=10, units=max(scale // 5, 50),
                           progress=progress)
        progress("  rows added: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        ensure_admin(app)
        db.session.remove()
        db.engine.dispose()


def ensure_admin(app) -> int:
    """The benchmark's admin account (created once); its user id."""
    sm = app.appbuilder.sm
    user = sm.find_user(username=ADMIN)
    if user is None:
        user = sm.add_user(ADMIN, "基准", "管理员", "bench@example.invalid",
                           sm.find_role(sm.auth_role_admin), password=PASSWORD,
                           password_chosen=True)
    return user.id
