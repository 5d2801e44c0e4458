"""The printed 申请表 and 办结单 carry a QR code of the unit's look-up page (R-17.5)."""
from __future__ import annotations

import base64
import io

import segno
from pypdf import PdfReader

from app.documents import archive, content
from app.documents.qr import data_uri, lookup_qr
from app.domain.online_links import lookup_url
from app.extensions import db
from app.models import Commission, DocumentKind
from tests.factories import full_case
from tests.pdf_helpers import pdf_text


def _images(data: bytes) -> list:
    return [image for page in PdfReader(io.BytesIO(data)).pages for image in page.images]


def _issue(kind: DocumentKind, commission_id: int) -> bytes:
    document, _created = archive.issue(db.session, kind, db.session.get(Commission, commission_id))
    db.session.commit()
    return archive.file_of(document).read_bytes()


def test_the_qr_code_opens_the_look_up_with_the_number_filled_in(app, monkeypatch):
    """R-17.5: the code encodes PUBLIC_BASE_URL/unit/?no=<number> (the base URL a setting)."""
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://xieban.jiangcheng.gov.cn/")
    with app.app_context():
        qr = lookup_qr("JCXB-2026-0007")
    assert qr["url"] == "https://xieban.jiangcheng.gov.cn/unit/?no=JCXB-2026-0007"
    assert qr["url"] == lookup_url("https://xieban.jiangcheng.gov.cn", "JCXB-2026-0007")
    png = base64.b64decode(qr["image"].split(",", 1)[1])
    expected = io.BytesIO()
    segno.make(qr["url"], error="m", micro=False).save(expected, kind="png", scale=4, border=2)
    assert png == expected.getvalue() and png.startswith(b"\x89PNG")
    assert lookup_qr(None) is None and lookup_qr("") is None


def test_application_and_completion_forms_print_the_qr_code(ctx):
    """R-17.5: the issued 申请表 and 办结单 hold the QR image and the address written out;
    the blank form for walk-in units has none (no number yet)."""
    ids = full_case(complete=True)
    number = db.session.get(Commission, ids.commission).application_no
    for kind in (DocumentKind.application, DocumentKind.completion):
        data = _issue(kind, ids.commission)
        assert len(_images(data)) == 1, kind
        assert "扫描二维码" in pdf_text(data) and number in pdf_text(data)
    blank = content.context(DocumentKind.application, None)
    assert blank["qr"] is None


def test_the_qr_code_does_not_make_a_new_version_of_an_unchanged_form(ctx):
    """R-15.3 with R-17.5: the same number and address give the same image, so printing an
    unchanged form again returns the archived version."""
    ids = full_case()
    commission = db.session.get(Commission, ids.commission)
    first, created = archive.issue(db.session, DocumentKind.application, commission)
    again, created_again = archive.issue(db.session, DocumentKind.application, commission)
    assert created and not created_again and again.id == first.id
    assert data_uri("x") == data_uri("x")


def test_the_qr_code_of_a_text_is_drawn_once(monkeypatch):
    """R-17.5 (speed): the image of an address is remembered; printing the form again does
    not encode it again, and gives the same image."""
    made: list[str] = []
    make = segno.make

    def counted(text, **options):
        made.append(text)
        return make(text, **options)

    monkeypatch.setattr(segno, "make", counted)
    data_uri.cache_clear()
    first = data_uri("https://example.invalid/unit/?no=JCXB-2026-0099")
    again = data_uri("https://example.invalid/unit/?no=JCXB-2026-0099")
    assert first == again and made == ["https://example.invalid/unit/?no=JCXB-2026-0099"]
