"""The smaller hardening items, each with its requirement: NUL bytes in passwords (R-14.9),
demo logins changed at first login (R-14.1), no caching of API answers (R-14.6), a request
size limit (R-14.9), and private instance files (R-14.4).
"""
from __future__ import annotations

import io
import stat

import pytest
import sqlalchemy as sa

from app import config as app_config
from app import create_app, instance
from app.extensions import db
from app.models import AccountSecurity
from app.security import PasswordRejected
from app.seed.accounts import DEMO_ACCOUNTS, announce_demo_accounts
from tests.accounts import ADMIN_PASSWORD, ADMIN_USER, add_account, drop_account

PASSWORD = "Small#Test2026"


# ---- passwords with NUL bytes (R-14.9) ----------------------------------------------------

@pytest.mark.parametrize("password", ["Nul#Pass\x002026", "\x00Abc#12345", "Tab#Pass\t2026"])
def test_a_password_with_control_characters_is_refused(app, password):
    """R-14.9: a password holding NUL (or another control character) is refused on every
    path that sets one, with a Chinese reason, and changes nothing."""
    name, user_id = add_account(app, "nul", PASSWORD)
    try:
        with app.app_context():
            sm = app.appbuilder.sm
            with pytest.raises(PasswordRejected, match="控制字符"):
                sm.reset_password(user_id, password, chosen=True)
            with pytest.raises(PasswordRejected, match="控制字符"):
                sm.add_user(f"{name}x", "测试", "空字符", f"{name}x@example.invalid",
                            sm.find_role(sm.auth_role_admin), password=password)
            db.session.rollback()
            assert sm.find_user(username=f"{name}x") is None
        client = app.test_client()
        client.post("/login/", data={"username": name, "password": PASSWORD})
        page = client.post("/resetmypassword/form", data={
            "old_password": PASSWORD, "password": password, "conf_password": password})
        # A NUL is refused by the request guard before the form reads it (400, R-14.9);
        # another control character reaches the form and its password rule.
        html = page.get_data(as_text=True)
        assert page.status_code in (200, 400) and "控制字符" in html, html[:300]
        with app.app_context():
            assert app.appbuilder.sm.auth_user_db(name, PASSWORD) is not None  # unchanged
    finally:
        drop_account(app, user_id)


# ---- demo logins (R-14.1) ------------------------------------------------------------------

def test_demo_logins_with_demo_password_change_it_at_first_login(app, monkeypatch):
    """R-14.1: with DEMO_PASSWORD set, every demo login must change it at the first login
    (one password shared by all of them and known to the operator), as the README says."""
    monkeypatch.setenv("DEMO_PASSWORD", "Demo#Shared2026")
    names = [a.username for a in DEMO_ACCOUNTS]
    with app.app_context():
        sm = app.appbuilder.sm
        assert not any(sm.find_user(username=n) for n in names), "demo accounts left over"
        announce_demo_accounts(db.session)
        db.session.commit()
        ids = [sm.find_user(username=n).id for n in names]
    try:
        with app.app_context():
            assert all(db.session.get(AccountSecurity, i).must_change for i in ids)
        client = app.test_client()
        client.post("/login/", data={"username": names[0], "password": "Demo#Shared2026"})
        response = client.get("/commissionview/list/")
        assert response.status_code == 302
        assert response.location.endswith("/resetmypassword/form")
    finally:
        for user_id in ids:
            drop_account(app, user_id)


# ---- API answers are not cached (R-14.6) -----------------------------------------------------

def test_api_answers_carry_no_store(app):
    """R-14.6: the token answer and every API JSON answer carry Cache-Control: no-store (a
    JWT caller is not a signed-in web user, so the pages' rule did not cover them)."""
    client = app.test_client()
    login = client.post("/api/v1/security/login", json={
        "username": ADMIN_USER, "password": ADMIN_PASSWORD, "provider": "db",
        "refresh": True})
    assert login.status_code == 200 and login.headers["Cache-Control"] == "no-store"
    tokens = login.get_json()
    answers = [
        client.get("/api/v1/commission/",
                   headers={"Authorization": f"Bearer {tokens['access_token']}"}),
        client.post("/api/v1/security/refresh",
                    headers={"Authorization": f"Bearer {tokens['refresh_token']}"}),
        client.get("/api/v1/commission/"),  # refused (401) answers too
    ]
    assert [a.status_code for a in answers] == [200, 200, 401]
    assert all(a.headers.get("Cache-Control") == "no-store" for a in answers)


