"""The document actions through the screens (R-9.1, R-10.2, R-15.1–R-15.3): 办结 and 终止委托
issue their forms in one transaction, print and download, the archive's versions, the ZIP
of a multi-row selection, auditing, and row-level access on every route (R-14.2)."""
from __future__ import annotations

import io
import zipfile

import pytest
import sqlalchemy as sa

from app import roles
from app.documents import archive, render
from app.domain import approvals, closing
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.models import (
    AuditLog,
    Commission,
    CommissionStateChange,
    Delivery,
    DocumentKind,
    IssuedDocument,
    Notification,
    Termination,
)
from app.states import CommissionState
from tests.factories import D, full_case, opened
from tests.pdf_helpers import assert_in_order, pdf_text
from tests.role_clients import role_client

CAL = WorkCalendar()


@pytest.fixture(autouse=True)
def documents_dir(app, tmp_path, monkeypatch):
    """Issued files go to a temporary folder, not the instance folder."""
    monkeypatch.setitem(app.config, "DOCUMENTS_DIR", str(tmp_path / "documents"))
    return tmp_path / "documents"


def _step(client, pk, key, **data):
    return client.post(f"/workflow/commission/{pk}/{key}", data=data, follow_redirects=False)


def _delivering(app, signed: bool) -> int:
    """A commission whose results are being delivered; ``signed``: the receipt is signed."""
    with app.app_context():
        commission = opened()
        for item in commission.items:
            approvals.submit(db.session, item, on=D("2025-10-13"))
            approvals.accept(db.session, item, on=D("2025-10-14"), cal=CAL)
            approvals.approve(db.session, item, on=D("2025-10-20"))
        closing.start_delivery(db.session, commission)
        if signed:
            db.session.add(Delivery(commission=commission, method="visit",
                                    delivered_on=D("2025-10-21"),
                                    receipt_signed_on=D("2025-10-22"), signer="陈经办"))
        db.session.commit()
        return commission.id


def _documents(app, pk=None) -> list[IssuedDocument]:
    with app.app_context():
        query = sa.select(IssuedDocument).order_by(IssuedDocument.id)
        if pk is not None:
            query = query.where(IssuedDocument.commission_id == pk)
        rows = db.session.scalars(query).all()
        db.session.expunge_all()
        return rows


def _state(app, pk) -> CommissionState:
    with app.app_context():
        return db.session.get(Commission, pk).state


def test_completion_refused_with_a_reason_then_issues_the_completion_form(app, client):
    """R-9.1, R-15.3: 办结 checks its preconditions (refused with the reason, nothing issued);
    once met, the commission is completed and the 协办办结单 issued, archived and audited."""
    pk = _delivering(app, signed=False)
    response = _step(client, pk, "complete", on="2025-10-23")
    # refused by the domain's own precondition, before any form
    assert response.status_code == 302
    assert "送达回执" in client.get(response.location).get_data(as_text=True)
    assert _state(app, pk) == CommissionState.delivering and _documents(app) == []

    with app.app_context():
        db.session.add(Delivery(commission_id=pk, method="visit", delivered_on=D("2025-10-21"),
                                receipt_signed_on=D("2025-10-22"), signer="陈经办"))
        db.session.commit()
    assert _step(client, pk, "complete", on="2025-10-23").status_code == 302
    assert _state(app, pk) == CommissionState.completed
    [document] = _documents(app)
    assert (document.kind, document.version, document.commission_id) == (
        DocumentKind.completion, 1, pk)
    with app.app_context():
        assert archive.intact(document)
        text = pdf_text(archive.file_of(document).read_bytes())
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog).where(
            AuditLog.action == "document_issued", AuditLog.object_id == str(document.id))) == 1
    assert_in_order(text, ["协办办结单", "2025", "年", "10", "月", "23", "日完成审批协办服务"])


def test_a_failed_render_changes_nothing(app, client, monkeypatch, documents_dir):
    """R-9.1: completion and its form are one transaction: if the PDF cannot be produced the
    commission stays where it was, no history, no document, no file; the reason is shown."""
    pk = _delivering(app, signed=True)

    def broken(html, font):
        raise render.RenderError("文书生成失败（测试）")

    monkeypatch.setattr(render, "html_to_pdf", broken)
    response = _step(client, pk, "complete", on="2025-10-23")
    assert response.status_code == 200 and "文书生成失败（测试）" in response.get_data(as_text=True)
    assert _state(app, pk) == CommissionState.delivering
    assert _documents(app) == []
    assert not documents_dir.exists() or not any(documents_dir.rglob("*.pdf"))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(
            CommissionStateChange).where(CommissionStateChange.commission_id == pk,
                                         CommissionStateChange.to_state == "completed")) == 0


