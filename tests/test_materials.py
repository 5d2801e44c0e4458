"""申报材料 (R-14.3): checked uploads, files outside the static folder, safe downloads, and
confidential materials opened only by those who handle the case, every opening audited."""
from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from app import roles
from app.choices import Confidentiality, StaffRole
from app.extensions import db
from app.models import AuditLog, Commission, Material
from app.models.audit import AuditAction, AuditResult
from tests import factories as f
from tests.conftest import form_errors, login
from tests.helpers import record_page

PASSWORD = "Mater#Test2026"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n" + bytes(range(256))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(300)


def _zip(*members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in members:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


DOCX = _zip("[Content_Types].xml", "word/document.xml")


@pytest.fixture
def files_dir(app, tmp_path, monkeypatch):
    """MATERIALS_DIR of this test: a fresh folder."""
    folder = tmp_path / "materials"
    monkeypatch.setitem(app.config, "MATERIALS_DIR", str(folder))
    return folder


def stored_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def material_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Material))


def audit_rows(action: AuditAction) -> list[AuditLog]:
    return list(db.session.scalars(
        sa.select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def make_commission(coordinator=None) -> int:
    """A commission at work of ``coordinator`` (a new one by default); its id."""
    commission = f.case(coordinator=coordinator)
    db.session.commit()
    return commission.id


def upload(client, commission_id: int, data: bytes, name: str, **fields):
    form = {"commission": str(commission_id), "title": fields.pop("title", "申请材料"),
            "confidentiality": fields.pop("confidentiality", "none"),
            "file": (io.BytesIO(data), name), **fields}
    return client.post("/materialview/add", data=form, content_type="multipart/form-data")


# ---- uploads ----------------------------------------------------------------------------


@pytest.mark.parametrize("data,name,content_type", [
    (PDF, "规划许可申请表.pdf", "application/pdf"),
    (PNG, "现场照片.PNG", "image/png"),
    (DOCX, "授权委托书.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_valid_files_are_accepted_and_downloaded_unchanged(client, app, files_dir, data, name,
                                                          content_type):
    """R-14.3: a valid PDF / PNG / DOCX is stored outside the static folder under a random
    name; the download returns the same bytes and hash under the original name."""
    with app.app_context():
        commission_id = make_commission()
    response = upload(client, commission_id, data, name)
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        material = db.session.scalars(sa.select(Material)).one()
        assert material.original_name == name
        assert material.size == len(data)
        assert material.sha256 == hashlib.sha256(data).hexdigest()
        assert material.content_type == content_type
        [path] = stored_files(files_dir)
        assert path.name == material.stored_name and name not in str(path)
        assert path.read_bytes() == data
        static = Path(app.static_folder).resolve()
        assert static not in path.resolve().parents
        material_id = material.id
    download = client.get(f"/materialview/file/{material_id}")
    assert download.status_code == 200
    assert download.data == data
    assert hashlib.sha256(download.data).hexdigest() == hashlib.sha256(data).hexdigest()
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=UTF-8''{quote(name)}" in disposition
    assert download.headers["Content-Type"].startswith(content_type)
    assert download.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("data,name", [
    (EXE, "施工图.pdf"),  # a program renamed .pdf
    (EXE, "setup.exe"),  # a program under its own name
    (_zip("readme.txt"), "合同.docx"),  # a ZIP that is not a Word document
    (PDF, "合同.docx"),  # a PDF renamed .docx
    (b"", "empty.pdf"),
])
def test_wrong_files_are_rejected_and_nothing_is_stored(client, app, files_dir, data, name):
    """R-14.3: extension and content must agree and be on the allow-list; a refused upload
    answers 200 with a Chinese reason on the form, and leaves no row and no file."""
    with app.app_context():
        commission_id = make_commission()
        audit_before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog))
    response = upload(client, commission_id, data, name)
    assert response.status_code == 200
    errors = " ".join(form_errors(response.get_data(as_text=True)))
    assert any(word in errors for word in ("文件类型", "文件内容", "文件为空")), errors
    with app.app_context():
        assert material_count() == 0
        # nothing written: no create row either
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog)) == \
            audit_before
    assert stored_files(files_dir) == []


def test_oversize_file_is_rejected(client, app, files_dir, monkeypatch):
    """R-14.3: a file above MATERIAL_MAX_BYTES is refused with the limit in the message."""
    monkeypatch.setitem(app.config, "MATERIAL_MAX_BYTES", 1024 * 1024)
    with app.app_context():
        commission_id = make_commission()
    big = PDF + bytes(1024 * 1024)
    response = upload(client, commission_id, big, "大文件.pdf")
    assert response.status_code == 200
    errors = " ".join(form_errors(response.get_data(as_text=True)))
    assert "1 MB" in errors and "大于" in errors, errors
    with app.app_context():
        assert material_count() == 0
    assert stored_files(files_dir) == []


