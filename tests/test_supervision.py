"""R-13.1: deadline lights and the overdue (督办) screen."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app.domain.deadlines import light
from app.domain.overdue import late_items
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.models import CommissionItem, Department
from app.states import DeadlineLight, ItemState
from tests import factories as f

D = dt.date.fromisoformat
CAL = WorkCalendar()


def test_lights_green_yellow_red():
    """R-13.1: red past due; yellow within N working days (counted on the calendar); green."""
    today = D("2025-09-30")  # before National Day
    assert light(D("2025-09-29"), today, CAL, 2) == DeadlineLight.red
    assert light(D("2025-09-30"), today, CAL, 2) == DeadlineLight.yellow
    # 10-09 is only one working day after 09-30 (the holiday week does not count)
    assert light(D("2025-10-09"), today, CAL, 2) == DeadlineLight.yellow
    assert light(D("2025-10-11"), today, CAL, 2) == DeadlineLight.green
    assert light(None, today, CAL, 2) is None


def _items_due(app, dues: list[tuple[str, str]]) -> None:
    """Items of one coordinator's commissions at work, accepted on 2025-01-02 by their
    departments, each due on the given date (its catalogue entry promises those working
    days), in the named department."""
    accepted = D("2025-01-02")
    with app.app_context():
        coordinator = f.staff()
        for dept_name, due in dues:
            dept = db.session.scalar(sa.select(Department).filter_by(name=dept_name))
            dept = dept or f.department(dept_name)
            commission = f.case(coordinator=coordinator, on=accepted,
                                items=[f.due_item(accepted, D(due), dept=dept)])
            f.advance_item(commission.items[0], ItemState.accepted, on=accepted)
        db.session.commit()


def test_late_items_sorted_by_days_or_department(app, ctx):
    """R-13.1: overdue items, most overdue first or by department; due soon on request."""
    _items_due(app, [("乙局", "2025-10-20"), ("甲局", "2025-10-10"), ("甲局", "2025-10-29")])
    today = D("2025-10-28")
    rows, total = late_items(db.session, today=today, cal=CAL)
    assert total == 2
    assert [r.item.due_on for r in rows] == [D("2025-10-10"), D("2025-10-20")]
    assert [r.working_days_late for r in rows] == [13, 6]  # 11 Oct 2025 was worked
    second, total = late_items(db.session, today=today, cal=CAL, page=2, per_page=1)
    assert total == 2 and [r.item.due_on for r in second] == [D("2025-10-20")]
    # a page past the last has no rows but still the count of all
    assert late_items(db.session, today=today, cal=CAL, page=3, per_page=1) == ([], 2)
    assert late_items(db.session, today=D("2025-10-01"), cal=CAL) == ([], 0)
    by_dept, _ = late_items(db.session, today=today, cal=CAL, sort="department")
    assert [r.item.department.name for r in by_dept] == sorted(r.item.department.name for r in rows)
    soon, total_soon = late_items(db.session, today=today, cal=CAL, until=CAL.add(today, 2))
    assert total_soon == 3
    one_dept = rows[0].item.department.id
    only, count_only = late_items(db.session, today=today, cal=CAL, department_id=one_dept)
    assert count_only == 1 and only[0].item.department.id == one_dept


def test_overdue_screen_renders_lights_and_filters(app, client):
    """R-13.1: the 督办 screen shows red lights, sorts, filters, and stays at fixed queries."""
    _items_due(app, [("乙局", "2025-10-20"), ("甲局", "2025-10-10")])
    html = client.get("/overdue/").get_data(as_text=True)
    assert html.count("label-danger") >= 2
    assert "督办" in html
    html = client.get("/overdue/?sort=department&show=soon").get_data(as_text=True)
    assert "overdue-items" in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CommissionItem)) == 2


def test_overdue_screen_query_count_does_not_grow(app, client, count_queries):
    """The overdue screen costs the same number of statements for 2 or 12 late items."""
    _items_due(app, [("甲局", "2025-10-10")] * 2)
    client.get("/overdue/")
    with count_queries() as few:
        client.get("/overdue/")
    _items_due(app, [("乙局", "2025-10-11")] * 10)
    with count_queries() as many:
        client.get("/overdue/")
    assert len(many) == len(few)
    # issue 16: the rows show a commission by number and coordinator by name; the towns of
    # projects and the specialists of items are not loaded with them
    assert not [s for s in many if "FROM town" in s or "FROM staff_member" in s
                and "specialist" in s], many
