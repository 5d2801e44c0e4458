"""A coordinator drives one commission from the enquiry to completion in headless Chromium.

Every step is a button on the record's page and a small form (R-5, R-6, R-8, R-9).
"""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.choices import DeliveryMethod, Stage
from app.extensions import db
from app.models import Commission, CommissionItem, Delivery
from app.states import CommissionState, ItemState
from tests import factories as f
from tests.clock import RUN_DAY

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
    return lambda page: page.select_option(f"select[name={name}]", value, force=True)


@pytest.mark.date_sensitive
def test_commission_from_enquiry_to_completion(app, page, live_server, tmp_path):
    """R-1.2, R-4.2, R-5.2, R-5.3, R-6.1, R-9.1: the whole happy path through the screens."""
    with app.app_context():
        f.approval_item(Stage.s1, 5, name="用地预审与选址意见书")
        f.approval_item(Stage.s3, 3, name="建筑工程施工许可证核发")
        coordinator = f.staff(name="林协办")
        review = f.pre_review()
        db.session.commit()
        review_id, coordinator_id = review.id, coordinator.id

    page.goto(f"/prereviewview/show/{review_id}")
    _click_step(page, "预审结论", _select("outcome", "eligible"))
    _click_step(page, "登记委托协办", _select("scope", "full"))
    assert "/commissionview/show/" in page.url
    commission_id = int(page.url.rstrip("/").split("/")[-1])
    _click_step(page, "受理申请")
    _click_step(page, "分派协办员", _select("coordinator", str(coordinator_id)))
    _click_step(page, "登记与建设单位联系", _select("method", "phone"))
    _click_step(page, "拟定审批进度计划")
    _click_step(page, "建设单位确认计划",
                lambda p: p.fill("input[name=confirmed_by]", "陈经办"))
    page.screenshot(path=str(tmp_path / "commission_in_progress.png"), full_page=True)

    with app.app_context():
        item_ids = db.session.scalars(sa.select(CommissionItem.id)).all()
    for item_id in item_ids:
        page.goto(f"/commissionitemview/show/{item_id}")
        for label in ("已申报", "已受理", "准予许可"):
            _click_step(page, label)
    page.goto(f"/commissionview/show/{commission_id}")
    _click_step(page, "进入结果送达")
    with app.app_context():
        db.session.add(Delivery(commission_id=commission_id, method=DeliveryMethod.visit,
                                delivered_on=RUN_DAY, receipt_signed_on=RUN_DAY,
                                signer="陈经办"))
        db.session.commit()
    page.reload()
    _click_step(page, "办结")
    page.screenshot(path=str(tmp_path / "commission_completed.png"), full_page=True)
    assert "已办结" in page.inner_text("body")

    with app.app_context():
        commission = db.session.get(Commission, commission_id)
        assert commission.state == CommissionState.completed
        assert commission.application_no == f"JCXB-{RUN_DAY.year}-0001"
        assert commission.contact_due_on > commission.applied_on - dt.timedelta(days=1)
        assert {i.state for i in commission.items} == {ItemState.approved}
