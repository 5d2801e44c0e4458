"""考核评价 list screens: saved (frozen) assessments per period and subject (R-13.3).

Rows are made by saving a period (tests/test_assessment_screen.py); here they are built
directly to check the list and show pages and the list's query count.
"""
from __future__ import annotations

import datetime as dt
import decimal

from app.choices import AssessmentSubject
from app.extensions import db
from app.models import Assessment, Department, StaffMember
from tests import factories as f

PERIOD = dict(period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 3, 31))


def _department(name: str = "区住房和城乡建设局") -> Department:
    return f.department(name)


def _staff(name: str = "王协办") -> StaffMember:
    return f.staff(name=name)


def test_assessment_list_and_show_in_chinese(client, ctx):
    """R-13.3: the saved assessments list and show their frozen figures, score, remarks and
    the 通报 flag in Chinese; there is no form to type an assessment in by hand."""
    row = Assessment(subject=AssessmentSubject.department, department=_department(),
                     commissions_handled=12, on_time_rate=decimal.Decimal("91.5"),
                     overdue_count=1, refusals=0, average_rating=decimal.Decimal("4.6"),
                     open_escalations=2, score=decimal.Decimal("88"), remarks="总体良好",
                     **PERIOD)
    db.session.add(row)
    db.session.add(Assessment(subject=AssessmentSubject.coordinator, staff=_staff(),
                              flagged=True, **PERIOD))
    db.session.commit()
    html = client.get("/assessmentview/list/").get_data(as_text=True)
    for text in ("考核评价", "考核期起", "考核期止", "考核对象", "按时办结率", "超期件数",
                 "考核得分", "列入区政府通报", "区住房和城乡建设局", "王协办", "91.50"):
        assert text in html, text
    assert "/assessmentview/add" not in html
    html = client.get(f"/assessmentview/show/{row.id}").get_data(as_text=True)
    for text in ("办理委托数", "不予许可件数", "平均满意度", "未解决的问题上报", "总体良好",
                 "考核指标", "4.60"):
        assert text in html, text
    html = client.get(f"/assessmentview/edit/{row.id}").get_data(as_text=True)
    assert 'name="score"' in html and 'name="on_time_rate"' not in html


def test_assessment_list_query_count_is_independent_of_rows(client, ctx, count_queries):
    """R-13.3: the assessment list costs the same number of SQL statements for 3 and 25
    rows (departments and coordinators are loaded per page, not per row)."""

    def render() -> int:
        client.get("/assessmentview/list/?psize_AssessmentView=25")  # the session's first page keeps its roles and permissions
        with count_queries() as statements:
            response = client.get("/assessmentview/list/?psize_AssessmentView=25")
        assert response.status_code == 200
        return len(statements)

    def add_rows(numbers: range) -> None:
        for n in numbers:
            if n % 2:
                row = Assessment(subject=AssessmentSubject.department,
                                 department=_department(f"部门{n}"), **PERIOD)
            else:
                row = Assessment(subject=AssessmentSubject.coordinator,
                                 staff=_staff(f"协办员{n}"), **PERIOD)
            db.session.add(row)
        db.session.commit()

    add_rows(range(3))
    few = render()
    add_rows(range(3, 25))
    assert render() == few
