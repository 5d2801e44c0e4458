"""Exports larger than EXPORT_BACKGROUND_ROWS run in the background with a download link
when ready (issue 14, item 6): audited as every export (R-13.6, R-14.4), the rows of the
asker's scope (R-14.2), the job and its file for the asker alone."""
from __future__ import annotations

import io

import openpyxl
import pytest
import sqlalchemy as sa

from app import roles
from app.extensions import db
from app.ledgers import background
from app.models import AuditAction, AuditLog, AuditResult, ExportJob, ExportStatus
from tests.role_clients import role_client
from tests.helpers import numbered_case as make_commission
from tests import factories as _f


@pytest.fixture
def small_threshold(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "EXPORT_BACKGROUND_ROWS", 2)
    monkeypatch.setitem(app.config, "EXPORTS_DIR", str(tmp_path / "exports"))
    yield
    background.wait(app)


def _cases(app, n: int = 3, coordinator=None) -> None:
    with app.app_context():
        staff = make_staff(name="王晓明") if coordinator else None
        for i in range(n):
            make_commission(f"JCXB-2026-{i + 1:04d}", coordinator=staff)
        db.session.commit()


def test_a_large_export_is_written_in_the_background_and_offered_when_ready(
        app, client, small_threshold):
    """3 rows > 2: the clerk is led to the job's page; once written, the file holds the
    rows and the export is audited with the asker and their address."""
    _cases(app)
    response = client.get("/ledger/commissions.xlsx")
    assert response.status_code == 302
    job_url = response.headers["Location"]
    assert "/ledger/jobs/" in job_url
    background.wait(app)
    page = client.get(job_url).get_data(as_text=True)
    assert 'id="xb-export-download"' in page and 'http-equiv="refresh"' not in page
    with app.app_context():
        job = db.session.scalars(sa.select(ExportJob)).one()
        assert job.status == ExportStatus.done and job.rows == 3
        audit = db.session.scalars(sa.select(AuditLog).where(
            AuditLog.action == AuditAction.export)).one()
        assert audit.username == "admin" and audit.ip == "127.0.0.1"
        assert audit.detail["background"] == job.id and audit.detail["rows"] == 3
    download = client.get(f"/ledger/jobs/{job.id}/file")
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(download.data)).active
    values = {str(c.value) for row in sheet.iter_rows() for c in row}
    assert {"JCXB-2026-0001", "JCXB-2026-0002", "JCXB-2026-0003"} <= values


def test_the_job_and_its_file_are_for_the_asker_alone(app, client, small_threshold):
    _cases(app)
    job_url = client.get("/ledger/commissions.xlsx").headers["Location"]
    background.wait(app)
    other = role_client(app, [roles.INSPECTOR])
    assert other.get(job_url).status_code == 404
    assert other.get(job_url + "/file").status_code == 404


def test_a_small_export_is_still_sent_at_once(app, client, small_threshold):
    _cases(app, n=2)
    response = client.get("/ledger/commissions.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_a_failed_background_export_says_so_and_is_audited(app, client, small_threshold,
                                                          monkeypatch):
    _cases(app)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(background, "export_rows", broken)
    job_url = client.get("/ledger/commissions.xlsx").headers["Location"]
    background.wait(app)
    page = client.get(job_url).get_data(as_text=True)
    assert 'data-state="failed"' in page
    with app.app_context():
        audit = db.session.scalars(sa.select(AuditLog).where(
            AuditLog.action == AuditAction.export)).one()
        assert audit.result == AuditResult.failed
        assert db.session.scalars(sa.select(ExportJob)).one().stored_name is None


def test_background_export_keeps_the_askers_row_scope(app, small_threshold):
    """R-14.2: the statement handed to the thread carries the coordinator's scope."""
    _cases(app, n=3, coordinator=True)
    _cases(app, n=0)
    with app.app_context():
        for i in range(4, 7):
            make_commission(f"JCXB-2026-{i:04d}")  # nobody's
        db.session.commit()
        from app.models import StaffMember
        staff_id = db.session.scalars(
            sa.select(StaffMember.id).where(StaffMember.name == "王晓明")).one()
    mine = role_client(app, [roles.COORDINATOR], staff_id=staff_id)
    job_url = mine.get("/ledger/commissions.xlsx").headers["Location"]
    background.wait(app)
    job_id = int(job_url.rstrip("/").rsplit("/", 1)[1])
    sheet = openpyxl.load_workbook(io.BytesIO(
        mine.get(f"/ledger/jobs/{job_id}/file").data)).active
    values = {str(c.value) for row in sheet.iter_rows() for c in row}
    assert "JCXB-2026-0001" in values and "JCXB-2026-0005" not in values


def make_staff(name=None, **kw):
    return _f.staff(name=name, **kw)
