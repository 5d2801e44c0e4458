"""A coordinator drives one commission from the enquiry to completion in headless Chromium.

Every step is a button on the record's page and a small form (R-5, R-6, R-8, R-9); the path
is tests/commission_walk.py's, walked here with the mouse.
"""
from __future__ import annotations

import datetime as dt

import pytest

from app.extensions import db
from app.models import Commission
from app.states import CommissionState, ItemState
from tests.clock import RUN_DAY
from tests.commission_walk import enquiry, to_completion, to_work

pytestmark = pytest.mark.browser


def _click_step(page, label: str, fill=None) -> None:
    """Click the step button ``label`` on the current page, fill its form, submit it."""
    page.click(f".workflow-steps a:has-text('{label}')")
    page.wait_for_load_state()
    if fill:
        fill(page)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    errors = page.locator(".workflow-error")
    assert errors.count() == 0, errors.first.inner_text()


def _select(name: str, value: str):
    """A form filler choosing ``value`` in the select ``name`` (also the walk-through's)."""
    return lambda page: page.select_option(f"select[name={name}]", value, force=True)


def _choose(page, name: str, value: str) -> None:
    _select(name, value)(page)


def _fill(page, name: str, text: str) -> None:
    page.fill(f"input[name={name}]", text)


@pytest.mark.date_sensitive
def test_commission_from_enquiry_to_completion(app, page, live_server, tmp_path):
    """R-1.2, R-4.2, R-5.2, R-5.3, R-6.1, R-9.1: the whole happy path through the screens."""
    review_id, coordinator_id = enquiry(app)
    commission_id = to_work(page, _click_step, _choose, _fill, review_id, coordinator_id)
    page.screenshot(path=str(tmp_path / "commission_in_progress.png"), full_page=True)
    to_completion(app, page, _click_step, commission_id)
    page.screenshot(path=str(tmp_path / "commission_completed.png"), full_page=True)

    with app.app_context():
        commission = db.session.get(Commission, commission_id)
        assert commission.state == CommissionState.completed
        assert commission.application_no == f"JCXB-{RUN_DAY.year}-0001"
        assert commission.contact_due_on > commission.applied_on - dt.timedelta(days=1)
        assert {i.state for i in commission.items} == {ItemState.approved}
