"""Times are stored in UTC and read in Beijing time to the minute (R-16.4): on every list and
show page, on the dashboard, in the PDFs and in the Excel ledgers, through one helper."""
from __future__ import annotations

import datetime as dt
import decimal
import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app import clock
from app.choices import AssessmentSubject
from app.documents import archive
from app.extensions import db
from app.models import Assessment, Commission, DocumentKind, IssuedDocument, WorkLogEntry
from app.models.mixins import UTCDateTime
from app.timefmt import show_time, typed_time
from app.views.base import AppModelView
from tests import factories as f
from tests.factories import full_case
from tests.pdf_helpers import pdf_text

#: the moment of the tests: late afternoon in UTC, already the next day in Beijing
MOMENT = dt.datetime(2026, 12, 2, 16, 30, tzinfo=dt.timezone.utc)
SHOWN = "2026-12-03 00:30"


@pytest.fixture(autouse=True)
def documents_dir(app, tmp_path, monkeypatch):
    """Issued files go to a temporary folder, not the instance folder."""
    monkeypatch.setitem(app.config, "DOCUMENTS_DIR", str(tmp_path / "documents"))


def test_show_time_is_beijing_time_to_the_minute():
    """R-16.4: one helper: UTC (aware or naive, as SQLite returns it) and any other zone read
    as Beijing wall-clock time without seconds; dates stay dates; nothing is empty."""
    assert show_time(MOMENT) == SHOWN
    assert show_time(MOMENT.replace(tzinfo=None, second=59, microsecond=123456)) == SHOWN
    assert show_time(MOMENT.astimezone(dt.timezone(dt.timedelta(hours=-5)))) == SHOWN
    assert show_time(dt.date(2026, 12, 2)) == "2026-12-02"
    assert show_time(None) == "" and show_time("") == ""
    assert typed_time("2026-12-03 00:30") == MOMENT and typed_time("昨天") == "昨天"


def test_every_date_time_column_is_stored_as_utc():
    """R-16.4: every date-time column of ours has the UTC type (timestamp with time zone)."""
    columns = [(table.name, column.name, column.type)
               for table in db.metadata.sorted_tables if not table.name.startswith("ab_")
               for column in table.columns
               if isinstance(column.type, (sa.DateTime, UTCDateTime))]
    assert columns
    for table, column, kind in columns:
        assert isinstance(kind, UTCDateTime) and kind.impl.timezone, (table, column, kind)


def test_a_beijing_time_is_written_as_utc_and_read_back_aware(ctx):
    """R-16.4: a moment given in Beijing time is stored as its UTC instant, on SQLite (which
    keeps no zone) as on PostgreSQL, and comes back as aware UTC."""
    commission = f.case()
    beijing = MOMENT.astimezone(clock.OFFICE_TZ)
    entry = WorkLogEntry(commission=commission, logged_on=dt.date(2026, 12, 3),
                         author=f.staff(), entry_type="contact", content="电话联系",
                         recorded_at=beijing)
    db.session.add(entry)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(WorkLogEntry, entry.id).recorded_at
    assert stored == MOMENT and stored.utcoffset() == dt.timedelta(0)
    raw = db.session.execute(sa.text(
        "SELECT recorded_at FROM work_log_entry WHERE id = :id"), {"id": entry.id}).scalar()
    if isinstance(raw, str):  # SQLite: the digits are UTC's
        assert raw.startswith("2026-12-02 16:30"), raw
    else:
        assert raw == MOMENT


def test_every_screen_formats_its_date_time_columns(app):
    """R-16.4: every list and show page of a model with date-time columns reads them in
    Beijing time (set once in the base view, so a new screen gets it for free)."""
    checked = 0
    for view in app.appbuilder.baseviews:
        if not isinstance(view, AppModelView):
            continue
        datamodel = view.datamodel
        for col in set(view.list_columns) | set(view.show_columns):
            if "." not in col and datamodel.is_datetime(col):
                assert view.formatters_columns.get(col) is show_time, (type(view).__name__, col)
                checked += 1
    assert checked >= 20


def test_an_issued_document_reads_beijing_time_on_its_pages_and_on_the_paper(app, client):
    """R-16.4: a document issued at 16:30 UTC shows 2026-12-03 00:30 on its list and show
    pages and on the PDF itself, never the stored UTC value; its list filter takes Beijing
    time."""
    with app.app_context():
        ids = full_case()
        clock.freeze(MOMENT)
        commission = db.session.get(Commission, ids.commission)
        document, created = archive.issue(db.session, DocumentKind.application, commission)
        db.session.commit()
        assert created and document.issued_at == MOMENT
        text = pdf_text(archive.file_of(document).read_bytes())
        doc_id = document.id
    assert f"生成时间：{SHOWN}".replace(" ", "") in text
    for url in ("/issueddocumentview/list/", f"/issueddocumentview/show/{doc_id}"):
        html = client.get(url).get_data(as_text=True)
        assert SHOWN in html, url
        assert "2026-12-02 16:30" not in html and "16:30:00" not in html, url
    # Its filter reads a typed time as Beijing time too: after 00:00 but not after 00:45.
    view = "/issueddocumentview/list/?_flt_1_issued_at="
    assert f"/documents/{doc_id}" in client.get(view + "2026-12-03 00:00").get_data(as_text=True)
    assert f"/documents/{doc_id}" not in client.get(view + "2026-12-03 00:45").get_data(
        as_text=True)


def test_reissuing_an_unchanged_record_later_keeps_its_version(app):
    """R-15.3 with R-16.4: the issue time on the paper does not make an unchanged record a
    new version."""
    with app.app_context():
        ids = full_case()
        commission = db.session.get(Commission, ids.commission)
        clock.freeze(MOMENT)
        first, _created = archive.issue(db.session, DocumentKind.application, commission)
        db.session.commit()
        clock.freeze(MOMENT + dt.timedelta(hours=3))
        again, created = archive.issue(db.session, DocumentKind.application, commission)
        assert (again.id, created) == (first.id, False)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(IssuedDocument)) == 1


def test_the_excel_ledger_holds_beijing_time_to_the_minute(app, client):
    """R-16.4: an assessment frozen at 16:30 UTC exports its time as the date-time
    2026-12-03 00:30 (a real date-time cell, shown to the minute)."""
    clock.freeze(MOMENT)
    with app.app_context():
        db.session.add(Assessment(period_start=dt.date(2026, 7, 1),
                                  period_end=dt.date(2026, 9, 30),
                                  subject=AssessmentSubject.department,
                                  department=f.department("住建局"), commissions_handled=3,
                                  on_time_rate=decimal.Decimal("87.5")))
        db.session.commit()
    response = client.get("/ledger/assessments.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("数据冻结时间") + 1)
    assert cell.value == dt.datetime(2026, 12, 3, 0, 30)
    assert cell.number_format == "yyyy-mm-dd hh:mm"
    assert sheet.cell(row=2, column=header.index("考核期起") + 1).value == dt.datetime(2026, 7, 1)


def test_the_dashboard_says_when_its_figures_were_computed_in_beijing_time(client):
    """R-16.4: the dashboard's "figures as of" reads like every other time."""
    clock.freeze(MOMENT)
    assert f"统计时间：{SHOWN}" in client.get("/").get_data(as_text=True)
