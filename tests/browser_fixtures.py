"""Browser fixtures: Playwright driving Debian's Chromium against a live server on 127.0.0.1.

Playwright's own browser download is not possible here, so the tests use /usr/bin/chromium
(CHROMIUM_PATH to override). Locally the browser tests skip when Chromium is missing; in CI
(CI set) they fail instead. Loaded by tests/conftest.py for every test module.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.accounts import ADMIN_PASSWORD, ADMIN_USER

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


def desk_context(browser, live_server: str, **options):
    """A fresh browser context (no cookies) in Chinese on a desk's screen, unless
    ``options`` (Playwright's new_context arguments) say otherwise."""
    options = {"locale": "zh-CN", "viewport": {"width": 1366, "height": 900}, **options}
    context = browser.new_context(base_url=live_server, **options)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies), logged in as the admin through the login form."""
    context = desk_context(browser, live_server)
    tab = context.new_page()
    log_in(tab, ADMIN_USER, ADMIN_PASSWORD)
    yield tab
    context.close()


def log_in(tab, username: str, password: str) -> None:
    """Sign ``tab`` in as ``username`` through the (Chinese) login form."""
    tab.goto("/login/")
    assert "请在下面输入您的用户名和密码" in tab.content()
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", password)
    tab.click("input[type=submit], button[type=submit]")
    tab.wait_for_load_state()
    assert "/login" not in tab.url, "login failed"


def offline(page, live_server: str) -> tuple[list[str], list[str]]:
    """Abort every request of ``page`` that does not go to ``live_server`` (no internet on a
    government intranet); returns the lists the aborted URLs and the page's script errors
    are collected in."""
    aborted: list[str] = []
    errors: list[str] = []

    def only_local(route):
        if route.request.url.startswith(live_server + "/"):
            route.continue_()
        else:
            aborted.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return aborted, errors