def test_a_completed_commission_cannot_be_completed_twice_or_terminated(app, client):
    """R-9.1, R-10.2: after 办结 neither 办结 nor 终止委托 is possible; nothing more is issued."""
    from app.choices import TerminationReason
    from app.documents import steps
    from app.domain.errors import DomainError

    pk = _delivering(app, signed=True)
    assert _step(client, pk, "complete", on="2025-10-23").status_code == 302
    for key, data in (("complete", {"on": "2025-10-24"}),
                      ("terminate", {"reason": "unit_request", "issued_on": "2025-10-24"})):
        response = _step(client, pk, key, **data)
        assert response.status_code == 302  # the step is not open: flashed, nothing done
    assert _state(app, pk) == CommissionState.completed
    assert len(_documents(app)) == 1
    with app.app_context():
        commission = db.session.get(Commission, pk)
        with pytest.raises(DomainError):
            steps.complete(db.session, commission, completed_on=D("2025-10-24"))
        db.session.rollback()
        with pytest.raises(DomainError):
            steps.terminate(db.session, commission, reason=TerminationReason.unit_request,
                            reason_text=None, issued_on=D("2025-10-24"), confirm_days=5, cal=CAL)
        db.session.rollback()
    assert len(_documents(app)) == 1


def test_termination_issues_the_form_notifies_the_unit_and_starts_the_wait(app, client):
    """R-10.2: 终止委托 asks for the reason (category and text; “other” needs the text),
    issues the 协办委托终止单, queues the message to the unit and sets the confirmation due."""
    with app.app_context():
        pk = opened().id
        db.session.commit()
    response = _step(client, pk, "terminate", reason="other", issued_on="2025-10-16")
    assert response.status_code == 200 and _documents(app) == []
    response = _step(client, pk, "terminate", reason="unit_request",
                     reason_text="项目投资计划调整", issued_on="2025-10-16")
    assert response.status_code == 302
    assert _state(app, pk) == CommissionState.terminating
    [document] = _documents(app)
    assert document.kind == DocumentKind.termination
    with app.app_context():
        termination = db.session.scalars(sa.select(Termination)).one()
        assert termination.confirm_due_on is not None
        templates = db.session.scalars(sa.select(Notification.template)).all()
        assert "termination_notice" in templates
        text = pdf_text(archive.file_of(document).read_bytes())
    # before the unit confirms, the copy says it awaits confirmation
    assert_in_order(text, ["待建设单位确认", "现因", "建设单位要求终止协办委托", "项目投资计划调整",
                           "拟终止协办委托，已于", "2025", "年", "10", "月", "16", "日告知建设单位"])


def test_reissue_after_a_change_makes_a_new_version_and_keeps_the_old(app, client):
    """R-15.3: printing an unchanged record serves the archived version; after a change a
    new version is issued; the old row and file stay, downloadable as issued."""
    with app.app_context():
        ids = full_case()
    url = f"/documents/commission/{ids.commission}/print/application"
    first = client.post(url)
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert client.post(url).data == first.data
    assert [d.version for d in _documents(app)] == [1]

    with app.app_context():
        commission = db.session.get(Commission, ids.commission)
        old_name = commission.project.unit.name
        commission.project.unit.name = "阳江市更名后建设有限公司"
        db.session.commit()
    second = client.post(url)
    assert second.status_code == 200 and second.data != first.data
    v1, v2 = _documents(app)
    assert (v1.version, v2.version) == (1, 2) and v1.sha256 != v2.sha256
    with app.app_context():
        assert archive.intact(v1) and archive.intact(v2)
    old = client.get(f"/documents/{v1.id}")
    assert old.status_code == 200 and old.data == first.data
    assert old_name in pdf_text(old.data)
    assert "阳江市更名后建设有限公司" in pdf_text(second.data)
    page = client.get(f"/documents/commission/{ids.commission}").get_data(as_text=True)
    assert f"/documents/{v1.id}" in page and f"/documents/{v2.id}" in page