@pytest.mark.parametrize("name,kept", [
    ("../../../etc/cron.d/evil.pdf", "evil.pdf"),
    # (the test client's multipart encoding drops the backslashes themselves)
    ("..\\..\\windows\\system32\\evil.pdf", "windowssystem32evil.pdf"),
    ("../.hidden.pdf", "hidden.pdf"),
])
def test_path_parts_in_a_file_name_are_harmless(client, app, files_dir, tmp_path, name, kept):
    """R-14.3: ``../`` in an uploaded name reaches no other folder; the kept name has no path
    part and the download header carries none either."""
    with app.app_context():
        commission_id = make_commission()
    response = upload(client, commission_id, PDF, name)
    assert response.status_code == 302
    assert [p.parent for p in stored_files(tmp_path)] == [files_dir]
    with app.app_context():
        material = db.session.scalars(sa.select(Material)).one()
        assert material.original_name == kept
        material_id = material.id
    disposition = client.get(f"/materialview/file/{material_id}").headers["Content-Disposition"]
    assert "/" not in disposition.replace("filename*=UTF-8''", "") and ".." not in disposition
    assert "\\" not in disposition


@pytest.mark.parametrize("raw,safe", [
    ("..\\..\\windows\\evil.pdf", "evil.pdf"),
    ("C:\\Users\\张三\\Desktop\\申请表.pdf", "申请表.pdf"),
    ("/etc/passwd", "passwd"),
    ("..", ""),
    ("a\x00b\r\n.pdf", "ab.pdf"),
    ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
])
def test_safe_name_keeps_no_path_part(raw, safe):
    """R-14.3: a name from any system loses its folders, control characters and leading dots."""
    from app.storage import safe_name

    assert safe_name(raw) == safe


def test_item_of_another_commission_is_refused(client, app, files_dir):
    """R-14.3: a material's item belongs to its commission (said on the form)."""
    with app.app_context():
        first = make_commission()
        other = db.session.get(Commission, make_commission())
        item_id = other.items[0].id
    response = upload(client, first, PDF, "a.pdf", commission_item=str(item_id))
    assert response.status_code == 200
    assert form_errors(response.get_data(as_text=True))
    with app.app_context():
        assert material_count() == 0
    assert stored_files(files_dir) == []


def test_deleting_a_material_deletes_its_file_and_is_audited(client, app, files_dir):
    """R-14.3, R-14.4: the row and its file go together; the deletion is in the trail."""
    with app.app_context():
        commission_id = make_commission()
    assert upload(client, commission_id, PDF, "a.pdf").status_code == 302
    with app.app_context():
        material_id = db.session.scalar(sa.select(Material.id))
    assert client.post(f"/materialview/delete/{material_id}").status_code == 302
    assert stored_files(files_dir) == []
    with app.app_context():
        assert material_count() == 0
        [deleted] = [r for r in audit_rows(AuditAction.delete) if r.object_type == "Material"]
        assert deleted.detail["before"]["original_name"] == "a.pdf"


# ---- confidentiality ---------------------------------------------------------------------


def _reader_role(sm):
    """A role that may list and show materials (whatever the business roles hold)."""
    name = "测试-材料查看"
    role = sm.find_role(name) or sm.add_role(name)
    for permission in ("can_list", "can_show"):
        pv = sm.find_permission_view_menu(permission, "MaterialView")
        if pv not in role.permissions:
            sm.add_permission_role(role, pv)
    return role


def make_user(app, *role_names: str):
    """A new account holding ``role_names`` plus material reading; returns its name."""
    name = f"mat_{uuid.uuid4().hex[:8]}"
    sm = app.appbuilder.sm
    held = [sm.find_role(r) or sm.add_role(r) for r in role_names] + [_reader_role(sm)]
    user = sm.add_user(name, "测试", "用户", f"{name}@example.invalid", held,
                       password=PASSWORD, password_chosen=True)
    assert user, name
    return user


@pytest.fixture
def confidential(app, client, files_dir):
    """A 商业秘密 material on a commission coordinated by a logged-in-able coordinator."""
    with app.app_context():
        coordinator_user = make_user(app, roles.COORDINATOR)
        staff = f.staff(StaffRole.coordinator, user_id=coordinator_user.id)
        commission_id = make_commission(coordinator=staff)
        coordinator_name = coordinator_user.username
        inspector_name = make_user(app, roles.INSPECTOR).username
    assert upload(client, commission_id, PDF, "财务报表.pdf",
                  confidentiality=Confidentiality.trade_secret.value).status_code == 302
    with app.app_context():
        material_id = db.session.scalar(sa.select(Material.id))
    return {"id": material_id, "coordinator": coordinator_name, "inspector": inspector_name}


