"""One commission from the enquiry to completion with the keyboard alone (issue 19, R-20.1).

The same path as tests/test_browser_lifecycle.py, but no click: the login form, every step
button and every step form are reached with Tab, opened with Enter, filled by typing and by
the arrow keys (tests/keyboard.py), and each control shows that it has the focus. Going to a
record's page is typing its address. The result's delivery is the one fact recorded by the
builders, as in the mouse walk.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.choices import DeliveryMethod, Stage
from app.extensions import db
from app.models import Commission, CommissionItem, Delivery
from app.states import CommissionState, ItemState
from tests import factories as f
from tests.accounts import ADMIN_PASSWORD, ADMIN_USER
from tests.clock import RUN_DAY
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
    context = browser.new_context(base_url=live_server, locale="zh-CN",
                                  viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
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
    with app.app_context():
        f.approval_item(Stage.s1, 5, name="用地预审与选址意见书")
        coordinator = f.staff(name="林协办")
        review = f.pre_review()
        db.session.commit()
        review_id, coordinator_id = review.id, coordinator.id

    page.goto(f"/prereviewview/show/{review_id}")
    _step(page, "预审结论", lambda p: choose(p, "outcome", "eligible"))
    _step(page, "登记委托协办", lambda p: choose(p, "scope", "full"))
    assert "/commissionview/show/" in page.url
    commission_id = int(page.url.rstrip("/").split("/")[-1])
    _step(page, "受理申请")
    _step(page, "分派协办员", lambda p: choose(p, "coordinator", str(coordinator_id)))
    _step(page, "登记与建设单位联系", lambda p: choose(p, "method", "phone"))
    _step(page, "拟定审批进度计划")
    _step(page, "建设单位确认计划", lambda p: type_into(p, "confirmed_by", "陈经办"))

    with app.app_context():
        item_ids = db.session.scalars(sa.select(CommissionItem.id)).all()
    for item_id in item_ids:
        page.goto(f"/commissionitemview/show/{item_id}")
        for label in ("已申报", "已受理", "准予许可"):
            _step(page, label)
    page.goto(f"/commissionview/show/{commission_id}")
    _step(page, "进入结果送达")
    with app.app_context():
        db.session.add(Delivery(commission_id=commission_id, method=DeliveryMethod.visit,
                                delivered_on=RUN_DAY, receipt_signed_on=RUN_DAY,
                                signer="陈经办"))
        db.session.commit()
    page.reload()
    _step(page, "办结")
    assert "已办结" in page.inner_text("body")

    with app.app_context():
        commission = db.session.get(Commission, commission_id)
        assert commission.state == CommissionState.completed
        assert {i.state for i in commission.items} == {ItemState.approved}
