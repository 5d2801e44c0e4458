"""The README's walk-through for clerks, walked in headless Chromium (issue 14, item 10).

One case from the enquiry to the delivery of results, on the screens a clerk uses, network
blocked; the pictures of the README's "A case, step by step" are taken on the way. They go
to a temporary folder; with SCREENSHOTS_DIR set (``SCREENSHOTS_DIR=docs/screenshots``) they
replace the README's pictures.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.bootstrap import jobs_round
from app.choices import StaffRole, StaffStatus
from app.extensions import db
from app.clock import office_today
from app.models import CommissionItem, Notification, StaffMember, Unit
from app.seed import DEMO_ANCHOR, seed_demo
from app.states import NotificationStatus
from tests import factories as f
from tests.browser_fixtures import offline
from tests.test_browser_lifecycle import _click_step, _select

pytestmark = pytest.mark.browser


@pytest.fixture
def shots(tmp_path):
    """Where the pictures go, and a function taking one of the page."""
    folder = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path))
        assert path.stat().st_size > 5_000
        return path

    return take


def test_a_case_step_by_step(app, page, live_server, shots):
    """Issue 14 item 10 (R-1.2, R-5.2, R-5.3, R-6.1, R-11.1): the walk-through of the README
    works as written, in Chinese, with nothing loaded from the internet."""
    with app.app_context():
        seed_demo(db.session, DEMO_ANCHOR)  # the district `make run` shows
        coordinator = db.session.scalars(sa.select(StaffMember).where(
            StaffMember.role == StaffRole.coordinator,
            StaffMember.status == StaffStatus.active).order_by(StaffMember.id)).first()
        unit = db.session.scalars(sa.select(Unit).order_by(Unit.id)).first()
        review = f.pre_review(proj=f.project(unit, name="江城区滨海公园配套服务中心工程"),
                              receiver=coordinator)
        review.received_on = office_today()
        db.session.commit()
        review_id, coordinator_id = review.id, coordinator.id
    aborted, errors = offline(page, live_server)

    page.goto("/")
    shots(page, "01-start-page")
    page.goto("/prereviewview/add")
    page.click("#received_on")
    page.locator(".flatpickr-calendar.open").wait_for()
    shots(page, "02-date-picker")

    page.goto(f"/prereviewview/show/{review_id}")
    shots(page, "03-enquiry")
    _click_step(page, "预审结论", _select("outcome", "eligible"))
    _click_step(page, "登记委托协办", _select("scope", "full"))
    _click_step(page, "受理申请")
    page.click(".workflow-steps a:has-text('分派协办员')")
    page.wait_for_load_state()
    _select("coordinator", str(coordinator_id))(page)
    shots(page, "04-step-form")
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    assert "已分派" in page.inner_text("body")
    shots(page, "05-commission")

    _click_step(page, "登记与建设单位联系", _select("method", "phone"))
    _click_step(page, "拟定审批进度计划")
    _click_step(page, "建设单位确认计划", lambda p: p.fill("input[name=confirmed_by]", "陈经办"))
    assert "办理中" in page.inner_text("body")
    commission_id = int(page.url.rstrip("/").split("/")[-1])
    with app.app_context():
        item_id = db.session.scalars(sa.select(CommissionItem.id).where(
            CommissionItem.commission_id == commission_id)).first()
    page.goto(f"/commissionitemview/show/{item_id}")
    _click_step(page, "已申报")
    shots(page, "06-item")

    # What `make run` does in the background: the demo's queued messages and the case's go
    # out (a round sends a batch of 100), and the sweep marks what is overdue.
    for _round in range(20):
        jobs_round(app, dispatch=True, sweep_due=True)
        with app.app_context():
            if not db.session.scalar(sa.select(sa.func.count()).select_from(Notification)
                                     .where(Notification.status == NotificationStatus.pending)):
                break
    page.goto("/notificationview/list/")
    text = page.inner_text("body")
    assert "已发送" in text and "待发送" not in text
    assert "_" not in text  # template codes (results_ready) show by their names
    shots(page, "07-messages")
    page.goto("/overdue/")
    assert page.locator(".label-danger, .text-danger").count() > 0  # red lights
    shots(page, "08-overdue")
    assert not aborted and not errors, (aborted, errors)
