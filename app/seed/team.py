"""Write team records: trainings with attendance, and calendar overrides (R-13.4, R-12.1)."""
from __future__ import annotations

import datetime as dt
import decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.choices import Attendance, CalendarDayKind
from app.models import CalendarDay, Training, TrainingAttendance
from app.seed.context import DemoContext
from app.seed.reference import WINDOW_DEPARTMENT

D = dt.date
H, W = CalendarDayKind.holiday, CalendarDayKind.workday
CALENDAR_NOTE = "演示数据：按惯例预设，待国务院办公厅公布2027年节假日安排后核对修改。"
# chinesecalendar stops at 2026: a supervisor enters the next year by hand.
CALENDAR_2027 = (
    (D(2027, 1, 1), H, "元旦"), (D(2027, 2, 5), H, "春节"), (D(2027, 2, 8), H, "春节"),
    (D(2027, 2, 9), H, "春节"), (D(2027, 2, 10), H, "春节"), (D(2027, 2, 11), H, "春节"),
    (D(2027, 2, 20), W, "春节调休上班"),
)
# (calendar days before the anchor, title, topic, organiser, place, hours)
TRAININGS = (
    (254, "工程建设项目审批协办服务业务培训（第一期）",
     "《工程建设项目审批协办服务实施办法》解读；首问负责制、一次性告知制和工作日志规范。",
     WINDOW_DEPARTMENT, "区政务服务中心三楼会议室", "3.0"),
    (163, "新任协办员岗前培训暨审批流程专题培训",
     "四个审批阶段的事项清单、承诺时限与工作日计算；人员报备制及在办项目移交。",
     WINDOW_DEPARTMENT, "区政务服务中心三楼会议室", "2.0"),
    (65, "施工图联合审查及消防设计审查业务培训",
     "施工图联合审查流程、特殊建设工程消防设计审查要点及常见补正问题。",
     "区住房和城乡建设局", "区住建局二楼会议室", "2.5"),
)


def seed_calendar(session: Session) -> int:
    """Add the demo's 2027 overrides that are not there yet; returns how many were added."""
    existing = set(session.scalars(sa.select(CalendarDay.day)))
    rows = [CalendarDay(day=day, kind=kind, name=name, note=CALENDAR_NOTE)
            for day, kind, name in CALENDAR_2027 if day not in existing]
    session.add_all(rows)
    return len(rows)


def write_trainings(ctx: DemoContext) -> None:
    """Three sessions; everyone on duty that day is invited, one absent, one excused."""
    for back, title, topic, organiser, place, hours in TRAININGS:
        day = ctx.cal.add(ctx.anchor - dt.timedelta(days=back), 0)
        training = Training(title=title, topic=topic, held_on=day,
                            organiser=ctx.departments[organiser], place=place,
                            hours=decimal.Decimal(hours))
        people = ctx.roster.active_on(day)
        away = ctx.rng.sample(people, 2)
        for person in people:
            status, note = Attendance.present, None
            if person is away[0]:
                status, note = Attendance.absent, "外出陪同建设单位办理审批业务"
            elif person is away[1]:
                status, note = Attendance.excused, "事先请假"
            training.attendances.append(TrainingAttendance(staff=person, status=status, note=note))
        ctx.session.add(training)
