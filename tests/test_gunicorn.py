"""Production shape: gunicorn (gunicorn.conf.py) serving ``app:create_app()`` with two workers
on 127.0.0.1, after the deploy steps (``flask db upgrade``, ``flask sync-perms``,
``flask ensure-admin``), on a fresh database of the suite's kind: PostgreSQL in the suite's
PostgreSQL run (skipped locally, failing in CI, when it is unreachable), a SQLite file in the
SQLite run. Driven over HTTP with the standard library: a login with its CSRF token, a list
page, /health; JSON logs; workers never sync permissions; a clean stop."""
from __future__ import annotations

import http.cookiejar
import json
import os
import signal
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa
from bench.load import csrf_token, free_port, wait_for_health

ROOT = Path(__file__).resolve().parent.parent
ADMIN = "ops_admin"
PASSWORD = "Gunicorn#Pass2026"
PERMISSION_TABLES = ("ab_permission", "ab_view_menu", "ab_permission_view",
                     "ab_permission_view_role", "ab_role")


def _flask(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"flask {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _permission_rows(url: str) -> dict[str, list]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {t: sorted(tuple(r) for r in conn.exec_driver_sql(f"SELECT * FROM {t}"))
                    for t in PERMISSION_TABLES}
    finally:
        engine.dispose()


def _drop_one_admin_permission(url: str) -> None:
    """Take one permission from Admin: a worker that synced permissions would give it back."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            row = conn.exec_driver_sql(
                "SELECT pvr.id FROM ab_permission_view_role pvr "
                "JOIN ab_role r ON r.id = pvr.role_id "
                "JOIN ab_permission_view pv ON pv.id = pvr.permission_view_id "
                "JOIN ab_permission p ON p.id = pv.permission_id "
                "WHERE r.name = 'Admin' AND p.name = 'can_delete' ORDER BY pvr.id").first()
            conn.execute(sa.text("DELETE FROM ab_permission_view_role WHERE id = :id"),
                         {"id": row[0]})
    finally:
        engine.dispose()


def test_gunicorn_two_workers_login_list_and_health(fresh_database, tmp_path):
    """Deploy steps, then gunicorn with 2 workers: login (CSRF), list page, /health; every
    log line is JSON; permissions untouched by the workers even with FAB_UPDATE_PERMS=1 in
    their environment; SIGTERM stops it cleanly."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TEST_", "FAB_", "LOG_", "GUNICORN_", "WEB_CONCURRENCY"))}
    env.update({
        "DATABASE_URL": fresh_database, "INSTANCE_DIR": str(tmp_path / "instance"),
        "SECRET_KEY": "gunicorn-test-" + "x" * 32, "ADMIN_USERNAME": ADMIN,
        "ADMIN_PASSWORD": PASSWORD, "PYTHONUNBUFFERED": "1",
    })
    _flask(env, "db", "upgrade", "heads")  # "heads": migration branches still under way
    _flask(env, "sync-perms")
    _flask(env, "ensure-admin")
    _drop_one_admin_permission(fresh_database)
    permissions_before = _permission_rows(fresh_database)

    served = {**env, "WEB_CONCURRENCY": "2", "GUNICORN_BIND": f"127.0.0.1:{port}",
              "LOG_FORMAT": "json", "FAB_UPDATE_PERMS": "1"}
    out, err = tmp_path / "gunicorn.out", tmp_path / "gunicorn.err"
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT, env=served, stdout=stdout, stderr=stderr, start_new_session=True)
    try:
        wait_for_health(base, process, err)
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

        with opener.open(f"{base}/login/", timeout=30) as response:
            token = csrf_token(response.read().decode())
        form = urllib.parse.urlencode({"username": ADMIN, "password": PASSWORD,
                                       "csrf_token": token}).encode()
        with opener.open(f"{base}/login/", data=form, timeout=30) as response:
            assert response.status == 200
            assert "/login/" not in response.geturl(), "the login was refused"

        for _ in range(4):  # several requests: whichever worker answers knows the session
            with opener.open(f"{base}/commissionview/list/", timeout=60) as response:
                assert response.status == 200
                assert response.geturl().endswith("/commissionview/list/")
                page = response.read().decode()
            assert "/logout/" in page

        request = urllib.request.Request(f"{base}/health", headers={"X-Request-ID": "probe-77"})
        with opener.open(request, timeout=30) as response:
            assert response.status == 200
            assert json.loads(response.read()) == {"status": "ok", "database": "ok"}
            assert response.headers["X-Request-ID"] == "probe-77", \
                "no request id: is init_logging(app) called in create_app()?"
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            returncode = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            pytest.fail("gunicorn did not stop within 60 s of SIGTERM")
    assert returncode == 0, err.read_text()

    lines = [line for line in err.read_text().splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is JSON
    messages = [e["message"] for e in entries]
    assert sum(m.startswith("Booting worker") for m in messages) == 2
    assert any("FAB_UPDATE_PERMS is ignored" in m for m in messages)
    assert any(m.startswith("Handling signal: term") for m in messages)
    access = [e for e in entries if e["logger"] == "gunicorn.access"]
    assert any(e["path"] == "/health" and e["status"] == 200 and e["request_id"] == "probe-77"
               for e in access)
    assert any(e["path"] == "/commissionview/list/" and e["user"] == ADMIN for e in access)
    assert not out.read_text().strip()  # nothing stray on stdout
    assert _permission_rows(fresh_database) == permissions_before
