"""R-2.5: a roster change is filed ahead of the day it takes effect (提前报备, a configurable
number of working days, default 1), and applying due changes runs with the sweep."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.config import Config
from app.domain import roster
from app.domain.errors import DomainError
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.models import RosterChange
from tests import factories as f
from tests.conftest import form_errors

D = dt.date.fromisoformat
ROOT = Path(__file__).resolve().parent.parent


def test_default_notice_is_one_working_day():
    """R-2.5: the setting defaults to 1 working day."""
    assert Config.ROSTER_NOTICE_WORKING_DAYS == 1


def test_filing_must_be_working_days_ahead():
    """R-2.5: filed Friday 2025-09-26 → effective the make-up Sunday 09-28 is 1 working day
    ahead; the same day or the next calendar day off is refused in Chinese; 2 days ahead is
    counted over the National Day holidays."""
    cal = WorkCalendar()
    roster.check_filing(filed_on=D("2025-09-26"), effective_on=D("2025-09-28"), cal=cal,
                        notice_days=1)
    with pytest.raises(DomainError, match="须提前1个工作日.*最早于2025-09-28生效"):
        roster.check_filing(filed_on=D("2025-09-26"), effective_on=D("2025-09-27"), cal=cal,
                            notice_days=1)
    with pytest.raises(DomainError, match="提前报备"):
        roster.check_filing(filed_on=D("2025-09-30"), effective_on=D("2025-09-30"), cal=cal,
                            notice_days=1)
    with pytest.raises(DomainError, match="最早于2025-10-10生效"):
        roster.check_filing(filed_on=D("2025-09-30"), effective_on=D("2025-10-09"), cal=cal,
                            notice_days=2)
    roster.check_filing(filed_on=D("2025-09-30"), effective_on=D("2025-09-30"), cal=cal,
                        notice_days=0)


def test_roster_form_refuses_a_change_filed_too_late(app, client, ctx):
    """R-2.5: the filing form refuses a change taking effect the day it is filed (Chinese
    reason on the effective date), and takes one filed a working day ahead; the configured
    number of days is what counts."""
    staff = f.staff(name="吴协办")
    db.session.commit()
    data = {"staff": str(staff.id), "kind": "join", "filed_on": "2026-03-06",
            "effective_on": "2026-03-06", "reason": "新任协办员"}
    response = client.post("/rosterchangeview/add", data=data)
    assert "须提前1个工作日" in " ".join(form_errors(response.get_data(as_text=True)))
    response = client.post("/rosterchangeview/add", data={**data, "effective_on": "2026-03-08"})
    assert "最早于2026-03-09生效" in " ".join(form_errors(response.get_data(as_text=True)))
    app.config["ROSTER_NOTICE_WORKING_DAYS"] = 3
    try:
        response = client.post("/rosterchangeview/add",
                               data={**data, "effective_on": "2026-03-10"})
        assert "须提前3个工作日" in " ".join(form_errors(response.get_data(as_text=True)))
    finally:
        app.config["ROSTER_NOTICE_WORKING_DAYS"] = 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RosterChange)) == 0
    response = client.post("/rosterchangeview/add", data={**data, "effective_on": "2026-03-09"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))


def test_apply_roster_runs_with_the_sweep_and_at_make_run():
    """R-2.5: `flask apply-roster` is in the systemd sweep unit (run by its timer), in the
    cron example next to the sweep, and in `make run` (`flask serve`: at start-up, and with
    the sweep of its background jobs, app/bootstrap.py)."""
    unit = (ROOT / "deploy/systemd/xieban-sweep.service").read_text(encoding="utf-8")
    assert "ExecStart=/opt/xieban/.venv/bin/flask --app app apply-roster" in unit
    cron = [line for line in (ROOT / "deploy/crontab.example").read_text().splitlines()
            if line and not line.startswith("#")]
    assert any(line.startswith("*/5") and "xieban-run apply-roster" in line for line in cron)
    run = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "$(FLASK) serve" in run
    start = (ROOT / "app/bootstrap.py").read_text(encoding="utf-8")
    assert "ctx.invoke(apply_roster_command)" in start  # run_bootstrap, before serving
    assert "roster.apply_due(" in start  # jobs_round, with the sweep
