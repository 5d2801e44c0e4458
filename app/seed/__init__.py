"""``flask seed``: the reference data, and with ``--demo`` a realistic demo district.

The loaders take the session (and the anchor date) as arguments so that tests and other
commands call them directly; the command only commits and reports.
"""
from __future__ import annotations

import datetime as dt

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db
from app.models import Commission
from app.seed.accounts import announce_demo_accounts
from app.seed.demo import DEMO_ANCHOR, demo_present, seed_demo
from app.seed.reference import seed_reference

__all__ = ["DEMO_ANCHOR", "demo_present", "seed_command", "seed_demo", "seed_reference"]


@click.command("seed")
@click.option("--demo", is_flag=True, help="Also load the demo district (idempotent).")
@click.option("--if-empty", is_flag=True,
              help="Do nothing, silently, when any commission exists (used by `make run`).")
@click.option("--anchor", type=click.DateTime(formats=["%Y-%m-%d"]),
              default=DEMO_ANCHOR.isoformat(), show_default=True,
              help="The demo's 'today': every demo date is relative to it.")
@with_appcontext
def seed_command(demo: bool, if_empty: bool, anchor: dt.datetime) -> None:
    """Load the reference data (towns, departments, catalogue); --demo adds a demo district."""
    session = db.session
    if if_empty and session.scalar(sa.select(sa.func.count(Commission.id))):
        return
    summary = seed_reference(session)
    click.echo(f"基础数据已就绪 / reference data ready "
               f"({summary.towns} towns, {summary.departments} departments, "
               f"{summary.items} catalogue items added)")
    if demo:
        config = current_app.config
        created = seed_demo(
            session, anchor.date(),
            confirm_days=config.get("TERMINATION_CONFIRM_DAYS", 5),
            number_format=config.get("APPLICATION_NO_FORMAT", "JCXB-{year}-{seq:04d}"),
        )
        click.echo("演示数据已生成 / demo district created" if created
                   else "演示数据已存在，未做更改 / demo data already present, nothing changed")
        announce_demo_accounts(session)  # one login per role (app/seed/accounts.py)
    session.commit()
