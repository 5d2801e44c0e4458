"""R-14.6: a session ends for good at logout, password change, password reset by an
administrator, lockout and deactivation; API refresh and access tokens likewise. Logout is a
POST (with the CSRF token where CSRF is on); the menu offers it as a small form.

"A copied cookie" is modelled by a second test client holding the same session cookie.
"""
from __future__ import annotations

import re

import pytest

from app import config as app_config
from app import create_app
from app.extensions import db
from tests.accounts import ADMIN_PASSWORD, ADMIN_USER, add_account, drop_account, signed_in

PASSWORD = "Revoke#Test2026"
NEW = "Revoke#Next2026"
LIST = "/commissionview/list/"
API = "/api/v1"


@pytest.fixture
def account(app):
    """A fresh administrator account with a chosen password; deleted afterwards."""
    name, user_id = add_account(app, "rev", PASSWORD)
    yield name, user_id
    drop_account(app, user_id)


def _signed_in(app, name, password=PASSWORD):
    return signed_in(app, name, password)


def _copy(app, client):
    """A second client holding the same session cookie (a stolen or copied cookie)."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def _lands_on_login(client) -> bool:
    response = client.get(LIST)
    return response.status_code == 302 and "/login/" in response.location


def _tokens(app, name, password=PASSWORD) -> dict:
    response = app.test_client().post(f"{API}/security/login", json={
        "username": name, "password": password, "provider": "db", "refresh": True})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _refresh(app, tokens) -> int:
    return app.test_client().post(f"{API}/security/refresh", headers={
        "Authorization": f"Bearer {tokens['refresh_token']}"}).status_code


def _use(app, tokens) -> int:
    return app.test_client().get(f"{API}/commission/", headers={
        "Authorization": f"Bearer {tokens['access_token']}"}).status_code


def test_logout_ends_the_session_and_its_copies(app, account):
    """R-14.6: after logout (a POST) a copied session cookie no longer opens any page."""
    name, _ = account
    client = _signed_in(app, name)
    copy = _copy(app, client)
    assert copy.get(LIST).status_code == 200
    response = client.post("/logout/")
    assert response.status_code == 302 and "/login/" in response.location
    assert _lands_on_login(copy)
    assert _lands_on_login(client)


def test_logout_by_get_changes_nothing(app, account):
    """R-14.6: a GET of /logout/ (a link on another site, an image) does not log out: it
    shows the logout button, a POST form."""
    name, _ = account
    client = _signed_in(app, name)
    page = client.get("/logout/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert re.search(r'<form method="post" action="/logout/"', html)
    assert client.get(LIST).status_code == 200


def test_the_menu_offers_logout_as_a_post_form(app, account):
    """R-14.6: the navbar's logout is a form posting to /logout/, not a link."""
    name, _ = account
    html = _signed_in(app, name).get(LIST).get_data(as_text=True)
    assert 'href="/logout/"' not in html
    assert re.search(r'<button type="submit" form="xb-logout"', html)
    assert re.search(r'<form id="xb-logout" method="post" action="/logout/"', html)


@pytest.fixture(scope="module")
def csrf_app(app, database_url):
    """A second app on the session's database, with CSRF protection on (as in production)."""
    application = create_app(app_config.CsrfTestConfig(),
                             {"SQLALCHEMY_DATABASE_URI": database_url})
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def test_logout_needs_the_csrf_token(csrf_app):
    """R-14.6: with CSRF on, a logout POST without the token is refused (400) and the user
    stays signed in; the menu's form carries the token and works."""
    client = csrf_app.test_client()
    login_page = client.get("/login/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    response = client.post("/login/", data={"username": ADMIN_USER, "password": ADMIN_PASSWORD,
                                            "csrf_token": token})
    assert response.status_code == 302 and "/login/" not in response.location
    assert client.post("/logout/").status_code == 400
    page = client.get(LIST)
    assert page.status_code == 200
    form = re.search(r'id="xb-logout".*?name="csrf_token" value="([^"]+)"',
                     page.get_data(as_text=True), re.S)
    assert client.post("/logout/", data={"csrf_token": form.group(1)}).status_code == 302
    assert _lands_on_login(client)


