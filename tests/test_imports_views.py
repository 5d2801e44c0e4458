"""R-18.1: the import screen — template download, upload → dry run preview (Chinese, per row)
→ report workbook → confirm (all or nothing); bad files are Chinese messages, never a 500;
only the administrator and the window supervisor may import; the upload needs the CSRF
token."""
from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app import config as app_config
from app import create_app
from app.extensions import db
from app.imports import units
from app.models import AuditLog, Unit
from app.roles import COORDINATOR, INSPECTOR, SUPERVISOR
from tests.accounts import ADMIN_PASSWORD, ADMIN_USER
from tests.import_books import book
from tests.role_clients import role_client
from tests.test_imports_units import unit_row, GOOD_B


def _units(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Unit))


def _upload(client, data: bytes, name: str = "单位.xlsx", kind: str = "units"):
    return client.post("/imports/upload", data={"kind": kind, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _next(response) -> str:
    """Where the streamed progress page goes on to when the run is finished."""
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<progress" in html or "import-step" in html
    return re.search(r'id="import-next" href="([^"]+)"', html).group(1)


def test_upload_preview_report_and_confirm(app, client):
    """R-18.1: the upload is a dry run whose preview lists each row's result in Chinese and
    saves nothing; the report downloads with a problems column; confirm imports it."""
    with app.app_context():
        data = book(units.KIND, {"units": [unit_row(), unit_row(name="乙", credit_code=GOOD_B)]})
    page = client.get("/imports/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "建设单位" in html and "/imports/template/units.xlsx" in html
    template = client.get("/imports/template/units.xlsx")
    assert template.status_code == 200
    assert "建设单位" in load_workbook(io.BytesIO(template.data)).sheetnames
    location = _next(_upload(client, data))
    preview = client.get(location)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert 'id="count-create">2<' in html and "新增" in html and "确认导入" in html
    assert _units(app) == 0
    sha = re.search(r"/imports/preview/units/([0-9a-f]{64})", location).group(1)
    report = client.get(f"/imports/report/units/{sha}.xlsx")
    assert report.status_code == 200
    sheet = load_workbook(io.BytesIO(report.data))["建设单位"]
    assert [c.value for c in sheet[1]][:4] == ["行号", "处理结果", "变更内容", "问题"]
    done = client.get(_next(client.post(f"/imports/confirm/units/{sha}")),
                      follow_redirects=True)
    assert done.status_code == 200 and "新增 2" in done.get_data(as_text=True).replace("：", " ")
    assert _units(app) == 2
    with app.app_context():
        audit = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "import")
                                   .order_by(AuditLog.id)).all()
        assert [a.detail["dry_run"] for a in audit] == [True, False]
        assert audit[-1].detail["imported"] is True and audit[-1].detail["sha256"] == sha


def test_refused_rows_block_the_confirmation(app, client):
    """R-18.1: a refused row is shown with its reason and row number; there is no confirm
    button, and a forced confirm imports nothing."""
    with app.app_context():
        data = book(units.KIND, {"units": [unit_row(), unit_row(name="乙", credit_code="X")]})
    location = _next(_upload(client, data))
    html = client.get(location).get_data(as_text=True)
    assert 'data-row="3" data-action="refuse"' in html and "统一社会信用代码" in html
    assert "确认导入" not in html
    sha = location.rsplit("/", 1)[1]
    back = client.get(_next(client.post(f"/imports/confirm/units/{sha}")))
    assert back.status_code == 302 and "/imports/preview/" in back.location
    assert _units(app) == 0


def test_progress_of_a_large_file_is_shown(app, client, monkeypatch):
    """R-18.1: the run shows the rows read so far while it goes on (a streamed page)."""
    from app.imports import run as runner

    monkeypatch.setattr(runner, "PROGRESS_EVERY", 2)
    with app.app_context():
        data = book(units.KIND, {"units": [
            unit_row(name=f"单位{n}", credit_code=None) for n in range(7)]})
    html = _upload(client, data).get_data(as_text=True)
    assert "progress max=\"8\" value=\"2\"" in html and "value=\"8\"" in html
    assert "共" in html or "行" in html


@pytest.mark.parametrize("data, name", [
    (b"not a workbook at all", "单位.xlsx"),
    (b"PK\x03\x04garbage", "单位.xlsx"),
    (b"a,b,c\n", "单位.csv"),
    (b"", "单位.xlsx"),
])
def test_bad_files_get_a_chinese_message_never_a_500(app, client, data, name):
    """R-18.1 with R-14.9: a file that is no .xlsx workbook answers 400 with a Chinese
    message on the import page; nothing is saved."""
    response = _upload(client, data, name)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "import-error" in html
    message = re.search(r'import-error" role="alert">(.*?)</div>', html, re.S).group(1)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
    assert _units(app) == 0


def test_unknown_kind_and_hash_are_refused(client):
    """R-18.1: an unknown kind is a 400 message; an unknown or malformed hash a 404."""
    assert _upload(client, b"x", kind="weapons").status_code == 400
    assert client.get("/imports/preview/units/" + "0" * 64).status_code == 404
    assert client.get("/imports/preview/units/../../etc").status_code == 404
    assert client.get("/imports/template/nothing.xlsx").status_code == 404


def test_only_administrator_and_supervisor_may_import(app):
    """R-18.1: the window supervisor may import; a coordinator or an inspector may not."""
    supervisor = role_client(app, [SUPERVISOR])
    assert supervisor.get("/imports/").status_code == 200
    for role in (COORDINATOR, INSPECTOR):
        other = role_client(app, [role])
        assert other.get("/imports/").status_code in (302, 403)
        with app.app_context():
            data = book(units.KIND, {"units": [unit_row()]})
        assert _upload(other, data).status_code in (302, 403)
    assert _units(app) == 0


def test_upload_needs_the_csrf_token(app, database_url):
    """R-18.1: with CSRF protection on (production), an upload without the token is 400."""
    csrf_app = create_app(app_config.CsrfTestConfig(), {"SQLALCHEMY_DATABASE_URI": database_url,
                                                         "IMPORTS_DIR": app.config["IMPORTS_DIR"]})
    client = csrf_app.test_client()
    login_page = client.get("/login/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post("/login/", data={"username": ADMIN_USER, "password": ADMIN_PASSWORD,
                                 "csrf_token": token})
    with csrf_app.app_context():
        data = book(units.KIND, {"units": [unit_row()]})
    assert _upload(client, data).status_code == 400
    with csrf_app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_uploads_never_confirmed_are_forgotten(app, client):
    """R-18.1: a previewed file left unconfirmed is deleted after two days (it may hold
    personal data), at the next upload."""
    import os
    import time

    from app.views.imports import KEEP_SECONDS, imports_dir

    with app.test_request_context():
        stale = imports_dir() / ("f" * 64 + ".xlsx")
    stale.write_bytes(b"old")
    old = time.time() - KEEP_SECONDS - 60
    os.utime(stale, (old, old))
    with app.app_context():
        data = book(units.KIND, {"units": [unit_row()]})
    _next(_upload(client, data))
    assert not stale.exists()
