"""R-14.1, 等保 level 3: in a real browser (headless Chromium) the Content-Security-Policy
blocks nothing of ours — the login page, a list page, an edit form and a workflow step page
run their scripts (FAB's carry the request's nonce) and report no CSP violation.
"""
from __future__ import annotations

import pytest

from app.extensions import db
from tests import factories as f
from tests.accounts import ADMIN_PASSWORD, ADMIN_USER

pytestmark = pytest.mark.browser

# Runs before any page script: collects the browser's CSP violation reports.
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def _watch(tab) -> list[str]:
    """Console errors of ``tab`` (CSP refusals show there too), collected as they come."""
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.add_init_script(WATCH_CSP)
    return errors


def _assert_clean(tab, errors: list[str]) -> None:
    assert tab.evaluate("window.__csp") == [], tab.url
    assert not [e for e in errors if "Content Security Policy" in e], errors
    assert tab.evaluate("typeof window.jQuery") == "function"


def test_login_page_under_csp(browser, live_server):
    """R-14.1: the login page loads and signs in with the CSP on, no violation."""
    context = browser.new_context(base_url=live_server, locale="zh-CN")
    tab = context.new_page()
    errors = _watch(tab)
    response = tab.goto("/login/")
    assert "nonce-" in response.headers["content-security-policy"]
    _assert_clean(tab, errors)
    tab.fill("input[name=username]", ADMIN_USER)
    tab.fill("input[name=password]", ADMIN_PASSWORD)
    tab.click("input[type=submit], button[type=submit]")
    tab.wait_for_load_state()
    assert "/login" not in tab.url
    _assert_clean(tab, errors)
    context.close()


def test_screens_run_their_scripts_under_csp(app, page):
    """R-14.1: a list page, an edit form and a workflow step page: scripts run (select2 dresses
    the selects, the dropdown menu opens), no CSP violation."""
    with app.app_context():
        unit_id = f.unit().id
        review_id = f.pre_review().id
        db.session.commit()
    errors = _watch(page)

    page.goto("/commissionview/list/")
    _assert_clean(page, errors)
    page.click("a.dropdown-toggle >> nth=0")  # bootstrap's script opens the menu
    assert page.locator(".dropdown.open, .dropdown-menu:visible").count() >= 1

    page.goto(f"/unitview/edit/{unit_id}")
    _assert_clean(page, errors)
    assert page.locator(".select2-container").count() >= 1

    page.goto(f"/workflow/pre_review/{review_id}/decide")
    _assert_clean(page, errors)
    assert page.locator("form select[name=outcome]").count() == 1
    assert page.locator(".select2-container").count() >= 1


def test_the_menus_logout_posts_and_ends_the_session(app, browser, live_server):
    """R-14.6: in a browser, the user menu's 注销 (a button tied to a hidden POST form with the
    CSRF token) signs out: the login page follows, and the list is closed afterwards."""
    from tests.accounts import add_account, drop_account

    password = "Browser#Logout2026"
    name, user_id = add_account(app, "blo", password)
    context = browser.new_context(base_url=live_server, locale="zh-CN")
    try:
        tab = context.new_page()
        errors = _watch(tab)
        tab.goto("/login/")
        tab.fill("input[name=username]", name)
        tab.fill("input[name=password]", password)
        tab.click("input[type=submit], button[type=submit]")
        tab.wait_for_load_state()
        tab.goto("/commissionview/list/")
        _assert_clean(tab, errors)
        tab.click(".navbar-right a.dropdown-toggle >> nth=-1")  # the user's menu
        with tab.expect_navigation():
            tab.click("button[form=xb-logout]")
        assert "/login" in tab.url
        tab.goto("/commissionview/list/")
        assert "/login" in tab.url
    finally:
        context.close()
        drop_account(app, user_id)