def test_confidential_material_is_closed_to_those_who_do_not_handle_the_case(app, confidential):
    """R-14.3, Art.5: an inspector sees that the material exists but not its name, page or
    file (404), and each refused attempt is in the audit trail."""
    client = app.test_client()
    login(client, confidential["inspector"], PASSWORD)
    material_id = confidential["id"]
    listing = client.get("/materialview/list/").get_data(as_text=True)
    assert "财务报表" not in listing and "保密材料" in listing
    assert f"/materialview/file/{material_id}" not in listing
    assert client.get(f"/materialview/show/{material_id}").status_code == 404
    assert client.get(f"/materialview/file/{material_id}").status_code == 404
    with app.app_context():
        denied = audit_rows(AuditAction.confidential_view) + \
            audit_rows(AuditAction.confidential_download)
        assert [(r.action, r.result, r.username, r.object_id) for r in denied] == [
            (AuditAction.confidential_view, AuditResult.denied, confidential["inspector"],
             str(material_id)),
            (AuditAction.confidential_download, AuditResult.denied, confidential["inspector"],
             str(material_id)),
        ]


def other_coordinator(app):
    """A client signed in as a coordinator of other cases; (client, user name)."""
    with app.app_context():
        other = make_user(app, roles.COORDINATOR)
        f.staff(StaffRole.coordinator, user_id=other.id)
        db.session.commit()
        other_name = other.username
    client = app.test_client()
    login(client, other_name, PASSWORD)
    return client, other_name


def test_another_coordinator_finds_no_material_of_a_case_not_theirs(app, confidential):
    """R-14.2, R-14.3: a coordinator of other cases does not reach the row at all (404)."""
    client, _ = other_coordinator(app)
    material_id = confidential["id"]
    assert client.get(f"/materialview/show/{material_id}").status_code == 404
    assert client.get(f"/materialview/file/{material_id}").status_code == 404
    assert "财务报表" not in client.get("/materialview/list/").get_data(as_text=True)


@pytest.mark.parametrize("who", ["coordinator", "admin"])
def test_every_allowed_opening_of_a_confidential_material_is_audited(app, client, confidential,
                                                                    who):
    """R-14.3: the commission's coordinator (and an administrator or supervisor) may open it;
    each view and each download writes its own audit row."""
    if who == "coordinator":
        client = app.test_client()
        login(client, confidential["coordinator"], PASSWORD)
    material_id = confidential["id"]
    assert client.get(f"/materialview/show/{material_id}").status_code == 200
    for _ in range(2):
        download = client.get(f"/materialview/file/{material_id}")
        assert download.status_code == 200 and download.data == PDF
    with app.app_context():
        views = audit_rows(AuditAction.confidential_view)
        downloads = audit_rows(AuditAction.confidential_download)
        assert len(views) == 1 and len(downloads) == 2
        assert all(r.result == AuditResult.ok and r.object_type == "Material"
                   and r.object_id == str(material_id) for r in views + downloads)
        assert downloads[0].detail["confidentiality"] == "trade_secret"
        assert downloads[0].detail["sha256"] == hashlib.sha256(PDF).hexdigest()


def test_ordinary_material_opens_without_audit_noise(app, client, files_dir):
    """R-14.3: only confidential materials are logged on opening."""
    with app.app_context():
        commission_id = make_commission()
    assert upload(client, commission_id, PDF, "a.pdf").status_code == 302
    with app.app_context():
        material_id = db.session.scalar(sa.select(Material.id))
    assert client.get(f"/materialview/file/{material_id}").status_code == 200
    with app.app_context():
        assert audit_rows(AuditAction.confidential_download) == []


def test_unknown_material_is_404(client, files_dir):
    """R-14.3: a missing row, or a crafted id, answers 404."""
    assert client.get("/materialview/file/999999").status_code == 404
    assert client.get("/materialview/file/..%2F..%2Fetc").status_code == 404


def test_the_commission_page_lists_its_materials(client, app, files_dir):
    """R-14.3: materials are gathered on the commission's page, with their download link."""
    with app.app_context():
        commission_id = make_commission()
    assert upload(client, commission_id, PDF, "立项批复.pdf").status_code == 302
    with app.app_context():
        material_id = db.session.scalar(sa.select(Material.id))
    html = record_page(client, f"/commissionview/show/{commission_id}")
    assert "立项批复.pdf" in html and f"/materialview/file/{material_id}" in html


def test_upload_from_the_commission_page(client, app, files_dir):
    """R-14.3: the commission page's "add" (a related view) fills the commission itself."""
    with app.app_context():
        commission_id = make_commission()
    form = client.get(f"/materialview/add?_flt_0_commission={commission_id}")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.get_data(
        as_text=True)
    response = client.post(f"/materialview/add?_flt_0_commission={commission_id}", data={
        "title": "营业执照", "confidentiality": "privacy", "file": (io.BytesIO(PNG), "照片.png")},
        content_type="multipart/form-data")
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        material = db.session.scalars(sa.select(Material)).one()
        assert material.commission_id == commission_id
        assert material.confidentiality == Confidentiality.privacy
