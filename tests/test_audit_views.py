"""审计日志 screen (R-14.4): searchable, read-only, with no route that changes a row."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from app.audit import record
from app.extensions import db
from app.models import AuditLog, Department
from app.models.audit import AuditAction, AuditResult
from tests.accounts import ADMIN_USER
from tests.conftest import login

PASSWORD = "Audit#View2026"


def _some_rows(app) -> int:
    with app.app_context():
        db.session.add(Department(name="区审计局", contact_name="王", contact_phone="0662-1"))
        db.session.commit()
        entry = record(AuditAction.login_failed, object_type="User", result=AuditResult.failed,
                       user="mallory", detail={"username": "mallory"})
        db.session.commit()
        return entry.id


def test_search_by_action_user_and_object_type(client, app):
    """R-14.4: the screen lists the trail and filters by action, user and object type."""
    failed_id = _some_rows(app)
    page = client.get("/auditlogview/list/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "审计日志" in html and "mallory" in html and "登录失败" in html

    by_action = client.get("/auditlogview/list/?_flt_0_action=login_failed")
    text = by_action.get_data(as_text=True)
    assert "mallory" in text and "区审计局" not in text
    by_user = client.get("/auditlogview/list/?_flt_3_username=mallory").get_data(as_text=True)
    assert f"/auditlogview/show/{failed_id}" in by_user
    by_type = client.get("/auditlogview/list/?_flt_3_object_type=Department").get_data(
        as_text=True)
    assert "mallory" not in by_type and "Department" in by_type


def test_show_page_prints_the_details(client, app):
    """R-14.4: a record's page shows before/after in readable (unescaped Chinese) JSON."""
    _some_rows(app)
    with app.app_context():
        created = db.session.scalars(sa.select(AuditLog).where(
            AuditLog.action == AuditAction.create, AuditLog.object_type == "Department")).one()
    html = client.get(f"/auditlogview/show/{created.id}").get_data(as_text=True)
    assert "区审计局" in html and "xb-audit-detail" in html


@pytest.mark.parametrize("method,url", [
    ("get", "/auditlogview/add"),
    ("post", "/auditlogview/add"),
    ("get", "/auditlogview/edit/{id}"),
    ("post", "/auditlogview/edit/{id}"),
    ("get", "/auditlogview/delete/{id}"),
    ("post", "/auditlogview/delete/{id}"),
    ("post", "/auditlogview/action_post"),
    ("get", "/auditlogview/action/muldelete/{id}"),
])
def test_no_route_changes_an_audit_row(client, app, method, url):
    """R-14.4: even the administrator finds no add, edit, delete or action on the trail (404 /
    405), and the row is unchanged."""
    row_id = _some_rows(app)
    response = getattr(client, method)(url.format(id=row_id), data={"username": "x"})
    assert response.status_code in (404, 405)
    with app.app_context():
        stored = db.session.get(AuditLog, row_id)
        assert stored.username == "mallory" and stored.action == AuditAction.login_failed


def test_the_view_declares_read_permissions_only(app):
    """R-14.4: the only permissions that exist on the trail are list and show."""
    with app.app_context():
        from app.views.audit import AuditLogView

        view = next(v for v in app.appbuilder.baseviews if isinstance(v, AuditLogView))
        assert sorted(view.base_permissions) == ["can_list", "can_show"]
        sm = app.appbuilder.sm
        granted = {pv.permission.name for pv in db.session.query(
            sm.permissionview_model).join(sm.viewmenu_model).filter(
            sm.viewmenu_model.name == "AuditLogView")}
        assert granted == {"can_list", "can_show"}


def test_a_reader_of_the_trail_can_search_but_not_change(app):
    """R-14.4: a role holding the trail's read permissions (as 审计员 and 督查 do) searches it;
    nothing else is open to it."""
    sm = app.appbuilder.sm
    with app.app_context():
        role = sm.find_role("测试-审计查看") or sm.add_role("测试-审计查看")
        for permission in ("can_list", "can_show"):
            pv = sm.find_permission_view_menu(permission, "AuditLogView")
            if pv not in role.permissions:
                sm.add_permission_role(role, pv)
        name = f"aud_{uuid.uuid4().hex[:8]}"
        assert sm.add_user(name, "审计", "员", f"{name}@example.invalid", [role],
                           password=PASSWORD, password_chosen=True)
    row_id = _some_rows(app)
    client = app.test_client()
    login(client, name, PASSWORD)
    assert client.get("/auditlogview/list/").status_code == 200
    assert client.get(f"/auditlogview/show/{row_id}").status_code == 200
    assert client.post(f"/auditlogview/delete/{row_id}").status_code == 404
    # the search is itself not a change: no audit row written by reading
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog).where(
            AuditLog.username == name, AuditLog.action != AuditAction.login)) == 0


def test_times_show_in_beijing_time(client, app):
    """R-14.4, R-16.4: the trail stores UTC and the list prints Beijing time to the minute,
    as every screen does."""
    from app import clock

    clock.freeze("2026-12-02T16:30:00+00:00")
    _some_rows(app)
    html = client.get("/auditlogview/list/").get_data(as_text=True)
    assert "2026-12-03 00:30" in html and "2026-12-02 16:30" not in html


def test_admin_name_is_recorded_on_screen_changes(client, app):
    """R-14.4: who: the screen shows the acting account's name."""
    client.post("/departmentview/add", data={
        "name": "区审计二局", "contact_name": "王", "contact_phone": "13912345678",
        "sort_order": "1"})
    html = client.get("/auditlogview/list/?_flt_3_object_type=Department").get_data(
        as_text=True)
    assert ADMIN_USER in html


def test_time_filters_read_beijing_time(client, app):
    """R-14.4: searching by time uses Beijing time, whatever the database stores (UTC)."""
    import datetime as dt

    with app.app_context():
        entry = record(AuditAction.export, detail={"ledger": "t"})
        entry.at = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.timezone.utc)  # 09:00 in Beijing
        db.session.commit()
        link = f"/auditlogview/show/{entry.id}"

    def listed(query: str) -> bool:
        return link in client.get(f"/auditlogview/list/?{query}").get_data(as_text=True)

    assert listed("_flt_0_at=2026-03-02 08:30:00")
    assert not listed("_flt_0_at=2026-03-02 09:30:00")
    assert listed("_flt_1_at=2026-03-02 09:30:00")
    assert not listed("_flt_1_at=2026-03-02 08:30:00")
