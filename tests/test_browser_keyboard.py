"""One commission from the enquiry to completion with the keyboard alone (issue 19, R-20.1).

The path of tests/commission_walk.py (the mouse walks it in tests/test_browser_lifecycle.py),
but no click: the login form, every step button and every step form are reached with Tab,
opened with Enter, filled by typing and by the arrow keys (tests/keyboard.py), and each
control shows that it has the focus. Going to a record's page is typing its address; the
result's delivery, which has no step button, is recorded by the builders as in the mouse walk.
"""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models import Commission
from app.states import CommissionState, ItemState
from tests.accounts import ADMIN_PASSWORD, ADMIN_USER
from tests.browser_fixtures import desk_context
from tests.commission_walk import enquiry, to_completion, to_work
from tests.keyboard import choose, enter, press_on, type_into

pytestmark = pytest.mark.browser

SUBMIT = "form button[type=submit]:not(.xb-logout-button)"


def _step(page, label: str, fill=None) -> None:
    """Tab to the step button ``label``, Enter; fill its form; Tab to its button, Enter."""
    press_on(page, ".workflow-steps a", label)
    if fill:
        fill(page)
    press_on(page, SUBMIT)
    errors = page.locator(".workflow-error")
    assert errors.count() == 0, errors.first.inner_text()


@pytest.fixture
def keyboard_page(browser, live_server):
    """A browser tab signed in as the admin by keyboard: Tab, typing, Enter."""
    context = desk_context(browser, live_server)
    tab = context.new_page()
    tab.goto("/login/")
    type_into(tab, "username", ADMIN_USER)
    type_into(tab, "password", ADMIN_PASSWORD)
    enter(tab)
    assert "/login" not in tab.url, "login failed"
    yield tab
    context.close()


@pytest.mark.date_sensitive
def test_commission_from_enquiry_to_completion_by_keyboard(app, keyboard_page):
    """Issue 19, R-20.1 (keyboard-only use; R-5.2, R-5.3, R-9.1): every step of a commission's
    happy path is done with Tab, Enter, typing and the arrow keys."""
    page = keyboard_page
    review_id, coordinator_id = enquiry(app)
    commission_id = to_work(page, _step, choose, type_into, review_id, coordinator_id)
    to_completion(app, page, _step, commission_id)

    with app.app_context():
        commission = db.session.get(Commission, commission_id)
        assert commission.state == CommissionState.completed
        assert {i.state for i in commission.items} == {ItemState.approved}
