"""Starting in seconds (issue 14, item 9): ``flask bootstrap``, ``flask jobs`` and
``flask serve``, the command ``make run`` runs.

- ``bootstrap``: the steps before serving, in one process: migrate, sync roles and
  permissions only when the database differs from what the screens and app/roles.py
  declare (``roles.permissions_in_sync``: a warm start skips the sync), load the reference
  data and, into an empty database, the demo district, create the admin account (its login
  printed), apply the roster changes that are due.
- ``jobs``: the scheduled work of production's timers (deploy/systemd) in one loop: the
  message dispatcher every 30 s (on the log channel unless a gateway is configured) and the
  deadline sweep with the roster changes every minute, so that a demo sends its messages
  and turns deadlines red as production does.
- ``serve``: ``bootstrap``, then the jobs in a background thread of the same process, then
  the development server; the jobs stop with the server. One process: the app is built
  once (about 3 s of a warm start of 5–6 s on the 2-core build machine), not three times.
"""
from __future__ import annotations

import logging
import threading
import time

import click
from flask import Flask, current_app
from flask.cli import ScriptInfo, with_appcontext

from app.cli import ensure_admin, sync_permissions
from app.clock import office_today, utc_now
from app.domain import roster
from app.domain.sweep import sweep
from app.domain.workdays import load_calendar
from app.extensions import db
from app.notify.channels import channels_from_config
from app.notify.dispatch import dispatch_pending
from app.roles import permissions_in_sync
from app.roster_cli import apply_roster_command
from app.seed import seed_command

log = logging.getLogger(__name__)


def run_bootstrap(demo: bool = True) -> None:
    """The steps before serving (in an app context), each printing what it did."""
    from flask_migrate import upgrade

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    upgrade()
    # Alembic's env.py configures logging from alembic.ini (root at WARN, a second handler
    # in its own format): the app's logging comes back for the jobs' and the server's lines.
    root.handlers[:] = handlers
    root.setLevel(level)
    db.session.remove()
    if permissions_in_sync(current_app.appbuilder):
        click.echo("权限与角色无变化 / roles and permissions unchanged")
    else:
        sync_permissions()
    ctx = click.get_current_context()
    ctx.invoke(seed_command, demo=demo, if_empty=True)
    ctx.invoke(ensure_admin)
    ctx.invoke(apply_roster_command)


def jobs_round(app: Flask, *, dispatch: bool, sweep_due: bool) -> None:
    """One round of the scheduled work: send due messages, and/or sweep the deadlines and
    apply the due roster changes. Errors are logged, never raised (the loop goes on)."""
    with app.app_context():
        try:
            if dispatch:
                config = app.config
                result = dispatch_pending(
                    db.session, channels_from_config(config), now=utc_now(),
                    batch=int(config.get("NOTIFY_BATCH", 100)),
                    max_attempts=int(config.get("NOTIFY_MAX_ATTEMPTS", 8)))
                if result.sent or result.failed:
                    log.info("messages sent %s, failed %s", result.sent, result.failed)
            if sweep_due:
                day = office_today()
                swept = sweep(db.session, today=day, cal=load_calendar(db.session))
                applied = roster.apply_due(db.session, today=day).applied
                if swept.items_marked or swept.contacts_marked or swept.terminated or applied:
                    log.info("sweep %s: items overdue %s, contacts overdue %s, terminated %s, "
                             "roster changes applied %s", day, swept.items_marked,
                             swept.contacts_marked, swept.terminated, len(applied))
        except Exception:  # a lost connection must not end the loop; the next round retries
            log.exception("scheduled round failed")
            db.session.rollback()
        finally:
            db.session.remove()


def run_jobs(app: Flask, *, sweep_every: float = 60, dispatch_every: float = 30,
             rounds: int | None = None, stop: threading.Event | None = None) -> None:
    """Rounds of ``jobs_round`` on their intervals until ``stop`` is set (or ``rounds``
    sweeps have run)."""
    stop = stop or threading.Event()
    next_sweep = next_dispatch = time.monotonic()
    swept = 0
    while not stop.is_set() and (rounds is None or swept < rounds):
        now = time.monotonic()
        dispatch, sweep_due = now >= next_dispatch, now >= next_sweep
        if dispatch:
            next_dispatch = now + dispatch_every
        if sweep_due:
            next_sweep = now + sweep_every
            swept += 1
        jobs_round(app, dispatch=dispatch, sweep_due=sweep_due)
        if rounds is None or swept < rounds:
            stop.wait(max(0.0, min(next_sweep, next_dispatch) - time.monotonic()))


_demo = click.option("--demo/--no-demo", default=True, show_default=True,
                     help="Load the demo district into an empty database.")
_sweep_every = click.option("--sweep-every", type=click.FloatRange(min=1), default=60.0,
                            show_default=True, metavar="SECONDS",
                            help="Sweep the deadlines and apply roster changes this often.")
_dispatch_every = click.option("--dispatch-every", type=click.FloatRange(min=1), default=30.0,
                               show_default=True, metavar="SECONDS",
                               help="Send due messages this often.")


@click.command("bootstrap")
@_demo
@with_appcontext
def bootstrap_command(demo: bool) -> None:
    """Migrate, sync permissions if they changed, seed an empty database, ensure the admin
    (login printed), apply due roster changes: all `make run` needs before serving."""
    run_bootstrap(demo)


@click.command("jobs")
@_sweep_every
@_dispatch_every
@click.option("--rounds", type=click.IntRange(min=1), default=None,
              help="Stop after this many sweeps (default: run until stopped).")
@with_appcontext
def jobs_command(sweep_every: float, dispatch_every: float, rounds: int | None) -> None:
    """The dispatcher and the deadline sweep in one loop (production uses timers)."""
    run_jobs(current_app._get_current_object(), sweep_every=sweep_every,
             dispatch_every=dispatch_every, rounds=rounds)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=5000, show_default=True)
@_demo
@_sweep_every
@_dispatch_every
@click.pass_context
def serve_command(ctx: click.Context, host: str, port: int, demo: bool, sweep_every: float,
                  dispatch_every: float) -> None:
    """`make run`: bootstrap, then the jobs in the background, then the development server
    on HOST:PORT; Ctrl-C stops both."""
    from werkzeug.serving import run_simple

    from app.ops.preload import preload

    app = ctx.ensure_object(ScriptInfo).load_app()
    with app.app_context():
        run_bootstrap(demo)
        preload()  # as gunicorn's master does: no full collection walks the dictionaries
    stop = threading.Event()
    worker = threading.Thread(target=run_jobs, name="xb-jobs", daemon=True, kwargs={
        "app": app, "sweep_every": sweep_every, "dispatch_every": dispatch_every,
        "stop": stop})
    worker.start()
    click.echo(f"定时任务已启动 / jobs running: sweep every {sweep_every:g} s, "
               f"dispatch every {dispatch_every:g} s")
    try:
        run_simple(host, port, app, threaded=True)
    finally:
        stop.set()
        worker.join(timeout=10)


COMMANDS = (bootstrap_command, jobs_command, serve_command)
