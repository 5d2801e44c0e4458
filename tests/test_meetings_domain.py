"""Meeting action items (R-7.1): due dates in working days, lights on the supervision screen
(督办), and marking done with the date."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.choices import MeetingKind
from app.domain import meetings
from app.domain.errors import DomainError
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.models import CoordinationMeeting, MeetingActionItem, StaffMember
from tests import factories as f
from tests.conftest import form_errors
from tests.clock import RUN_DAY

# Every test here counts from the run day (TODAY): rerun in a later year by CI.
pytestmark = pytest.mark.date_sensitive

D = dt.date.fromisoformat
CAL = WorkCalendar()
TODAY = RUN_DAY


def meeting(held_on: dt.date, convener: StaffMember | None = None) -> CoordinationMeeting:
    row = CoordinationMeeting(kind=MeetingKind.joint, title="联席会议", held_on=held_on,
                              place="三楼会议室", convener=convener or f.staff(), issues="议题")
    db.session.add(row)
    db.session.flush()
    return row


def action(on: CoordinationMeeting, due_on: dt.date, text: str, done: bool = False,
           owner: StaffMember | None = None) -> MeetingActionItem:
    row = MeetingActionItem(meeting=on, description=text, owner=owner or on.convener,
                            due_on=due_on, done=done, done_on=due_on if done else None)
    db.session.add(row)
    db.session.flush()
    return row


def test_due_date_in_working_days(ctx):
    """R-7.1: "due in N working days" counts working days after the meeting on the calendar
    (holidays skipped, 调休 working weekends counted)."""
    assert meetings.due_after_meeting(D("2025-09-30"), 3, CAL) == D("2025-10-11")
    assert meetings.due_after_meeting(D("2025-09-01"), 5, CAL) == D("2025-09-08")
    for days in (0, meetings.MAX_DUE_WORKING_DAYS + 1):
        with pytest.raises(DomainError, match="工作日数须在1至"):
            meetings.due_after_meeting(D("2025-09-01"), days, CAL)


def test_action_item_form_counts_working_days(client, ctx):
    """R-7.1: the action item form takes "due in N working days" instead of a date and
    stores the date counted from the meeting day; with neither it refuses in Chinese."""
    held = meeting(D("2025-09-30"))
    db.session.commit()
    base = {"meeting": str(held.id), "description": "出具书面意见",
            "owner": str(held.convener_id)}
    html = client.get("/meetingactionitemview/add").get_data(as_text=True)
    assert "完成期限（工作日数）" in html

    response = client.post("/meetingactionitemview/add", data=base)
    assert response.status_code == 200
    assert any("请填写完成期限，或填写会后若干个工作日" in e
               for e in form_errors(response.get_data(as_text=True)))
    response = client.post("/meetingactionitemview/add", data={**base, "due_in_days": "0"})
    assert response.status_code == 200 and form_errors(response.get_data(as_text=True))
    assert db.session.scalars(sa.select(MeetingActionItem)).all() == []

    response = client.post("/meetingactionitemview/add", data={**base, "due_in_days": "3"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    item = db.session.scalars(sa.select(MeetingActionItem)).one()
    assert item.due_on == D("2025-10-11")  # across National Day, 11 Oct was worked

    # Editing with a number of days replaces the date shown on the form.
    response = client.post(f"/meetingactionitemview/edit/{item.id}", data={
        **base, "due_on": "2025-10-11", "due_in_days": "5"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(MeetingActionItem, item.id).due_on == D("2025-10-14")
    # A date alone is kept as given.
    client.post(f"/meetingactionitemview/edit/{item.id}", data={**base, "due_on": "2025-10-20"})
    db.session.expire_all()
    assert db.session.get(MeetingActionItem, item.id).due_on == D("2025-10-20")


def test_open_action_items_on_the_supervision_screen(client, ctx):
    """R-7.1: open action items show on the 督办 screen with the deadline lights: red when
    late, yellow when due within the warning days, green otherwise; done ones do not."""
    held = meeting(TODAY - dt.timedelta(days=40))
    late = action(held, TODAY - dt.timedelta(days=3), "逾期的督办事项")
    soon = action(held, TODAY, "今日到期的督办事项")
    later = action(held, CAL.add(TODAY, 10), "尚早的督办事项")
    action(held, TODAY - dt.timedelta(days=5), "已完成的督办事项", done=True)
    db.session.commit()
    assert meetings.open_action_items(db.session) == [late, soon, later]

    html = client.get("/overdue/").get_data(as_text=True)
    section = html[html.index("open-action-items"):]
    assert "未完成的会议督办事项" in html
    for item, css in ((late, "danger"), (soon, "warning"), (later, "success")):
        assert item.description in section
        assert f'label-{css}" title="' in section.split(item.description)[0].rsplit("<tr>", 1)[1]
    assert "已完成的督办事项" not in section
    assert f"/meetingactionitemview/done/{late.id}" in section


def test_marking_done_records_the_date(client, ctx):
    """R-7.1: "mark done" from the supervision screen records today as the done date and
    returns to the screen; the list's bulk action does the same; done twice is refused."""
    held = meeting(TODAY - dt.timedelta(days=40))
    first = action(held, TODAY - dt.timedelta(days=3), "第一项")
    second = action(held, TODAY - dt.timedelta(days=2), "第二项")
    third = action(held, TODAY - dt.timedelta(days=1), "第三项")
    db.session.commit()

    response = client.post(f"/meetingactionitemview/done/{first.id}", data={"next": "overdue"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/overdue/")
    response = client.post("/meetingactionitemview/action_post", data={
        "action": "mark_done", "rowid": [str(second.id), str(third.id)]})
    assert response.status_code == 302
    db.session.expire_all()
    rows = db.session.scalars(sa.select(MeetingActionItem).order_by(MeetingActionItem.id)).all()
    assert [(r.done, r.done_on) for r in rows] == [(True, TODAY)] * 3
    assert meetings.open_action_items(db.session) == []

    with pytest.raises(DomainError, match="已完成"):
        meetings.mark_done(rows[0], on=TODAY)
    early = action(meeting(TODAY + dt.timedelta(days=3)), TODAY + dt.timedelta(days=9), "会前")
    with pytest.raises(DomainError, match="不能早于会议日期"):
        meetings.mark_done(early, on=TODAY)


def test_supervision_screen_query_count_with_action_items(app, client, count_queries):
    """R-7.1: the 督办 screen costs the same number of statements for 2 or 12 open items."""
    def add(n: int) -> None:
        with app.app_context():
            held = meeting(TODAY - dt.timedelta(days=10))
            for i in range(n):
                action(held, TODAY + dt.timedelta(days=i), f"事项{i}", owner=f.staff())
            db.session.commit()

    add(2)
    client.get("/overdue/")
    with count_queries() as few:
        client.get("/overdue/")
    add(10)
    with count_queries() as many:
        html = client.get("/overdue/").get_data(as_text=True)
    assert html.count("/meetingactionitemview/done/") == 12
    assert len(many) == len(few)
