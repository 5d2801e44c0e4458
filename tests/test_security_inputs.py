"""Hostile input: stored markup is escaped everywhere; extra form fields change nothing."""
from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import AuditLog, Commission
from app.states import CommissionState
from tests import factories as f

SCRIPT = "<script>alert(1)</script>"


def test_script_in_a_unit_name_is_escaped(app, client):
    """R-14.1: a unit named <script> renders as text on list, show, project and lookup pages."""
    with app.app_context():
        unit = f.unit(name=f"建设{SCRIPT}公司")
        project = f.project(owner=unit, name=f"项目{SCRIPT}")
        db.session.commit()
        unit_id, project_id = unit.id, project.id
    for url in ("/unitview/list/", f"/unitview/show/{unit_id}", "/projectview/list/",
                f"/projectview/show/{project_id}"):
        html = client.get(url).get_data(as_text=True)
        assert SCRIPT not in html, url
        assert "&lt;script&gt;" in html, url
    answer = client.get("/lookup/project?q=项目")
    # JSON, never sniffed as HTML; Select2 inserts the text as text, not markup
    assert answer.headers["Content-Type"].startswith("application/json")
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_extra_fields_in_a_post_change_nothing(app, client):
    """R-14.1, R-16.1: state, application number and coordinator posted with a form are
    ignored; a commission is not added on its screen at all (its pre-review's step opens it)."""
    with app.app_context():
        project = f.project()
        coordinator = f.staff()
        commission = f.case(CommissionState.pre_review, project=project)
        db.session.commit()
        project_id, coordinator_id, pk = project.id, coordinator.id, commission.id
    response = client.post("/commissionview/add", data={
        "project": project_id, "scope": "full", "state": "completed",
        "application_no": "FORGED-1", "coordinator": coordinator_id, "completed_on": "2026-01-01",
    })
    assert response.status_code in (403, 404, 405)
    with app.app_context():
        assert db.session.scalars(sa.select(Commission)).one().id == pk
    response = client.post(f"/commissionview/edit/{pk}", data={
        "project": project_id, "scope": "full", "state": "terminated", "coordinator": coordinator_id,
        "application_no": "FORGED-1", "remarks": "改备注",
    })
    assert response.status_code == 302
    with app.app_context():
        commission = db.session.get(Commission, pk)
        assert (commission.state, commission.coordinator_id, commission.application_no) == (
            CommissionState.pre_review, None, None)
        assert commission.remarks == "改备注"
        audited = db.session.scalars(sa.select(AuditLog).where(
            AuditLog.object_type == "Commission")).all()
        assert audited, "the edit is in the audit trail"
        assert not any("terminated" in str(row.detail) or "FORGED" in str(row.detail)
                       for row in audited)
