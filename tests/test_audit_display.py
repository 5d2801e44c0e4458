"""The audit trail shows what the screens show, to every reader (R-14.7)."""
from __future__ import annotations

import io
import re

import sqlalchemy as sa

from app import roles
from app.choices import Confidentiality
from app.extensions import db
from app.models import AuditLog, Material, Unit
from tests import factories as f
from tests.role_clients import role_client

PHONE = "13912345678"
MASKED = "139****5678"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"


def _detail(html: str) -> str:
    blocks = re.findall(r'<(pre|table) class="[^"]*xb-audit-detail">(.*?)</\1>', html, re.DOTALL)
    return "".join(block for _tag, block in blocks)


def _rows(app, object_type: str) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditLog.id).where(
            AuditLog.object_type == object_type).order_by(AuditLog.id)))


def _readers(app) -> dict[str, object]:
    return {"inspector": role_client(app, [roles.INSPECTOR]),
            "auditor": role_client(app, [roles.AUDITOR])}


def test_phone_numbers_in_the_trail_are_masked_as_on_the_unit_page(app, client):
    """R-14.7, R-14.5: a unit's phones recorded on create and update show masked to the
    inspector and the auditor (as the unit page masks them), in full to the administrator."""
    with app.app_context():
        unit = f.unit()
        db.session.commit()
        unit_id = unit.id
    with app.app_context():
        db.session.get(Unit, unit_id).leader_phone = PHONE
        db.session.commit()
    rows = _rows(app, "Unit")
    assert len(rows) == 2
    readers = _readers(app)
    unit_page = readers["inspector"].get(f"/unitview/show/{unit_id}").get_data(as_text=True)
    assert PHONE not in unit_page and MASKED in unit_page
    for name, reader in readers.items():
        for pk in rows:
            response = reader.get(f"/auditlogview/show/{pk}")
            assert response.status_code == 200, name
            shown = _detail(response.get_data(as_text=True))
            assert PHONE not in shown, (name, pk)
        assert MASKED in _detail(reader.get(f"/auditlogview/show/{rows[1]}").get_data(
            as_text=True))
    assert PHONE in _detail(client.get(f"/auditlogview/show/{rows[1]}").get_data(as_text=True))


def test_a_confidential_material_is_not_named_in_the_trail(app, client, tmp_path, monkeypatch):
    """R-14.7, R-14.3: the title and file name of a confidential material, which the
    inspector and auditor get a 404 for, do not show on its audit records either (upload,
    edit, refused openings); the administrator, who may open it, sees them."""
    monkeypatch.setitem(app.config, "MATERIALS_DIR", str(tmp_path))
    with app.app_context():
        commission = f.case()
        db.session.commit()
        commission_id = commission.id
    response = client.post("/materialview/add", data={
        "commission": str(commission_id), "title": "财务报表机密", "file": (io.BytesIO(PDF),
                                                                       "资产负债表.pdf"),
        "confidentiality": Confidentiality.trade_secret.value},
        content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        material_id = db.session.scalar(sa.select(Material.id))
    readers = _readers(app)
    assert readers["inspector"].get(f"/materialview/show/{material_id}").status_code == 404
    rows = _rows(app, "Material")
    assert rows, "the upload and the refused opening are audited"
    for name, reader in readers.items():
        for pk in rows:
            html = reader.get(f"/auditlogview/show/{pk}").get_data(as_text=True)
            assert "财务报表机密" not in html and "资产负债表" not in html, (name, pk)
            assert "保密" in _detail(html)
        listing = reader.get("/auditlogview/list/").get_data(as_text=True)
        assert "财务报表机密" not in listing and "资产负债表" not in listing
    admin_view = _detail(client.get(f"/auditlogview/show/{rows[0]}").get_data(as_text=True))
    assert "财务报表机密" in admin_view


def test_a_deleted_confidential_material_stays_unnamed(app, client, tmp_path, monkeypatch):
    """R-14.7: after the material is deleted, its recorded marking still hides its name."""
    monkeypatch.setitem(app.config, "MATERIALS_DIR", str(tmp_path))
    with app.app_context():
        commission = f.case()
        db.session.commit()
        commission_id = commission.id
    client.post("/materialview/add", data={
        "commission": str(commission_id), "title": "个人隐私材料", "file": (io.BytesIO(PDF),
                                                                      "身份证.pdf"),
        "confidentiality": Confidentiality.privacy.value}, content_type="multipart/form-data")
    with app.app_context():
        material_id = db.session.scalar(sa.select(Material.id))
    assert client.post(f"/materialview/delete/{material_id}").status_code == 302
    rows = _rows(app, "Material")
    assert len(rows) >= 2
    auditor = _readers(app)["auditor"]
    for pk in rows:
        html = auditor.get(f"/auditlogview/show/{pk}").get_data(as_text=True)
        assert "个人隐私材料" not in html and "身份证" not in html, pk


def test_the_auditor_never_sees_more_than_the_inspector(app, client, tmp_path, monkeypatch):
    """R-14.7: on every audit record the auditor's details equal the inspector's."""
    monkeypatch.setitem(app.config, "MATERIALS_DIR", str(tmp_path))
    with app.app_context():
        commission = f.case()
        f.pre_review()
        db.session.commit()
        commission_id = commission.id
    client.post("/materialview/add", data={
        "commission": str(commission_id), "title": "技术方案", "file": (io.BytesIO(PDF), "a.pdf"),
        "confidentiality": Confidentiality.technical_secret.value},
        content_type="multipart/form-data")
    readers = _readers(app)
    with app.app_context():
        every = list(db.session.scalars(sa.select(AuditLog.id)))
    assert len(every) > 5
    for pk in every:
        seen = {name: _detail(reader.get(f"/auditlogview/show/{pk}").get_data(as_text=True))
                for name, reader in readers.items()}
        assert seen["auditor"] == seen["inspector"], pk