# ---- request size (R-14.9) ---------------------------------------------------------------------

#: the start of a multipart body with one file part; the file's bytes follow
PART = (b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n"
        b"Content-Type: application/pdf\r\n\r\n%PDF-1.7\n")


class CountingStream(io.RawIOBase):
    """An upload of ``size`` bytes (one file part, then zeros) that counts what the server
    reads of it."""

    def __init__(self, size: int) -> None:
        self.size, self.position, self.read_bytes = size, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self.position, 2: self.size}[whence]
        self.position = max(0, min(self.size, base + offset))
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.size - self.position)
        chunk = PART[self.position:self.position + n]
        buffer[:n] = chunk + b"\0" * (n - len(chunk))
        self.position += n
        self.read_bytes += n
        return n


def test_a_60_mb_upload_is_refused_before_it_is_read(app, client):
    """R-14.9: a request larger than MATERIAL_MAX_BYTES plus the form's overhead is answered
    413 with a Chinese message, from its Content-Length, without reading the body."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert app.config["MATERIAL_MAX_BYTES"] < limit <= app.config["MATERIAL_MAX_BYTES"] + 2**21
    body = CountingStream(60 * 1024 * 1024)
    response = client.post("/materialview/add", input_stream=body,
                           content_type="multipart/form-data; boundary=xyz")
    assert response.status_code == 413
    assert "上传的文件过大" in response.get_data(as_text=True)
    assert body.read_bytes < 1024 * 1024


def test_a_body_without_length_is_cut_at_the_limit(app, client, monkeypatch):
    """R-14.9: a streamed (chunked) body with no Content-Length is read only up to the
    limit, then refused the same way."""
    from werkzeug.test import EnvironBuilder, run_wsgi_app

    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 256 * 1024)
    body = CountingStream(60 * 1024 * 1024)
    environ = EnvironBuilder(path="/materialview/add", method="POST",
                             content_type="multipart/form-data; boundary=xyz").get_environ()
    environ.pop("CONTENT_LENGTH", None)
    # As a server that handles chunked bodies hands them over (gunicorn does).
    environ.update({"wsgi.input": body, "wsgi.input_terminated": True,
                    "HTTP_TRANSFER_ENCODING": "chunked",
                    "HTTP_COOKIE": f"session={client.get_cookie('session').value}"})
    app_iter, status, _headers = run_wsgi_app(app, environ)
    page = b"".join(app_iter).decode()
    assert status.startswith("413") and "上传的文件过大" in page
    assert body.read_bytes <= 256 * 1024 + 64 * 1024


# ---- private instance files (R-14.4) ---------------------------------------------------------

def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_instance_files_are_created_private(tmp_path, monkeypatch):
    """R-14.4: the SQLite database, the secret key and the documents and materials folders
    an instance creates are 0600 / 0700, whatever the umask."""
    import os

    old_umask = os.umask(0o022)
    try:
        root = tmp_path / "instance"
        monkeypatch.setattr(app_config, "INSTANCE_DIR", root)
        monkeypatch.delenv("SECRET_KEY", raising=False)
        key = app_config.Config().SECRET_KEY
        assert len(key) == 64
        assert _mode(root) == 0o700 and _mode(root / "secret_key") == 0o600
        assert app_config.Config().SECRET_KEY == key  # kept, not made anew

        application = create_app(app_config.TestConfig(), {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'db' / 'xieban.db'}",
            "DOCUMENTS_DIR": str(root / "files" / "documents"),
            "MATERIALS_DIR": str(root / "files" / "materials")})
        with application.app_context():
            with db.engine.begin() as conn:
                conn.execute(sa.text("CREATE TABLE t (x INTEGER)"))
            db.engine.dispose()
        assert _mode(root / "db" / "xieban.db") == 0o600 and _mode(root / "db") == 0o700
        for folder in ("files", "files/documents", "files/materials"):
            assert _mode(root / folder) == 0o700, folder
        nested = instance.private_dir(root / "files" / "documents" / "2026" / "x")
        assert _mode(nested) == 0o700 and _mode(nested.parent) == 0o700
    finally:
        os.umask(old_umask)
