"""No critical or serious accessibility violation on any page (issue 19, R-20.1).

axe-core (tests/axe.py, bundled) runs in Chromium on every page each demo role reaches from
its menu: its dashboard, every list, each list's first show and edit page and its add form,
a record's step forms and print page (the walk of tests/demo_walk.py), in Chinese; then a
list, show, add and edit page of the main screens in English, and the construction unit's
own pages under /unit/. One browser context per role; each kind of page is checked once, by
the first role that reaches it (the same template for every role), every dashboard for
itself; the whole module takes a few minutes.
"""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from tests import axe
from tests.browser_fixtures import desk_context, log_in
# the demo, once for the module (_clean_database, autouse, asks for demo_logins)
from tests.demo_walk import (  # noqa: F401 (fixtures)
    LOGINS, _clean_database, demo_logins, next_pages,
)
from tests.unit_online import last_code, planning_case, rating_link

pytestmark = pytest.mark.browser

#: the main screens checked again in English: their lists, and from each its first record
ENGLISH_LISTS = ["/prereviewview/list/", "/commissionview/list/", "/commissionitemview/list/",
                 "/projectview/list/", "/worklogentryview/list/"]


def _context(browser, live_server, **options):
    """A fresh context (tests/browser_fixtures.py) with axe-core."""
    context = desk_context(browser, live_server, **options)
    axe.install(context)
    return context


def _visit(tab, url: str) -> str | None:
    """Open ``url``; the HTML the server sent, or None for a file (a PDF) or a redirect."""
    try:
        response = tab.goto(url)
    except Exception as exc:  # Chromium downloads a file instead of showing it
        if "Download is starting" in str(exc):
            return None
        raise
    assert response.status == 200, (url, response.status)
    if "text/html" not in response.headers.get("content-type", "") \
            or response.request.redirected_from is not None:
        return None
    return response.text()


def _kind(url: str) -> str:
    """The page a URL shows, whatever its record: /commissionview/show/# for any commission."""
    return re.sub(r"\d+", "#", url)


#: the kinds of page checked so far in this module, in Chinese
CHECKED: set[str] = set()


def _walk(tab, queue: list[str], checked: set[str],
          menu: bool = True) -> tuple[dict[str, list[dict]], int]:
    """axe on each page of ``queue`` and the pages they lead to (tests/demo_walk.py; from the
    dashboard its menu unless not ``menu``) whose kind is not in ``checked`` (the dashboard
    always); (violations by page, pages)."""
    found, pages, seen = {}, 0, set()
    while queue:
        url = queue.pop(0)
        if url in seen or (url != "/" and _kind(url) in checked):
            continue
        seen.add(url)
        checked.add(_kind(url))
        html = _visit(tab, url)
        if html is None:
            continue
        pages += 1
        violations = axe.serious_violations(tab)
        if violations:
            found[url] = violations
        if menu or url != "/":
            queue += next_pages(url, html)
    return found, pages


@pytest.mark.parametrize("username", [name for name, _ in LOGINS])
def test_no_serious_violation_on_any_page(browser, live_server, username):
    """Issue 19, R-20.1 (and R-2.3, the Chinese UI): as each demo role, in Chinese, no page its
    menu reaches has a critical or serious axe-core violation; <html lang="zh-CN">."""
    context = _context(browser, live_server)
    tab = context.new_page()
    log_in(tab, username, dict(LOGINS)[username])
    assert tab.get_attribute("html", "lang") == "zh-CN"
    found, pages = _walk(tab, ["/"], CHECKED)
    context.close()
    assert pages >= 1
    assert not found, axe.report(found)


def test_no_serious_violation_in_english(browser, live_server):
    """Issue 19, R-20.1: in English (<html lang="en">) the dashboard and the main screens'
    list, show, edit and add pages have no critical or serious violation either."""
    context = _context(browser, live_server, locale="en-GB")
    tab = context.new_page()
    log_in(tab, *LOGINS[0])
    tab.goto("/lang/en")
    found, pages = _walk(tab, ["/", *ENGLISH_LISTS], set(), menu=False)
    assert tab.get_attribute("html", "lang") == "en"
    context.close()
    assert pages >= len(ENGLISH_LISTS)
    assert not found, axe.report(found)


def test_no_serious_violation_on_the_units_pages(app, browser, live_server):
    """Issue 19, R-20.1 (R-17.1, R-17.4): the construction unit's look-up, code, case,
    contact and rating pages have no critical or serious violation."""
    with app.app_context():
        number = planning_case("江城无障碍检查项目").application_no
        rated = planning_case("江城无障碍评价项目").id
        db.session.commit()
        db.session.remove()
    context = _context(browser, live_server, viewport={"width": 375, "height": 812})
    tab = context.new_page()
    found = {}
    tab.goto(f"/unit/?no={number}")
    found["/unit/"] = axe.serious_violations(tab)
    tab.get_by_label("项目经办人").check()
    tab.get_by_role("button", name="发送验证码").click()
    tab.wait_for_load_state()
    found["/unit/verify"] = axe.serious_violations(tab)
    tab.fill("#code", last_code(app, number))
    tab.get_by_role("button", name="查看办理情况").click()
    tab.wait_for_load_state()
    assert tab.url.endswith("/unit/case"), tab.url
    found["/unit/case"] = axe.serious_violations(tab)
    tab.goto("/unit/case/contact")
    found["/unit/case/contact"] = axe.serious_violations(tab)
    tab.goto(rating_link(app, rated))
    found["/unit/rate/…"] = axe.serious_violations(tab)
    assert tab.get_attribute("html", "lang") == "zh-CN"
    context.close()
    found = {url: violations for url, violations in found.items() if violations}
    assert not found, axe.report(found)
