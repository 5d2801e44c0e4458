"""``flask`` commands: thin wrappers over the domain (layer 4)."""
from __future__ import annotations

import logging
import os
import secrets
import string

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_appbuilder.security.manager import BaseSecurityManager

from app.clock import office_today
from app.domain.sweep import recompute_deadlines, sweep
from app.domain.workdays import PACKAGE_YEARS, import_year, load_calendar
from app.extensions import db
from app.imports.cli import import_command
from app.notify.commands import dispatch_command
from app.ops.commands import COMMANDS as OPS_COMMANDS
from app.roles import sync_roles
from app.roster_cli import apply_roster_command
from app.seed import seed_command

log = logging.getLogger(__name__)


def _strong_password(length: int = 16) -> str:
    alphabet = string.ascii_letters + string.digits
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(length - 2)) + "#" + secrets.choice(
            string.digits
        )
        if any(c.islower() for c in pw) and any(c.isupper() for c in pw):
            return pw


def sync_permissions() -> None:
    """FAB's built-in roles, every view's permissions, and our roles as app/roles.py
    declares them; prints the count per role."""
    appbuilder = current_app.appbuilder
    sm = appbuilder.sm
    # FAB_CREATE_DB is off (Alembic owns the tables), so run only the role-creating part
    # of FAB's create_db (the base class's), never the create_all of the SQLA subclass.
    BaseSecurityManager.create_db(sm)
    appbuilder.add_permissions(update_perms=True)
    counts = sync_roles(appbuilder)
    click.echo("permissions synced; roles: " + ", ".join(
        f"{name} ({count})" for name, count in counts.items()))


@click.command("sync-perms")
@with_appcontext
def sync_perms() -> None:
    """Create FAB's built-in roles, every view's permissions and our roles (once per deploy).

    Idempotent: each business role of app/roles.py ends up holding exactly its declared
    permissions.
    """
    sync_permissions()


@click.command("ensure-admin")
@with_appcontext
def ensure_admin() -> None:
    """Create the admin account if none exists and print its login.

    ADMIN_USERNAME / ADMIN_PASSWORD set it; otherwise a strong password is generated.
    """
    sm = current_app.appbuilder.sm
    username = os.environ.get("ADMIN_USERNAME", "admin")
    if sm.find_user(username=username):
        click.echo(f"管理员账号已存在 / admin account exists: {username}")
        return
    # the operator's ADMIN_PASSWORD must meet the password rules (a ClickException:
    # exit status 1, nothing created) and counts as chosen; a generated one must be changed
    # at the first login.
    chosen = bool(os.environ.get("ADMIN_PASSWORD"))
    password = os.environ.get("ADMIN_PASSWORD") or _strong_password()
    sm.check_new_password(password, username)
    role = sm.find_role(sm.auth_role_admin)
    user = sm.add_user(username, "系统", "管理员", f"{username}@example.invalid", role,
                       password=password, password_chosen=chosen)
    if not user:
        raise click.ClickException("could not create the admin user")
    click.echo("=" * 60)
    click.echo(f"管理员账号 admin login:  {username}")
    click.echo(f"管理员密码 admin password: {password}")
    if not chosen:
        click.echo("首次登录须修改此密码 / change this password at the first login")
    click.echo("=" * 60)


@click.command("sweep")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run as of this date (default: today in Beijing time).")
@with_appcontext
def sweep_command(today) -> None:
    """Mark overdue deadlines and apply due automatic terminations (safe to run often)."""
    day = today.date() if today else office_today()
    result = sweep(db.session, today=day, cal=load_calendar(db.session))
    click.echo(f"{day}: items marked overdue {result.items_marked}, contacts marked overdue "
               f"{result.contacts_marked}, terminations applied {result.terminated}")


@click.command("import-calendar")
@click.argument("year", type=int)
@with_appcontext
def import_calendar(year: int) -> None:
    """Copy a year's holidays and working weekends from chinesecalendar into the overrides."""
    if year not in PACKAGE_YEARS:
        raise click.ClickException(
            f"chinesecalendar has no data for {year} (it knows {PACKAGE_YEARS.start}–"
            f"{PACKAGE_YEARS.stop - 1}); enter that year's days on the calendar screen.")
    added = import_year(db.session, year)
    changed = recompute_deadlines(db.session, today=office_today(), cal=load_calendar(db.session))
    db.session.commit()
    click.echo(f"{year}: {added} calendar days added, {changed} open deadlines recomputed")


def register(app: Flask) -> None:
    """Attach every command to ``app``."""
    from app.bootstrap import COMMANDS as START_COMMANDS  # they use the commands above

    for command in (sync_perms, ensure_admin, seed_command, sweep_command, import_calendar,
                    dispatch_command, apply_roster_command, import_command, *OPS_COMMANDS,
                    *START_COMMANDS):
        app.cli.add_command(command)