def test_a_password_change_elsewhere_ends_the_other_sessions(app, account):
    """R-14.6: the owner changes the password in one browser: that session carries on,
    every other session of the account lands on the login page."""
    name, _ = account
    here, elsewhere = _signed_in(app, name), _signed_in(app, name)
    done = here.post("/resetmypassword/form", data={
        "old_password": PASSWORD, "password": NEW, "conf_password": NEW})
    assert done.status_code == 302
    assert here.get(LIST).status_code == 200
    assert _lands_on_login(elsewhere)


def test_an_administrators_reset_ends_the_sessions(app, account, client):
    """R-14.6: an administrator's password reset ends the account's sessions; the next
    login is sent to the change-password form (R-14.1)."""
    name, user_id = account
    victim = _signed_in(app, name)
    copy = _copy(app, victim)
    response = client.post(f"/resetpassword/form?pk={user_id}",
                           data={"password": NEW, "conf_password": NEW})
    assert response.status_code == 302
    assert _lands_on_login(victim) and _lands_on_login(copy)
    assert client.get(LIST).status_code == 200  # the administrator's own session stays
    again = _signed_in(app, name, NEW)
    assert again.get(LIST).location.endswith("/resetmypassword/form")


def test_a_lockout_ends_the_sessions(app, clock, account):
    """R-14.6: five wrong passwords lock the account and end its open sessions."""
    name, _ = account
    session = _signed_in(app, name)
    for _ in range(5):
        app.test_client().post("/login/", data={"username": name, "password": "Wrong#Pass1"})
    assert _lands_on_login(session)


def test_deactivation_ends_the_sessions_for_good(app, account, client):
    """R-14.6: a deactivated account's sessions end, and switching it on again does not
    bring them back."""
    name, user_id = account
    session = _signed_in(app, name)
    with app.app_context():
        sm = app.appbuilder.sm
        role_id = sm.find_role(sm.auth_role_admin).id
    form = {"first_name": "测试", "last_name": "吊销", "username": name,
            "email": f"{name}@example.invalid", "roles": [str(role_id)]}
    response = client.post(f"/users/edit/{user_id}", data=form)  # "active" unticked
    assert response.status_code == 302
    with app.app_context():
        assert app.appbuilder.sm.get_user_by_id(user_id).active is False
    assert _lands_on_login(session)
    assert client.post(f"/users/edit/{user_id}", data={**form, "active": "y"}).status_code == 302
    with app.app_context():
        assert app.appbuilder.sm.get_user_by_id(user_id).active is True
    assert _lands_on_login(session)
    assert _signed_in(app, name).get(LIST).status_code == 200


def test_refresh_tokens_die_with_the_session_version(app, clock, account, client):
    """R-14.6: API tokens carry the session version: a refresh token refreshes until the
    account logs out, is locked or is reset; then neither it nor its access token works."""
    name, user_id = account
    tokens = _tokens(app, name)
    assert _refresh(app, tokens) == 200 and _use(app, tokens) == 200

    _signed_in(app, name).post("/logout/")
    assert _refresh(app, tokens) == 401 and _use(app, tokens) == 401

    tokens = _tokens(app, name)
    for _ in range(5):
        app.test_client().post(f"{API}/security/login", json={
            "username": name, "password": "Wrong#Pass1", "provider": "db"})
    assert _refresh(app, tokens) == 401 and _use(app, tokens) == 401

    clock.advance(minutes=16)
    tokens = _tokens(app, name)
    refreshed = app.test_client().post(f"{API}/security/refresh", headers={
        "Authorization": f"Bearer {tokens['refresh_token']}"}).get_json()
    assert _use(app, {"access_token": refreshed["access_token"]}) == 200
    assert client.post(f"/resetpassword/form?pk={user_id}",
                       data={"password": NEW, "conf_password": NEW}).status_code == 302
    assert _refresh(app, tokens) == 401 and _use(app, tokens) == 401
    assert _use(app, {"access_token": refreshed["access_token"]}) == 401


def test_a_token_without_a_session_version_is_refused(app, account):
    """R-14.6: a token issued without the version claim (before revocation existed, or
    forged from FAB's plain refresh) is treated as revoked."""
    from flask_jwt_extended import create_access_token

    _, user_id = account
    with app.app_context():
        token = create_access_token(identity=str(user_id))
    assert _use(app, {"access_token": token}) == 401
