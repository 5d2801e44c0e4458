"""The menu is rendered once per role set, language and role definitions' version, then
reused (issue 16 item 2: cached chrome; app/views/chrome.py)."""
from __future__ import annotations

import pytest
from flask import template_rendered

from app.views import chrome
from tests.conftest import login
from tests.accounts import ADMIN_PASSWORD, ADMIN_USER
from tests.role_clients import role_client

LIST = "/commissionview/list/"


@pytest.fixture
def menus(app):
    """The menu renders of the test (the kept menus start empty)."""
    chrome._kept.clear()
    rendered: list[str] = []

    def record(_sender, template, context, **_extra):
        if template.name == chrome.TEMPLATE:
            rendered.append(template.name)

    template_rendered.connect(record, app)
    yield rendered
    template_rendered.disconnect(record, app)
    chrome._kept.clear()


def _role(app, name: str, *entries: tuple[str, str]) -> None:
    with app.app_context():
        sm = app.appbuilder.sm
        role = sm.add_role(name)
        for permission, view in entries:
            sm.add_permission_role(role, sm.find_permission_view_menu(permission, view))


def test_menu_is_rendered_once_per_role_set_and_language_issue16(app, menus):
    """Issue 16 item 2: the second page of the same role set reuses the menu; a user of
    other roles gets his own (never the other's entries); another language its own."""
    _role(app, "菜单角色一", ("can_list", "CommissionView"), ("menu_access", "Commissions"),
          ("menu_access", "Casework"))
    first = role_client(app, ["菜单角色一"])
    # another user of the same roles (made first: giving a user roles renders menus afresh)
    second = role_client(app, ["菜单角色一"])
    assert first.get(LIST).status_code == 200 and len(menus) == 1
    html = first.get(LIST).get_data(as_text=True)
    assert len(menus) == 1  # kept
    assert "委托协办" in html and "/roles/list/" not in html
    assert second.get(LIST).status_code == 200 and len(menus) == 1

    admin = app.test_client()
    login(admin, ADMIN_USER, ADMIN_PASSWORD)
    assert "/roles/list/" in admin.get(LIST).get_data(as_text=True)
    assert len(menus) == 2
    assert "/roles/list/" not in first.get(LIST).get_data(as_text=True)

    admin.get("/lang/en")
    english = admin.get(LIST).get_data(as_text=True)
    assert len(menus) == 3 and "Commissions" in english


def test_a_role_change_renders_the_menu_again_r14_2(app, menus):
    """Issue 16 item 2, R-14.2: a menu entry given to a role shows on its users' next page,
    though their menu was kept."""
    _role(app, "菜单角色二", ("can_list", "CommissionView"), ("menu_access", "Commissions"),
          ("menu_access", "Casework"), ("can_list", "PreReviewView"))
    client = role_client(app, ["菜单角色二"])
    assert "/prereviewview/list/" not in client.get(LIST).get_data(as_text=True)
    with app.app_context():
        sm = app.appbuilder.sm
        sm.add_permission_role(sm.find_role("菜单角色二"),
                               sm.find_permission_view_menu("menu_access", "Pre-reviews"))
    assert "/prereviewview/list/" in client.get(LIST).get_data(as_text=True)
    assert len(menus) == 2


def test_list_rows_carry_fabs_buttons_without_a_script_each_issue16(app, client):
    """Issue 16 item 3: each row's show, edit and delete buttons address that row (one
    address per page, the row's key put in), with FAB's labels; no row writes a script."""
    import re

    from app.extensions import db
    from app.models import Training
    from tests import factories as f

    with app.app_context():
        organiser = f.department()
        ids = []
        for title in ("培训甲", "培训乙", "培训丙"):
            training = Training(title=title, topic="协办流程", held_on=f.D("2026-03-02"),
                                organiser=organiser)
            db.session.add(training)
            db.session.flush()
            ids.append(training.id)
        db.session.commit()
    html = client.get("/trainingview/list/").get_data(as_text=True)
    start = html.index("data-xb-delete-confirm")
    table = html[start:html.index("</table>", start)]
    assert "<script" not in table
    for pk in ids:
        assert f'href="/trainingview/show/{pk}"' in table
        assert f'href="/trainingview/edit/{pk}"' in table
        assert f'data-xb-delete="/trainingview/delete/{pk}"' in table
    assert "XBROWKEY" not in html
    assert len(re.findall(r'title="查看记录"', table)) == 3
    assert 'data-xb-delete-confirm="确定要删除这条记录吗？"' in html
