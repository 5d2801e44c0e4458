"""A person's view: headless Chromium logs in and opens the commission screens in Chinese.

Playwright drives Debian's Chromium (/usr/bin/chromium; Playwright's own browser download
is not possible here) against the app served by a real HTTP server on 127.0.0.1, using the
session's test database. Locally the tests skip when Chromium is missing; in CI they fail.
"""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


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
    """R-16.1: a case starts from an enquiry, not a commission form: the commission list has
    no add link; the enquiry's add form opens from its list, its labels and Save are Chinese."""
    page.goto("/commissionview/list/")
    assert page.locator("a[href*='/commissionview/add']").count() == 0
    page.goto("/prereviewview/list/")
    page.click("a[href*='/prereviewview/add']")
    page.wait_for_load_state()
    assert "/prereviewview/add" in page.url
    shot = tmp_path / "prereview_add.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 5_000
    text = page.inner_text("body")
    assert _has_chinese(text)
    assert "保存" in text  # FAB's Save button, from FAB's zh catalogue
    assert page.locator("form").count() >= 1