def test_print_page_and_every_paper_of_a_commission(app, client):
    """R-15.1: the print page lists each document of the commission; each prints as a PDF."""
    with app.app_context():
        ids = full_case(complete=True)
    page = client.get(f"/documents/commission/{ids.commission}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for path in ("application", "completion", f"approval_plan/{ids.plan}",
                 f"material_notice/{ids.notice}", f"delivery_receipt/{ids.delivery}",
                 f"meeting_minutes/{ids.meeting}", f"revisit_record/{ids.revisit}"):
        url = f"/documents/commission/{ids.commission}/print/{path}"
        assert url in html
        response = client.post(url)
        assert response.status_code == 200 and response.data.startswith(b"%PDF"), path
    # a record of another commission, or a form the state does not have yet, is refused
    assert client.post(f"/documents/commission/{ids.commission}/print/revisit_record/0"
                       ).status_code == 404
    assert client.post(f"/documents/commission/{ids.commission}/print/termination"
                       ).status_code == 302


def test_zip_of_pdfs_for_a_multi_row_selection(app, client):
    """R-15.1: a print action on several rows returns a ZIP of PDFs, on one row the PDF;
    rows without the document are left out, none at all is said on the page."""
    with app.app_context():
        one = opened("江城一号产业园").id
        two = opened("江城二号产业园").id
        db.session.commit()
        numbers = [db.session.get(Commission, pk).application_no for pk in (one, two)]
    response = client.post("/commissionview/action_post",
                           data={"action": "print_application", "rowid": [str(one), str(two)]})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as bundle:
        names = bundle.namelist()
        assert len(names) == 2 and all(n.endswith(".pdf") for n in names)
        assert {n.split("/")[0] for n in names} == set(numbers)
        assert all(bundle.read(n).startswith(b"%PDF") for n in names)
    single = client.post("/commissionview/action_post",
                         data={"action": "print_application", "rowid": [str(one)]})
    assert single.status_code == 200 and single.mimetype == "application/pdf"
    none = client.post("/commissionview/action_post",
                       data={"action": "print_completion", "rowid": [str(one), str(two)]})
    assert none.status_code == 302
    everything = client.post("/commissionview/action_post",
                             data={"action": "print_all", "rowid": [str(one)]})
    assert everything.mimetype == "application/zip"


def test_blank_form_download_and_audit(app, client):
    """R-15.2, R-14.4: the blank form prints for walk-in units; a download is audited."""
    blank = client.get("/documents/blank")
    assert blank.status_code == 200 and blank.mimetype == "application/pdf"
    assert "●" not in pdf_text(blank.data) and "委托协办申请表" in pdf_text(blank.data)
    with app.app_context():
        ids = full_case()
    client.post(f"/documents/commission/{ids.commission}/print/application")
    [document] = _documents(app)
    assert client.get(f"/documents/{document.id}").status_code == 200
    with app.app_context():
        downloads = db.session.scalars(sa.select(AuditLog).where(
            AuditLog.action == archive.DOWNLOADED, AuditLog.object_type == "IssuedDocument",
            AuditLog.object_id == str(document.id)).order_by(AuditLog.id)).all()
        assert [row.detail["via"] for row in downloads] == ["print", "download"]
    assert client.get("/documents/999999").status_code == 404
    anonymous = app.test_client().get(f"/documents/{document.id}")
    assert anonymous.status_code == 302 and "/login/" in anonymous.location



def test_one_print_is_one_transaction(app, client):
    """R-15.3, R-14.4 (issue 16): a print commits once: the new version, its issue and its
    download in the audit trail together; the file is sent under the application number,
    with no statement after the commit. Printing the unchanged record again hands out the
    same version, its download audited again."""
    with app.app_context():
        ids = full_case()
        number = db.session.get(Commission, ids.commission).application_no
    url = f"/documents/commission/{ids.commission}/print/application"
    seen: list[str] = []

    def statement(*args):
        seen.append("statement")

    def commit(*args):
        seen.append("commit")

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", statement)
    sa.event.listen(engine, "commit", commit)
    try:
        first = client.post(url)
        at_first = list(seen)
        again = client.post(url)
    finally:
        sa.event.remove(engine, "before_cursor_execute", statement)
        sa.event.remove(engine, "commit", commit)
    assert first.status_code == again.status_code == 200 and first.data == again.data
    assert number and number in first.headers["Content-Disposition"]
    assert at_first.count("commit") == 1 and at_first[-1] == "commit"
    assert seen.count("commit") == 2 and seen[-1] == "commit"
    [document] = _documents(app, ids.commission)
    with app.app_context():
        trail = db.session.scalars(sa.select(AuditLog).where(
            AuditLog.object_type == "IssuedDocument",
            AuditLog.object_id == str(document.id)).order_by(AuditLog.id)).all()
        assert [(row.action, row.detail.get("via")) for row in trail] == [
            ("document_issued", None), (archive.DOWNLOADED, "print"),
            (archive.DOWNLOADED, "print")]


