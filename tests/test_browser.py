"""A person's view: headless Chromium logs in and opens the commission screens in Chinese.

Playwright drives Debian's Chromium (/usr/bin/chromium; Playwright's own browser download
is not possible here) against the app served by a real HTTP server on 127.0.0.1, using the
session's test database. Locally the tests skip when Chromium is missing; in CI they fail.
"""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from conftest import ADMIN_PASSWORD, ADMIN_USER

pytestmark = pytest.mark.browser

# CHROMIUM_PATH: another Chromium build (the default is Debian's package).
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright; skipped locally when absent, an error in CI."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: install Debian's chromium package (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def live_server(app):
    """The app on a real HTTP server in a thread, on a free loopback port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies), logged in as the admin through the login form."""
    context = browser.new_context(base_url=live_server, locale="zh-CN",
                                  viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.goto("/login/")
    assert "请在下面输入您的用户名和密码" in tab.content()
    tab.fill("input[name=username]", ADMIN_USER)
    tab.fill("input[name=password]", ADMIN_PASSWORD)
    tab.click("input[type=submit], button[type=submit]")
    tab.wait_for_load_state()
    assert "/login" not in tab.url, "login failed"
    yield tab
    context.close()


def _has_chinese(text: str, at_least: int = 20) -> bool:
    return len(re.findall(r"[\u4e00-\u9fff]", text)) >= at_least


def test_commission_list_in_chinese(page, tmp_path):
    """The commission list renders in Chinese: the menu, FAB's controls, our labels."""
    response = page.goto("/commissionview/list/")
    assert response.status == 200
    shot = tmp_path / "commission_list.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 5_000
    text = page.inner_text("body")
    assert _has_chinese(text)
    assert "业务办理" in text  # the Casework menu category
    assert "江城区工程建设项目审批协办系统" in page.title() or "江城区" in text


def test_commission_add_form_in_chinese(page, tmp_path):
    """The add form opens from the list and its labels and Save button are Chinese."""
    page.goto("/commissionview/list/")
    page.click("a[href*='/commissionview/add']")
    page.wait_for_load_state()
    assert "/commissionview/add" in page.url
    shot = tmp_path / "commission_add.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 5_000
    text = page.inner_text("body")
    assert _has_chinese(text)
    assert "保存" in text  # FAB's Save button, from FAB's zh catalogue
    assert page.locator("form").count() >= 1
