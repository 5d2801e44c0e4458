"""The cron-facing commands: sweep and import-calendar (R-12.1, R-13.1, R-10.4)."""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import CalendarDay


def test_import_calendar_command_adds_a_year_once(app):
    """R-12.1: a year the package knows is copied into the overrides, once."""
    runner = app.test_cli_runner()
    first = runner.invoke(args=["import-calendar", "2026"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["import-calendar", "2026"])
    assert "0 calendar days added" in second.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarDay)) > 10


def test_import_calendar_refuses_a_year_without_data(app):
    """R-12.1: a year outside chinesecalendar says to enter it by hand."""
    result = app.test_cli_runner().invoke(args=["import-calendar", "2030"])
    assert result.exit_code != 0
    assert "2030" in result.output


def test_sweep_command_runs_twice_without_changing_more(app):
    """R-13.1: the sweep is idempotent; it reports what it did."""
    runner = app.test_cli_runner()
    first = runner.invoke(args=["sweep", "--today", "2026-11-27"])
    assert first.exit_code == 0, first.output
    assert "terminations applied 0" in first.output
    second = runner.invoke(args=["sweep", "--today", "2026-11-27"])
    assert second.exit_code == 0
