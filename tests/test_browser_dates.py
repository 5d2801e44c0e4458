"""The date picker, the selects and the dialogs in headless Chromium, network blocked
(issue 14, items 1–3).

A clerk opens an add form: the date of the step opens on today, the picker is Chinese,
starts the week on Monday, has a 今天 button and marks the working-day calendar; Esc closes
it without wiping a typed date. A date filter on a list works (FAB's ab_filters.js called a
plugin FAB does not ship). Selects offer "—", never "__None"; Select2, the delete dialog and
the flashes speak Chinese.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.clock import office_today
from app.extensions import db
from app.models import Training
from tests import factories as f
from tests.browser_fixtures import offline

pytestmark = pytest.mark.browser

PICKER = ".flatpickr-calendar.open"


def _picker_days(page, selector: str, css_class: str) -> list[str]:
    """The days of the open picker of ``selector`` carrying ``css_class`` (ISO dates)."""
    return page.evaluate(
        """([selector, cls]) => {
            const fp = document.querySelector(selector)._flatpickr;
            const iso = d => d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0')
                + '-' + String(d.getDate()).padStart(2, '0');
            return Array.from(fp.days.querySelectorAll('.flatpickr-day.' + cls))
                .filter(e => !e.classList.contains('prevMonthDay')
                             && !e.classList.contains('nextMonthDay'))
                .map(e => iso(e.dateObj));
        }""", [selector, css_class])


def test_date_picker_in_chinese_monday_first_today_and_calendar(page, live_server):
    """Issue 14 item 1 (R-12.1 working days): the enquiry's 咨询日期 opens on today; its
    picker reads Chinese, starts on Monday, has 今天, marks the National Day holidays and the
    working Saturday after them from the app's calendar; nothing loads from the internet."""
    aborted, errors = offline(page, live_server)
    page.goto("/prereviewview/add")
    field = page.locator("#received_on")
    assert field.input_value() == office_today().isoformat()
    field.click()
    calendar = page.locator(PICKER)
    calendar.wait_for()
    weekdays = calendar.locator(".flatpickr-weekday").all_inner_texts()
    assert weekdays[0].strip() == "周一" and weekdays[6].strip() == "周日"
    assert "月" in calendar.locator(".flatpickr-monthDropdown-months").inner_text()
    page.evaluate("document.querySelector('#received_on')._flatpickr.jumpToDate('2026-10-15')")
    page.wait_for_function(
        "document.querySelector('#received_on')._flatpickr.days"
        ".querySelector('.flatpickr-day.xb-workday') !== null")
    holidays = _picker_days(page, "#received_on", "xb-holiday")
    assert {"2026-10-01", "2026-10-05", "2026-10-07", "2026-10-04"} <= set(holidays)
    assert "2026-10-09" not in holidays  # an ordinary Friday
    assert _picker_days(page, "#received_on", "xb-workday") == ["2026-10-10"]  # 调休上班
    # 今天 puts the app's today back after another day was picked.
    calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)",
                     has_text="9").first.click()
    assert field.input_value() == "2026-10-09"
    field.click()
    calendar.wait_for()
    calendar.locator(".xb-datepicker-today", has_text="今天").click()
    assert field.input_value() == office_today().isoformat()
    assert not aborted and not errors, (aborted, errors)


def test_escape_keeps_a_typed_date(page, live_server):
    """Issue 14 item 1: a date typed into the field stays when Esc closes the picker, also
    one the picker cannot read (the form reports it); a date with no step opens empty."""
    aborted, errors = offline(page, live_server)
    page.goto("/trainingview/add")
    field = page.locator("#held_on")
    assert field.input_value() == ""  # a training is planned: no default
    field.click()
    page.locator(PICKER).wait_for()
    field.fill("2026-11-20")
    field.press("Escape")
    page.wait_for_function("!document.querySelector('.flatpickr-calendar.open')")
    assert field.input_value() == "2026-11-20"
    field.click()
    field.fill("2026-11")
    field.press("Escape")
    assert field.input_value() == "2026-11"
    page.locator("textarea, input[type=text]").last.click()  # focus leaves the field
    assert field.input_value() == "2026-11"
    assert not errors, errors


def test_date_filter_on_a_list(app, page, live_server):
    """Issue 14 item 1: a date filter on the commission list gets the picker (no TypeError
    from ab_filters.js) and filters the list."""
    aborted, errors = offline(page, live_server)
    page.goto("/commissionview/list/")
    page.click("a:has-text('搜索')")
    page.click("#filter_form button.dropdown-toggle")
    page.click("a.filter[name=applied_on]")
    value = page.locator("input.filter_val[name*=applied_on]")
    value.click()
    page.locator(PICKER).wait_for()
    page.locator(PICKER).locator(".xb-datepicker-today").click()
    assert value.input_value() == office_today().isoformat()
    page.click("#filter_form button[type=submit]")
    page.wait_for_load_state()
    assert f"applied_on={office_today().isoformat()}" in page.url
    assert not errors, errors
    assert not aborted, aborted


def test_selects_offer_a_dash_not_none(app, page, live_server):
    """Issue 14 item 2: an optional relation select (所在镇街 on the project form) offers
    "—" as its empty choice; no option anywhere on the form reads "__None"."""
    with app.app_context():
        f.town()
        f.unit()
        db.session.commit()
    aborted, errors = offline(page, live_server)
    page.goto("/projectview/add")
    texts = page.eval_on_selector_all("option", "options => options.map(o => o.textContent)")
    assert not [text for text in texts if "__None" in text]
    town = page.eval_on_selector_all(
        "select[name=town] option", "options => options.map(o => o.textContent)")
    assert town[0] == "—"
    page.locator("select[name=town] + .select2").click()
    page.locator(".select2-search__field").fill("没有这个镇街")
    assert page.locator(".select2-results").inner_text().strip() == "没有匹配的结果"
    assert not errors, errors


def test_delete_dialog_and_flash_in_chinese(app, page, live_server):
    """Issue 14 item 3: the delete confirmation reads 取消/确定 (FAB's says Cancel/OK), and the
    flash after the delete is Chinese; issue 16 item 3: the row's button asks through the
    page's one handler, and the record is deleted."""
    with app.app_context():
        db.session.add(Training(title="业务培训", topic="协办流程", held_on=office_today(),
                                organiser=f.department()))
        db.session.commit()
    aborted, errors = offline(page, live_server)
    page.goto("/trainingview/list/")
    page.locator("a.xb-row-delete").first.click()  # the page's one delete handler (lists.js)
    dialog = page.locator("#modal-confirm")
    dialog.wait_for(state="visible")
    assert "确定要删除" in dialog.locator(".modal-body").inner_text()
    assert dialog.locator("button[data-dismiss=modal]").inner_text().strip() == "取消"
    assert dialog.locator("#modal-confirm-ok").inner_text().strip() == "确定"
    dialog.locator("#modal-confirm-ok").click()
    page.wait_for_load_state()
    flash = page.locator(".alert").first.inner_text()
    assert "删除" in flash, flash
    assert not errors, errors
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Training)) == 0
