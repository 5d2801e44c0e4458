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


@pytest.fixture
def fragments(app):
    """The kept fragments start empty and are emptied after the test."""
    chrome._kept_fragments.clear()
    yield chrome._kept_fragments
    chrome._kept_fragments.clear()


def _nonces(response) -> set[str]:
    import re

    return set(re.findall(r'nonce="([^"]*)"', response.get_data(as_text=True)))


def test_kept_sheets_scripts_and_navbar_carry_this_requests_nonce_issue16(app, client,
                                                                          fragments):
    """Issue 16 item 2: the sheets, scripts and navbar are rendered once and kept; each
    page's scripts still carry that page's own nonce, the one its CSP header allows."""
    first, second = client.get(LIST), client.get(LIST)
    assert set(fragments) >= {"head_css", "head_js", "navbar", "tail_js", "tail", "list_header"}
    for response in (first, second):
        nonces = _nonces(response)
        assert len(nonces) == 1
        assert f"'nonce-{nonces.pop()}'" in response.headers["Content-Security-Policy"]
    assert _nonces(first) != _nonces(second)
    assert chrome.NONCE_MARK not in second.get_data(as_text=True)


def test_the_kept_navbar_is_each_users_own_and_follows_the_language_issue16(app, fragments):
    """Issue 16 item 2: the navbar (the user's name, sign-out) is kept per user and
    language: one user never sees another's name; English gets its own."""
    from app.extensions import db

    _role(app, "菜单角色三", ("can_list", "CommissionView"), ("menu_access", "Commissions"),
          ("menu_access", "Casework"))
    one, other = role_client(app, ["菜单角色三"]), role_client(app, ["菜单角色三"])
    names = {}
    with app.app_context():
        for client in (one, other):
            with client.session_transaction() as session:
                user = app.appbuilder.sm.get_user_by_id(int(session["_user_id"]))
            user.first_name, user.last_name = f"名{user.id}", "用户"
            names[user.id] = user.get_full_name()
        db.session.commit()
    pages = [one.get(LIST).get_data(as_text=True), other.get(LIST).get_data(as_text=True)]
    shown = [[name for name in names.values() if name in page] for page in pages]
    assert len(shown[0]) == len(shown[1]) == 1 and shown[0] != shown[1]
    assert one.get(LIST).get_data(as_text=True).count(shown[0][0]) == 1
    one.get("/lang/en")
    assert "Logout" in one.get(LIST).get_data(as_text=True)
    assert "Logout" not in other.get(LIST).get_data(as_text=True)


def test_sign_out_from_a_kept_navbar_uses_this_sessions_token_r14_6(app, database_url,
                                                                     fragments):
    """R-14.6, issue 16: the kept navbar's sign-out form carries the session's own CSRF
    token (CSRF on, as in production), and signing out with it works."""
    import re

    from app import config as app_config
    from app import create_app
    from app.extensions import db

    csrf_app = create_app(app_config.CsrfTestConfig(), {"SQLALCHEMY_DATABASE_URI": database_url})
    try:
        client = csrf_app.test_client()
        login_page = client.get("/login/").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page)[1]
        client.post("/login/", data={"username": ADMIN_USER, "password": ADMIN_PASSWORD,
                                     "csrf_token": token})
        client.get(LIST)
        html = client.get(LIST).get_data(as_text=True)  # the navbar kept
        assert chrome.TOKEN_MARK not in html
        logout = re.search(r'id="xb-logout".*?name="csrf_token" value="([^"]+)"', html, re.S)[1]
        response = client.post("/logout/", data={"csrf_token": logout})
        assert response.status_code in (302, 303)
        assert "/login" in client.get(LIST).location
    finally:
        with csrf_app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_the_scripts_follow_the_office_day_r16_5(app, client, fragments, clock):
    """The kept scripts carry the office day (the date picker's 今天): a new day renders
    them again."""
    from app.views.pages import office_today

    with app.test_request_context():
        today = office_today()
    assert f'data-today="{today.isoformat()}"' in client.get(LIST).get_data(as_text=True)
    clock.advance(days=1)
    next_day = app.test_client()  # (a day idle signs the first one out)
    login(next_day, ADMIN_USER, ADMIN_PASSWORD)
    with app.test_request_context():
        tomorrow = office_today()
    assert f'data-today="{tomorrow.isoformat()}"' in next_day.get(LIST).get_data(as_text=True)


def test_a_kept_list_header_follows_the_count_and_the_address_issue16(app, client, fragments):
    """Issue 16 item 3: a list's header (paging, page size, record count) is kept per
    address and count: a new record shows in the count at once, another page or another
    order gets its own links."""
    import re

    from app.extensions import db
    from app.models import Training
    from tests import factories as f

    def count(path: str) -> int:
        html = client.get(path).get_data(as_text=True)
        return int(re.search(r"<strong>[^<]*:</strong>\s*(\d+)", html)[1])

    with app.app_context():
        organiser = f.department()
        for number in range(3):
            db.session.add(Training(title=f"培训{number}", topic="协办流程",
                                    held_on=f.D("2026-03-02"), organiser=organiser))
        db.session.commit()
    assert count("/trainingview/list/") == count("/trainingview/list/") == 3
    with app.app_context():
        db.session.add(Training(title="培训新", topic="协办流程", held_on=f.D("2026-03-03"),
                                organiser=f.department()))
        db.session.commit()
    assert count("/trainingview/list/") == 4
    ordered = client.get("/trainingview/list/?_oc_TrainingView=title&_od_TrainingView=asc")
    assert "_od_TrainingView=desc" in ordered.get_data(as_text=True)
    assert "_od_TrainingView=desc" not in client.get("/trainingview/list/").get_data(as_text=True)