# ---- row-level access (R-14.2) -------------------------------------------------------
ARCHIVE_READER = "文书查阅（测试）"


@pytest.fixture
def coordinator_client(app):
    """A logged-in 协办员 linked to a roster entry (a factory taking the roster id).

    Holds the 协办员 role (app/roles.py) plus read access to the archive list, which the
    role table does not grant yet."""
    def make(staff_id: int):
        with app.app_context():
            sm = app.appbuilder.sm
            extra = sm.find_role(ARCHIVE_READER) or sm.add_role(ARCHIVE_READER)
            for permission in ("can_list", "can_show"):
                pv = sm.find_permission_view_menu(permission, "IssuedDocumentView")
                if pv not in extra.permissions:
                    sm.add_permission_role(extra, pv)
        return role_client(app, [roles.COORDINATOR, ARCHIVE_READER], staff_id)

    # The account stays (unique name, as FAB's tables are not emptied between tests):
    # rows it issued refer to it until the domain tables are emptied after the test.
    return make


def test_a_coordinator_cannot_print_another_coordinators_commission(app, client,
                                                                    coordinator_client):
    """R-14.2, R-15.3: every document route and action answers 404 for someone else's
    commission (print page, print, download, archive row, single and multi-row actions,
    the completion step); the coordinator's own commission prints."""
    from tests import factories as f

    with app.app_context():
        other = full_case(complete=True)
        mine_staff = f.staff(name="王协办", phone="13711112222")
        mine = opened("江城自有产业园", coordinator=mine_staff).id
        db.session.commit()
        mine_staff_id = mine_staff.id
    assert client.post(f"/documents/commission/{other.commission}/print/completion"
                       ).status_code == 200
    [theirs] = _documents(app, other.commission)
    coordinator = coordinator_client(mine_staff_id)

    own = coordinator.post(f"/documents/commission/{mine}/print/application")
    assert own.status_code == 200 and own.mimetype == "application/pdf"

    pk = other.commission
    for method, url, data in (
        ("get", f"/documents/commission/{pk}", None),
        ("post", f"/documents/commission/{pk}/print/application", None),
        ("post", f"/documents/commission/{pk}/print/completion", None),
        ("post", f"/documents/commission/{pk}/print/approval_plan/{other.plan}", None),
        ("get", f"/documents/{theirs.id}", None),
        ("get", f"/issueddocumentview/show/{theirs.id}", None),
        ("post", f"/commissionview/action/print_application/{pk}", None),
        ("post", f"/commissionview/action/documents/{pk}", None),
        ("post", "/commissionview/action_post", {"action": "print_all", "rowid": [str(pk)]}),
        ("post", "/commissionview/action_post",
         {"action": "print_application", "rowid": [str(mine), str(pk)]}),
        ("post", f"/workflow/commission/{pk}/complete", {"on": "2025-10-24"}),
    ):
        response = getattr(coordinator, method)(url, data=data)
        assert response.status_code == 404, (url, response.status_code)
    listing = coordinator.get("/issueddocumentview/list/").get_data(as_text=True)
    assert f"/documents/{theirs.id}" not in listing
    assert len(_documents(app, pk)) == 1  # nothing was issued for the other commission


def test_two_clerks_issuing_at_once_get_consecutive_versions(app, monkeypatch):
    """R-15.3: the version number is unique per document; a clerk who computed the same
    next version as another (read before the other's commit) gets the next one instead."""
    with app.app_context():
        ids = full_case()
        commission = db.session.get(Commission, ids.commission)
        first, _created = archive.issue(db.session, DocumentKind.application, commission)
        db.session.commit()
        commission.project.unit.name = "阳江市并发测试建设有限公司"
        db.session.commit()
        monkeypatch.setattr(archive, "newest", lambda *args: None)  # read before the commit
        second, created = archive.issue(db.session, DocumentKind.application, commission)
        db.session.commit()
        assert created and (first.version, second.version) == (1, 2)
        assert archive.intact(first) and archive.intact(second)
