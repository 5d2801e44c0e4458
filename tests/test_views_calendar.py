"""工作日历 screens: holiday and adjusted-working-day overrides (R-12.1)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from conftest import form_errors

from app.choices import CalendarDayKind
from app.extensions import db
from app.models import CalendarDay


def _rows() -> list[CalendarDay]:
    return db.session.scalars(sa.select(CalendarDay).order_by(CalendarDay.day)).all()


def test_calendar_day_round_trip(client, ctx):
    """R-12.1: supervisors enter a year the calendar package does not know: a holiday and
    a worked weekend, listed, shown and edited in Chinese."""
    response = client.post("/calendardayview/add", data={
        "day": "2027-02-08", "kind": "holiday", "name": "春节", "note": "国务院办公厅通知"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    response = client.post("/calendardayview/add", data={
        "day": "2027-02-20", "kind": "workday", "name": "春节调休"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    holiday, workday = _rows()
    assert (holiday.day, holiday.kind, holiday.name) == (
        dt.date(2027, 2, 8), CalendarDayKind.holiday, "春节")
    assert (workday.kind, workday.note) == (CalendarDayKind.workday, None)

    html = client.get("/calendardayview/list/").get_data(as_text=True)
    for text in ("工作日历", "日期", "日期类型", "节日名称", "节假日", "调休工作日", "春节调休"):
        assert text in html
    html = client.get(f"/calendardayview/show/{holiday.id}").get_data(as_text=True)
    assert "国务院办公厅通知" in html and "备注" in html

    response = client.post(f"/calendardayview/edit/{holiday.id}", data={
        "day": "2027-02-09", "kind": "holiday", "name": "春节"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(CalendarDay, holiday.id).day == dt.date(2027, 2, 9)


def test_calendar_day_is_unique(client, ctx):
    """R-12.1: a day has one override; a second one gets a Chinese message and is not saved."""
    db.session.add(CalendarDay(day=dt.date(2027, 10, 1), kind=CalendarDayKind.holiday,
                               name="国庆节"))
    db.session.commit()
    response = client.post("/calendardayview/add", data={"day": "2027-10-01",
                                                          "kind": "workday"})
    assert response.status_code == 200
    assert any("已经存在" in e for e in form_errors(response.get_data(as_text=True)))
    assert [(r.day, r.kind) for r in _rows()] == [(dt.date(2027, 10, 1), CalendarDayKind.holiday)]

    # Saving the row itself again is not a duplicate.
    row = _rows()[0]
    response = client.post(f"/calendardayview/edit/{row.id}", data={
        "day": "2027-10-01", "kind": "holiday", "name": "国庆节", "note": "已核对"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))


def test_calendar_day_bad_input_saves_nothing(client, ctx):
    """R-12.1: a missing or malformed date, or an unknown day type, is refused in Chinese."""
    for data in ({"day": "", "kind": "holiday"}, {"day": "2027-13-40", "kind": "holiday"},
                 {"day": "2027-05-01", "kind": "festival"}):
        response = client.post("/calendardayview/add", data=data)
        assert response.status_code == 200
        errors = form_errors(response.get_data(as_text=True))
        assert errors and all(any("\u4e00" <= ch <= "\u9fff" for ch in e) for e in errors), errors
    assert _rows() == []
