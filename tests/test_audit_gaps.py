"""R-14.4, R-14.3: the audit trail's gaps closed. The assessment export is audited like every
ledger and leaves no file in the temp folder; refused attempts at a confidential material
(404 outside the row scope, 403 without the permission) are recorded, without its name.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import roles
from app.extensions import db
from app.models import AuditLog
from app.models.audit import AuditAction, AuditResult
from tests import assessment_dataset as data
from tests.conftest import login
from tests.test_materials import (  # noqa: F401  (fixtures)
    PASSWORD,
    audit_rows,
    confidential,
    files_dir,
    other_coordinator,
)

PERIOD = {"start": data.START.isoformat(), "end": data.END.isoformat()}


def _assessment_temp_files() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("assessment-*.xlsx"))


def test_the_assessment_export_is_audited_and_leaves_no_file(app, client, ctx):
    """R-14.4: /assessment/export writes an export row (who, the period, how many rows) and
    leaves no assessment-*.xlsx behind in the temp folder."""
    data.build()
    db.session.commit()
    before = _assessment_temp_files()
    response = client.get("/assessment/export", query_string=PERIOD)
    assert response.status_code == 200 and response.data[:2] == b"PK"
    response.close()
    assert _assessment_temp_files() - before == set()
    [entry] = db.session.scalars(sa.select(AuditLog).where(
        AuditLog.action == AuditAction.export, AuditLog.object_type == "Assessment"))
    assert entry.result == AuditResult.ok and entry.username == "admin"
    assert entry.detail == {"ledger": "assessment-period", "rows": 5,
                            "filters": {"start": PERIOD["start"], "end": PERIOD["end"]}}


def test_a_failed_assessment_export_is_audited_and_answers_a_message(app, client, ctx,
                                                                      monkeypatch):
    """R-14.4: an export that breaks off is recorded as failed; the user gets a message on
    the period page, not a 500."""
    from app.ledgers import xlsx

    data.build()
    db.session.commit()

    def broken(*args, **kwargs):
        raise ValueError("cannot write")

    monkeypatch.setattr(xlsx, "write", broken)
    response = client.get("/assessment/export", query_string=PERIOD)
    assert response.status_code == 302 and "/assessment/compute" in response.location
    assert "导出失败" in client.get(response.location).get_data(as_text=True)
    [entry] = db.session.scalars(sa.select(AuditLog).where(
        AuditLog.action == AuditAction.export, AuditLog.object_type == "Assessment"))
    assert entry.result == AuditResult.failed


def _refusals(app) -> list[tuple]:
    with app.app_context():
        return [(r.action, r.result, r.username, r.object_id, r.detail.get("refused"))
                for r in audit_rows(AuditAction.confidential_view)
                + audit_rows(AuditAction.confidential_download)]


def test_a_confidential_material_outside_the_row_scope_is_audited(app, confidential):  # noqa: F811
    """R-14.3: a coordinator of other cases gets 404 for the material's page and file, and
    both attempts are in the audit trail, without the material's name."""
    client, name = other_coordinator(app)
    material_id = confidential["id"]
    assert client.get(f"/materialview/show/{material_id}").status_code == 404
    assert client.get(f"/materialview/file/{material_id}").status_code == 404
    assert _refusals(app) == [
        (AuditAction.confidential_view, AuditResult.denied, name, str(material_id), "row_scope"),
        (AuditAction.confidential_download, AuditResult.denied, name, str(material_id),
         "row_scope"),
    ]
    with app.app_context():
        stored = audit_rows(AuditAction.confidential_view)[0].detail
    assert "财务报表" not in str(stored)


def test_a_confidential_material_refused_by_permission_is_audited(app, confidential):  # noqa: F811
    """R-14.3: a user whose roles do not open materials at all gets 403, recorded too."""
    with app.app_context():
        sm = app.appbuilder.sm
        auditor = sm.add_user("aud_mat_refused", "测试", "审计", "aud_mat@example.invalid",
                              [sm.find_role(roles.AUDITOR)], password=PASSWORD,
                              password_chosen=True)
        name = auditor.username
    client = app.test_client()
    login(client, name, PASSWORD)
    material_id = confidential["id"]
    try:
        assert client.get(f"/materialview/show/{material_id}").status_code == 403
        assert client.get(f"/materialview/file/{material_id}").status_code == 403
        assert client.get("/materialview/file/999999").status_code == 403
        assert _refusals(app) == [
            (AuditAction.confidential_view, AuditResult.denied, name, str(material_id),
             "permission"),
            (AuditAction.confidential_download, AuditResult.denied, name, str(material_id),
             "permission"),
        ]
    finally:
        with app.app_context():
            db.session.delete(app.appbuilder.sm.find_user(username=name))
            db.session.commit()


@pytest.mark.parametrize("pk", ["0", "-1", "abc"])
def test_odd_ids_are_refused_quietly(app, confidential, pk):  # noqa: F811
    """R-14.3: a crafted id outside the row scope answers 404 and records nothing."""
    client = app.test_client()
    login(client, confidential["inspector"], PASSWORD)
    assert client.get(f"/materialview/show/{pk}").status_code == 404
    assert _refusals(app) == []
