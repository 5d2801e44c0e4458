"""``flask apply-roster``: carry out the approved roster changes whose day has come (R-2.3).

A thin wrapper over app/domain/roster.apply_due; safe to run often (e.g. daily with the
sweep) and twice at once. Register it with the other commands in app/cli.py.
"""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.domain import roster
from app.clock import office_today
from app.extensions import db


@click.command("apply-roster")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run as of this date (default: today in Beijing time).")
@with_appcontext
def apply_roster_command(today) -> None:
    """Carry out approved roster changes (join, leave, transfer, replacement) now due."""
    day = today.date() if today else office_today()
    result = roster.apply_due(db.session, today=day)
    click.echo(f"{day}: roster changes applied {len(result.applied)}, "
               f"waiting {len(result.blocked)}")
    for change, reason in result.blocked:
        click.echo(f"  #{change.id} {change}: {reason}")
