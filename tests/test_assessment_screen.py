"""The 考核评价 period screen as the admin: compute, score, save, save again, export (R-13.3)."""
from __future__ import annotations

import datetime as dt

import pytest
import decimal
import io

import sqlalchemy as sa
from conftest import form_errors
from openpyxl import load_workbook

from app.choices import AssessmentSubject
from app.extensions import db
from app.models import Assessment
from tests import assessment_dataset as data
from tests.clock import RUN_DAY

Dec = decimal.Decimal
PERIOD = {"start": data.START.isoformat(), "end": data.END.isoformat()}


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Assessment))


def _built():
    district = data.build()
    db.session.commit()
    return {key: row.id for key, row in district.subjects.items()}


def _form(ids, **scores) -> dict:
    form = dict(PERIOD)
    for key, pk in ids.items():
        subject = "department" if key.startswith("D") else "coordinator"
        form[f"score-{subject}-{pk}"] = scores.get(key, "")
        form[f"remarks-{subject}-{pk}"] = f"{key}备注"
    return form


def test_screen_shows_the_computed_table(client, ctx):
    """R-13.3: the supervisor's screen lists every department and coordinator of the period
    with its figures, the flag with its reasons, the rule and how figures are counted."""
    _built()
    response = client.get("/assessment/compute", query_string=PERIOD)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in ("按期考核评价", "区住房和城乡建设局", "区自然资源局", "区交通运输局", "张协办",
                 "李协办", "66.67", "50.00", "100.00", "2.67", "3/4", "1/2",
                 "按时办结率 50.00% 低于 80%；平均满意度 2.67 低于 3.0", "指标口径",
                 "通报规则：按时办结率低于 80%", "保存本期考核评价", "导出Excel台账"):
        assert text in html, text
    for absent in ("离任协办", "新任协办", "住建专办", "已撤销部门"):
        assert absent not in html


def test_screen_refuses_a_bad_period(client, ctx):
    """R-13.3: an end before the start, or a malformed date, is refused in Chinese (200, no
    table); without dates the last quarter is shown."""
    response = client.get("/assessment/compute", query_string={"start": "2025-06-30",
                                                               "end": "2025-04-01"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "考核期止早于考核期起" in html and "保存本期考核评价" not in html
    response = client.get("/assessment/compute", query_string={"start": "2025-13-01",
                                                               "end": "2025-04-01"})
    assert "日期格式应为 YYYY-MM-DD" in response.get_data(as_text=True)
    response = client.post("/assessment/save", data={"start": "2025-06-30", "end": "2025-04-01"})
    assert response.status_code == 200
    assert "考核期止早于考核期起" in response.get_data(as_text=True)
    assert client.get("/assessment/compute").status_code == 200
    assert _count() == 0


def test_save_round_trip_and_save_again(client, ctx):
    """R-13.3: saving freezes one row per subject with score and remarks; the flag follows
    the rule; saving again changes only scores and remarks; the list shows the rows."""
    ids = _built()
    response = client.post("/assessment/save", data=_form(ids, D2="95", C2="58.5", C1="70"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    assert _count() == 5
    rows = {(r.subject, r.department_id or r.staff_id): r
            for r in db.session.scalars(sa.select(Assessment))}
    d2 = rows[(AssessmentSubject.department, ids["D2"])]
    assert (d2.score, d2.remarks, d2.flagged, d2.on_time_rate) == (
        Dec("95.00"), "D2备注", False, Dec("100.00"))
    c2 = rows[(AssessmentSubject.coordinator, ids["C2"])]
    assert (c2.score, c2.flagged, c2.open_escalations) == (Dec("58.50"), True, 3)
    assert rows[(AssessmentSubject.department, ids["D4"])].score is None

    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "本考核期已保存" in html and "已保存" in html
    assert "考核得分 58.50 低于 60" in html

    response = client.post("/assessment/save", data=_form(ids, D2="40", C2="58.5", C1="70"))
    assert response.status_code == 302
    db.session.expire_all()
    assert _count() == 5
    d2 = db.session.get(Assessment, d2.id)
    assert (d2.score, d2.flagged, d2.on_time_rate) == (Dec("40.00"), True, Dec("100.00"))

    html = client.get("/assessmentview/list/").get_data(as_text=True)
    for text in ("区自然资源局", "李协办", "66.67", "40.00"):
        assert text in html


def test_bad_scores_save_nothing(client, ctx):
    """R-13.3: a score outside 0–100 or not a number is shown on its row in Chinese; nothing
    is saved and what was typed stays on the form."""
    ids = _built()
    response = client.post("/assessment/save", data=_form(ids, D1="101", C1="很好", D2="90"))
    assert response.status_code == 200
    errors = form_errors(response.get_data(as_text=True))
    assert any("考核得分应在 0 至 100 之间" in e for e in errors), errors
    assert any("考核得分应为数字" in e for e in errors), errors
    assert any("部分考核得分有误" in e for e in errors), errors
    assert 'value="很好"' in response.get_data(as_text=True)
    assert _count() == 0


@pytest.mark.date_sensitive
def test_running_period_cannot_be_saved(client, ctx):
    """R-13.3: a period not yet ended shows provisional figures and refuses to be saved."""
    ids = _built()
    today = RUN_DAY
    period = {"start": (today - dt.timedelta(days=30)).isoformat(), "end": today.isoformat()}
    html = client.get("/assessment/compute", query_string=period).get_data(as_text=True)
    assert "指标为临时数据" in html and "保存本期考核评价" not in html
    response = client.post("/assessment/save", data={**_form(ids), **period})
    assert response.status_code == 200
    assert "考核期尚未结束" in response.get_data(as_text=True)
    assert _count() == 0


def test_export_of_the_period(client, ctx):
    """R-13.3: the period's table exports to .xlsx with Chinese headers, one row per subject."""
    _built()
    response = client.get("/assessment/export", query_string=PERIOD)
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("考核对象", "部门或协办员", "办理委托数", "按时办结率（%）")
    assert len(rows) == 6
    assert rows[1][1] == "区住房和城乡建设局" and rows[1][3] == 50
    assert "按时办结率 50.00% 低于 80%" in rows[1][13]


def test_saved_list_edits_score_and_remarks_only(client, ctx):
    """R-13.3: on the saved list only score and remarks change; the figures stay frozen and
    the flag follows the new score; no assessment is typed in by hand."""
    ids = _built()
    client.post("/assessment/save", data=_form(ids, D2="95"))
    row = db.session.scalars(sa.select(Assessment).where(
        Assessment.department_id == ids["D2"])).one()
    response = client.post(f"/assessmentview/edit/{row.id}", data={
        "score": "50", "remarks": "复核", "on_time_rate": "1", "commissions_handled": "99"})
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    db.session.expire_all()
    row = db.session.get(Assessment, row.id)
    assert (row.score, row.remarks, row.flagged, row.on_time_rate, row.commissions_handled) == (
        Dec("50.00"), "复核", True, Dec("100.00"), 3)
    response = client.post(f"/assessmentview/edit/{row.id}", data={"score": "120"})
    assert response.status_code == 200
    assert any("考核得分应在 0 至 100 之间" in e
               for e in form_errors(response.get_data(as_text=True)))
    count = _count()
    client.post("/assessmentview/add", data={"score": "80"})
    assert _count() == count
