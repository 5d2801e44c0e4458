"""考核评价 screens: per period, per department or coordinator (R-13.3)."""
from __future__ import annotations

import datetime as dt
import decimal

import pytest
import sqlalchemy as sa
from conftest import form_errors

from app.choices import AssessmentSubject, StaffRole
from app.extensions import db
from app.models import Assessment, Department, StaffMember


def _department(name: str = "区住房和城乡建设局") -> Department:
    dept = Department(name=name, contact_name="联系人", contact_phone="0662-3333333")
    db.session.add(dept)
    return dept


def _staff(name: str = "王协办", role: StaffRole = StaffRole.coordinator,
           department: Department | None = None) -> StaffMember:
    person = StaffMember(name=name, role=role, department=department, phone="13800138000",
                         admitted_on=dt.date(2025, 1, 1))
    db.session.add(person)
    return person


def _form(**changes) -> dict:
    data = {
        "period_start": "2026-01-01", "period_end": "2026-03-31", "subject": "department",
        "commissions_handled": "12", "on_time_rate": "91.5", "overdue_count": "1",
        "refusals": "0", "average_rating": "4.60", "open_escalations": "2", "score": "88",
        "remarks": "总体良好",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Assessment))


def test_department_assessment_round_trip(client, ctx):
    """R-13.3: a department's assessment for a period with its figures, a manual score,
    remarks and the 通报 flag; list, show and edit in Chinese."""
    dept = _department()
    db.session.commit()
    response = client.post("/assessmentview/add", data=_form(department=str(dept.id)))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    item = db.session.scalars(sa.select(Assessment)).one()
    assert (item.subject, item.department_id, item.staff_id) == (
        AssessmentSubject.department, dept.id, None)
    assert (item.commissions_handled, item.on_time_rate, item.overdue_count, item.refusals,
            item.average_rating, item.open_escalations, item.score) == (
        12, decimal.Decimal("91.50"), 1, 0, decimal.Decimal("4.60"), 2, decimal.Decimal("88"))

    html = client.get("/assessmentview/list/").get_data(as_text=True)
    for text in ("考核评价", "考核期起", "考核期止", "考核对象", "按时办结率", "超期件数",
                 "考核得分", "列入区政府通报", "区住房和城乡建设局", "91.50"):
        assert text in html
    html = client.get(f"/assessmentview/show/{item.id}").get_data(as_text=True)
    for text in ("办理委托数", "不予许可件数", "平均满意度", "未解决的问题上报", "总体良好",
                 "考核指标"):
        assert text in html

    response = client.post(f"/assessmentview/edit/{item.id}", data=_form(
        department=str(dept.id), score="55", flagged="y", remarks="超期较多，列入通报"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    db.session.expire_all()
    item = db.session.get(Assessment, item.id)
    assert (item.score, item.flagged, item.remarks) == (
        decimal.Decimal("55"), True, "超期较多，列入通报")


def test_coordinator_assessment_round_trip(client, ctx):
    """R-13.3: a coordinator's assessment names the coordinator; only coordinators are
    offered (specialists count for their department)."""
    coordinator = _staff()
    specialist = _staff("李专办", StaffRole.specialist, _department())
    db.session.commit()
    html = client.get("/assessmentview/add").get_data(as_text=True)
    assert "王协办" in html and "李专办" not in html

    response = client.post("/assessmentview/add", data=_form(
        subject="coordinator", staff=str(coordinator.id)))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    item = db.session.scalars(sa.select(Assessment)).one()
    assert (item.subject, item.staff_id, item.department_id) == (
        AssessmentSubject.coordinator, coordinator.id, None)
    html = client.get(f"/assessmentview/show/{item.id}").get_data(as_text=True)
    assert "王协办" in html and "协办员" in html

    response = client.post("/assessmentview/add", data=_form(
        subject="coordinator", staff=str(specialist.id)))
    assert response.status_code == 200
    assert form_errors(response.get_data(as_text=True))
    assert _count() == 1


@pytest.mark.parametrize("changes, message", [
    ({"period_end": "2025-12-31"}, "考核期止早于考核期起"),
    ({"department": None}, "部门考核须选择审批部门"),
    ({"staff": "STAFF"}, "部门考核不填写协办员"),
    ({"subject": "coordinator", "department": None}, "协办员考核须选择协办员"),
    ({"subject": "coordinator", "staff": "STAFF"}, "协办员考核不填写审批部门"),
    ({"on_time_rate": "100.5"}, "按时办结率应在 0 至 100 之间"),
    ({"on_time_rate": "-1"}, "按时办结率应在 0 至 100 之间"),
    ({"score": "101"}, "考核得分应在 0 至 100 之间"),
    ({"score": "-0.5"}, "考核得分应在 0 至 100 之间"),
    ({"average_rating": "5.5"}, "平均满意度应在 1 至 5 之间"),
    ({"commissions_handled": "-1"}, "数量不能为负数"),
    ({"overdue_count": "-2"}, "数量不能为负数"),
    ({"refusals": "-1"}, "数量不能为负数"),
    ({"open_escalations": "-3"}, "数量不能为负数"),
])
def test_assessment_bad_input_saves_nothing(client, ctx, changes, message):
    """R-13.3: period order, the subject's matching party, rates and scores in 0–100 and
    counts ≥ 0 are checked with a Chinese message; nothing is saved."""
    dept, staff = _department(), _staff()
    db.session.commit()
    data = {"department": str(dept.id), **changes}
    if data.get("staff") == "STAFF":
        data["staff"] = str(staff.id)
    response = client.post("/assessmentview/add", data=_form(**data))
    assert response.status_code == 200
    assert any(message in e for e in form_errors(response.get_data(as_text=True))), \
        form_errors(response.get_data(as_text=True))
    assert _count() == 0


def test_assessment_duplicate_period_and_subject(client, ctx):
    """R-13.3: one assessment per period and subject; the second gets a Chinese message
    (the table's unique key cannot catch it: the empty party is NULL)."""
    dept, other = _department(), _department("区自然资源局")
    db.session.commit()
    assert client.post("/assessmentview/add",
                       data=_form(department=str(dept.id))).status_code == 302
    response = client.post("/assessmentview/add", data=_form(department=str(dept.id)))
    assert response.status_code == 200
    assert any("该考核对象在本考核期已有考核评价" in e
               for e in form_errors(response.get_data(as_text=True)))
    assert _count() == 1
    # Another department, or another period, is fine; editing the row itself is too.
    assert client.post("/assessmentview/add",
                       data=_form(department=str(other.id))).status_code == 302
    first = db.session.scalars(sa.select(Assessment).order_by(Assessment.id)).first()
    assert client.post(f"/assessmentview/edit/{first.id}",
                       data=_form(department=str(dept.id), score="70")).status_code == 302
    assert _count() == 2


def test_assessment_list_query_count_is_independent_of_rows(client, ctx, count_queries):
    """R-13.3: the assessment list costs the same number of SQL statements for 3 and 25
    rows (departments and coordinators are loaded per page, not per row)."""

    def render() -> int:
        with count_queries() as statements:
            response = client.get("/assessmentview/list/?psize_AssessmentView=25")
        assert response.status_code == 200
        return len(statements)

    def add_rows(numbers: range) -> None:
        for n in numbers:
            period = dict(period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 3, 31))
            if n % 2:
                row = Assessment(subject=AssessmentSubject.department,
                                 department=_department(f"部门{n}"), **period)
            else:
                row = Assessment(subject=AssessmentSubject.coordinator,
                                 staff=_staff(f"协办员{n}"), **period)
            db.session.add(row)
        db.session.commit()

    add_rows(range(3))
    few = render()
    add_rows(range(3, 25))
    assert render() == few
