"""R-5.6: plan against actual — every item's real dates against the confirmed plan, the slip
in working days computed once (app/domain/slips.py) and shown on the case page (a Gantt
chart with the bundled ECharts, and a table), on 督办 and on the 审批进度计划表."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from app import clock as app_clock
from app.choices import Stage
from app.documents import archive
from app.domain import approvals, planning, slips
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.models import Commission, DocumentKind
from tests import factories as f
from tests.pdf_helpers import assert_in_order, pdf_text

D = dt.date.fromisoformat
CAL = WorkCalendar()
TODAY = D("2025-11-10")


def test_slip_rule_in_working_days():
    """R-5.6: decided — decision against planned completion (negative when early); open and
    past its planned completion — the working days since; submitted — the submission's slip;
    not submitted, past planned submission — the working days since; else 0."""
    submit, done = D("2025-10-13"), D("2025-10-17")          # Monday, Friday
    rule = dict(today=D("2025-10-15"), cal=CAL)
    assert slips.slip_days(submit, done, submit, D("2025-10-21"), **rule) == 2
    assert slips.slip_days(submit, done, submit, D("2025-10-16"), **rule) == -1
    assert slips.slip_days(submit, done, D("2025-10-14"), None, **rule) == 1
    assert slips.slip_days(submit, done, None, None, **rule) == 2
    assert slips.slip_days(submit, done, None, None, today=D("2025-10-13"), cal=CAL) == 0
    assert slips.slip_days(submit, done, submit, None, today=D("2025-10-22"), cal=CAL) == 3


def _case():
    """f.opened(): plan v1 confirmed 2025-10-10 for two items; the first decided two
    working days after its planned completion, the second still open; a third item added
    after the plan was confirmed."""
    commission = f.opened()
    plan = planning.confirmed_plan(commission)
    first, second = (step.commission_item for step in plan.steps)
    approvals.submit(db.session, first, on=plan.steps[0].planned_submit_on)
    approvals.accept(db.session, first, on=plan.steps[0].planned_submit_on, cal=CAL)
    approvals.approve(db.session, first, on=CAL.add(plan.steps[0].planned_done_on, 2))
    approvals.submit(db.session, second, on=CAL.add(plan.steps[1].planned_submit_on, 1))
    f.add_item(commission, f.approval_item(Stage.s3, 3, name="雷电防护装置设计审核"))
    return commission, plan


def test_plan_slips_hold_actual_dates_against_the_confirmed_plan(ctx):
    """R-5.6: one line per planned item with its actual dates and slip; an item the plan
    does not hold has no slip; a newer unconfirmed draft does not move the yardstick."""
    commission, plan = _case()
    planning.draft_plan(db.session, commission, start=D("2025-11-03"), drafted_on=TODAY, cal=CAL)
    rows = slips.plan_slips(db.session, commission, today=TODAY, cal=CAL)
    assert [r.planned_done_on for r in rows[:2]] == [s.planned_done_on for s in plan.steps]
    assert rows[0].days == 2 and rows[0].late and rows[0].decided_on is not None
    assert rows[1].days == CAL.between(plan.steps[1].planned_done_on, TODAY) > 0
    assert rows[2].approval_item.name == "雷电防护装置设计审核" and rows[2].days is None


def test_case_page_shows_the_gantt_chart_and_its_table(app, client, clock):
    """R-5.6: the case page draws planned beside actual with the bundled ECharts (no CDN)
    and gives the same figures as a table."""
    clock.now = dt.datetime(2025, 11, 10, 2, 0, tzinfo=dt.timezone.utc)
    with app.app_context():
        commission, plan = _case()
        db.session.commit()
        pk = commission.id
    html = client.get(f"/commissionview/show/{pk}").get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert "/static/vendor/echarts/echarts.min.js" in scripts and "/static/js/gantt.js" in scripts
    assert not [s for s in scripts if s.startswith(("http:", "https:", "//"))]
    data = json.loads(re.search(r'id="xb-gantt-data">(.*?)</script>', html, re.S).group(1))
    assert data["slips"][0] == 2 and data["slips"][1] > 0 and data["slips"][2] is None
    assert data["planned"][0][0] == 0 and data["actual"][0] is not None
    assert "plan-slips-table" in html and ("计划与实际" in html or "Plan against actual" in html)


def test_supervision_lists_items_behind_their_confirmed_plan(app, client, clock):
    """R-5.6: 督办 lists the undecided items of open commissions behind their confirmed
    plan, with the working days behind (an item decided late is history: the case page and
    the plan's paper show it)."""
    clock.now = dt.datetime(2025, 11, 10, 2, 0, tzinfo=dt.timezone.utc)
    with app.app_context():
        commission, plan = _case()
        db.session.commit()
        rows, total = slips.slipping_items(db.session, today=TODAY, cal=CAL)
        assert total == 1
        assert [(r.item.id, r.slip.days) for r in rows] == [
            (plan.steps[1].commission_item_id,
             CAL.between(plan.steps[1].planned_done_on, TODAY))]
        late_item, decided_item = (plan.steps[1].commission_item_id,
                                   plan.steps[0].commission_item_id)
    html = client.get("/overdue/").get_data(as_text=True)
    section = html[html.index("plan-slips"):]
    assert f"/commissionitemview/show/{late_item}" in section
    assert f"/commissionitemview/show/{decided_item}" not in section


def test_closed_commissions_and_items_on_plan_are_not_on_supervision(ctx):
    """R-5.6: an item on plan is not listed; nothing is listed before a plan is confirmed."""
    f.opened()
    db.session.flush()
    rows, total = slips.slipping_items(db.session, today=D("2025-10-10"), cal=CAL)
    assert rows == [] and total == 0


@pytest.fixture
def documents_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENTS_DIR", str(tmp_path / "documents"))


def test_plan_pdf_prints_actual_completion_and_slip(ctx, clock, documents_dir):
    """R-5.6: the 审批进度计划表 of a confirmed plan prints each item's actual completion and
    its slip in working days, as of the day it is printed."""
    clock.now = dt.datetime(2025, 11, 10, 2, 0, tzinfo=dt.timezone.utc)
    commission, plan = _case()
    document, _created = archive.issue(db.session, DocumentKind.approval_plan,
                                       db.session.get(Commission, commission.id), plan)
    db.session.commit()
    text = pdf_text(archive.file_of(document).read_bytes())
    first = plan.steps[0]
    assert_in_order(text, ["实际办结日期", "偏差（工作日）", first.approval_item.name,
                           first.planned_done_on.isoformat(),
                           first.commission_item.decided_on.isoformat(), "+2",
                           "偏差：截至2025年11月10日"])
    assert app_clock.office_today() == TODAY


def test_items_hold_the_newest_confirmed_plan_dates(ctx):
    """R-5.6: confirming a plan writes its dates onto the items (督办's yardstick); a newer
    draft changes nothing until it is confirmed; a re-application keeps the item's line."""
    commission, plan = _case()
    second = plan.steps[1].commission_item
    assert (second.planned_submit_on, second.planned_done_on) == (
        plan.steps[1].planned_submit_on, plan.steps[1].planned_done_on)
    again = planning.draft_plan(db.session, commission, start=D("2025-11-03"),
                                drafted_on=TODAY, cal=CAL)
    assert second.planned_done_on == plan.steps[1].planned_done_on
    planning.confirm_plan(db.session, commission, again, confirmed_by="陈经办",
                          confirmed_on=TODAY)
    line = next(s for s in again.steps if s.approval_item_id == second.approval_item_id)
    assert second.planned_done_on == line.planned_done_on != plan.steps[1].planned_done_on
    approvals.accept(db.session, second, on=TODAY, cal=CAL)
    approvals.refuse(db.session, second, on=TODAY, reason="材料不符合要求")
    approvals.record_unit_informed(second, on=TODAY)
    retry = approvals.reapply(db.session, second)
    assert (retry.planned_submit_on, retry.planned_done_on) == (
        second.planned_submit_on, second.planned_done_on)
