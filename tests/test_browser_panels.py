"""The case page's panels load when their tab opens (issue 16 item 5), in the browser.

Only 详细 (Detail) comes with the page; opening the 工作日志 tab fetches its rows, and its
page links load the next page into the same tab, the address of the case page unchanged; a
case page opened on a tab (``#WorkLogEntryView``) loads that panel at once.
"""
from __future__ import annotations

import pytest

from app.choices import WorkLogType
from app.extensions import db
from app.models import WorkLogEntry
from tests import factories as f
from tests.factories import D

pytestmark = pytest.mark.browser

PANE = "#WorkLogEntryView"


def _case_with_a_long_work_log(app) -> int:
    """A case in progress with 25 work-log entries (more than one page of the panel)."""
    with app.app_context():
        commission = f.case()
        for n in range(1, 26):
            db.session.add(WorkLogEntry(
                commission=commission, logged_on=D("2026-03-04"), author=commission.coordinator,
                entry_type=WorkLogType.follow_up, content=f"跟进记录{n:02d}号"))
        db.session.commit()
        return commission.id


def test_a_tab_loads_its_panel_when_opened_and_pages_in_place(app, page):
    """Issue 16 item 5: the panel is not in the page until its tab opens; its rows arrive,
    and its second page replaces them in the tab without leaving the case page."""
    pk = _case_with_a_long_work_log(app)
    page.goto(f"/commissionview/show/{pk}")
    pane = page.locator(PANE)
    assert pane.locator(".xb-panel[data-xb-panel]").count() == 1
    assert "跟进记录" not in page.content()
    page.click(f"a[href='{PANE}']")
    page.wait_for_selector(f"{PANE} table")
    shown = pane.inner_text()
    assert "跟进记录" in shown and pane.locator(".xb-panel").count() == 0
    url = page.url
    second = pane.locator(".pagination a", has_text="2").first
    second.click()
    page.wait_for_function(
        "() => !document.querySelector('#WorkLogEntryView').hasAttribute('aria-busy')")
    assert page.url == url  # still the case page, on its tab
    assert pane.locator("table").count() == 1 and pane.inner_text() != shown


def test_a_case_page_opened_on_a_tab_loads_that_panel(app, page):
    """Issue 16 item 5: the address naming a tab opens it with its rows."""
    pk = _case_with_a_long_work_log(app)
    page.goto(f"/commissionview/show/{pk}{PANE}")
    page.wait_for_selector(f"{PANE} table")
    assert page.locator(PANE).is_visible()
    assert "跟进记录" in page.locator(PANE).inner_text()
