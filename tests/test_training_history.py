"""Each person's training history on their roster page (R-13.4, R-2.3)."""
from __future__ import annotations

import datetime as dt
import decimal

from app.choices import Attendance, RosterChangeKind
from app.extensions import db
from app.models import RosterChange, Training, TrainingAttendance
from tests import factories as f


def test_staff_page_shows_training_history(client, ctx):
    """R-13.4: a person's page lists the sessions they were recorded at, with date,
    organiser, hours and attendance, beside their roster filings; nobody else's."""
    bureau = f.department("江城区政务服务数据管理局")
    person, other = f.staff(name="周协办"), f.staff(name="吴协办")
    first = Training(title="协办业务培训班", topic="审批流程", held_on=dt.date(2026, 5, 8),
                     organiser=bureau, hours=decimal.Decimal("3.5"))
    second = Training(title="联合审图操作规范", topic="施工图审查", held_on=dt.date(2026, 6, 12),
                      organiser=bureau, hours=decimal.Decimal("2"))
    third = Training(title="只有别人参加的培训", topic="其他", held_on=dt.date(2026, 7, 1),
                     organiser=bureau)
    db.session.add_all([
        first, second, third,
        TrainingAttendance(training=first, staff=person, status=Attendance.present),
        TrainingAttendance(training=second, staff=person, status=Attendance.excused,
                           note="外出协调"),
        TrainingAttendance(training=first, staff=other, status=Attendance.present),
        TrainingAttendance(training=third, staff=other, status=Attendance.absent),
        RosterChange(staff=person, kind=RosterChangeKind.join, filed_on=dt.date(2026, 1, 2),
                     effective_on=dt.date(2026, 1, 5), reason="首批协办员"),
    ])
    db.session.commit()

    html = client.get(f"/staffmemberview/show/{person.id}").get_data(as_text=True)
    assert "培训出勤" in html
    for text in ("2026-05-08 协办业务培训班", "2026-06-12 联合审图操作规范", "3.5",
                 "江城区政务服务数据管理局", "出勤", "请假", "外出协调"):
        assert text in html, text
    assert "只有别人参加的培训" not in html
    assert "人员报备" in html and "2026-01-05" in html  # the roster history beside it
