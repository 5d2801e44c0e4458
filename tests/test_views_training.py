"""业务培训 screens: sessions and attendance (R-13.4)."""
from __future__ import annotations

import datetime as dt
import decimal

import sqlalchemy as sa
from conftest import form_errors

from app.choices import Attendance
from app.extensions import db
from app.models import Department, StaffMember, Training, TrainingAttendance
from tests import factories as f


def _department(name: str = "江城区政务服务数据管理局") -> Department:
    return f.department(name, runs_window=True)


def _staff(name: str) -> StaffMember:
    return f.staff(name=name)


def _training(organiser: Department) -> Training:
    session = Training(title="协办业务培训班", topic="工程建设项目审批流程", held_on=dt.date(2026, 5, 8),
                       organiser=organiser, place="区政务服务中心", hours=decimal.Decimal("3.5"))
    db.session.add(session)
    return session


def _training_form(organiser_id: int, **changes) -> dict:
    data = {"title": "协办业务培训班", "topic": "工程建设项目审批流程与协办规范",
            "held_on": "2026-05-08", "organiser": str(organiser_id), "place": "区政务服务中心",
            "hours": "3.5"}
    data.update(changes)
    return data


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_training_round_trip(client, ctx):
    """R-13.4: a session with date, topic, organiser, place and hours; list, show, edit."""
    dept = _department()
    db.session.commit()
    response = client.post("/trainingview/add", data=_training_form(dept.id))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    session = db.session.scalars(sa.select(Training)).one()
    assert (session.held_on, session.organiser_id, session.hours) == (
        dt.date(2026, 5, 8), dept.id, decimal.Decimal("3.5"))

    html = client.get("/trainingview/list/").get_data(as_text=True)
    for text in ("业务培训", "培训名称", "培训日期", "主办单位", "学时", "协办业务培训班",
                 "江城区政务服务数据管理局"):
        assert text in html
    html = client.get(f"/trainingview/show/{session.id}").get_data(as_text=True)
    for text in ("培训内容", "培训地点", "工程建设项目审批流程与协办规范", "培训出勤"):
        assert text in html

    response = client.post(f"/trainingview/edit/{session.id}",
                           data=_training_form(dept.id, hours="2", place="线上"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    db.session.expire_all()
    session = db.session.get(Training, session.id)
    assert (session.hours, session.place) == (decimal.Decimal("2"), "线上")


def test_training_hours_must_be_positive(client, ctx):
    """R-13.4: a session of 0 or negative hours is refused in Chinese; nothing is saved."""
    dept = _department()
    db.session.commit()
    for hours in ("0", "-1.5"):
        response = client.post("/trainingview/add", data=_training_form(dept.id, hours=hours))
        assert response.status_code == 200
        assert any("学时必须大于 0" in e for e in form_errors(response.get_data(as_text=True)))
    assert _count(Training) == 0


def test_attendance_round_trip_from_the_session(client, ctx):
    """R-13.4: attendance is recorded per person from the session's page (the session
    comes from the related view's filter), listed, shown and corrected."""
    session = _training(_department())
    person = _staff("王协办")
    db.session.commit()
    response = client.post(f"/trainingattendanceview/add?_flt_0_training={session.id}",
                           data={"staff": str(person.id), "status": "excused", "note": "出差"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    record = db.session.scalars(sa.select(TrainingAttendance)).one()
    assert (record.training_id, record.staff_id, record.status) == (
        session.id, person.id, Attendance.excused)

    html = client.get("/trainingattendanceview/list/").get_data(as_text=True)
    for text in ("培训出勤", "培训场次", "人员", "出勤情况", "请假", "王协办", "协办业务培训班"):
        assert text in html
    html = client.get(f"/trainingview/show/{session.id}").get_data(as_text=True)
    assert "王协办" in html and "请假" in html
    html = client.get(f"/trainingattendanceview/show/{record.id}").get_data(as_text=True)
    assert "出差" in html

    response = client.post(f"/trainingattendanceview/edit/{record.id}", data={
        "training": str(session.id), "staff": str(person.id), "status": "present"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(TrainingAttendance, record.id).status == Attendance.present


def test_attendance_is_unique_per_session_and_person(client, ctx):
    """R-13.4: a second record for the same session and person gets a Chinese message, not
    a database error; another person is fine."""
    session = _training(_department())
    first, second = _staff("王协办"), _staff("赵协办")
    db.session.commit()
    data = {"training": str(session.id), "staff": str(first.id), "status": "present"}
    assert client.post("/trainingattendanceview/add", data=data).status_code == 302
    response = client.post("/trainingattendanceview/add", data={**data, "status": "absent"})
    assert response.status_code == 200
    assert any("该人员在本次培训的出勤情况已登记" in e
               for e in form_errors(response.get_data(as_text=True)))
    assert _count(TrainingAttendance) == 1

    assert client.post("/trainingattendanceview/add",
                       data={**data, "staff": str(second.id)}).status_code == 302
    # Editing a record onto someone else's (session, person) is refused too.
    record = db.session.scalars(sa.select(TrainingAttendance).where(
        TrainingAttendance.staff_id == second.id)).one()
    response = client.post(f"/trainingattendanceview/edit/{record.id}", data=data)
    assert response.status_code == 200
    assert any("该人员在本次培训的出勤情况已登记" in e
               for e in form_errors(response.get_data(as_text=True)))
    db.session.expire_all()
    assert db.session.get(TrainingAttendance, record.id).staff_id == second.id
