"""One commission from the enquiry to completion through the record pages' step buttons
(R-5, R-6, R-8, R-9), shared by the mouse walk (tests/test_browser_lifecycle.py) and the
keyboard walk (tests/test_browser_keyboard.py, issue 19). Each walk brings its own way of
pressing a step, choosing an option and typing into a field."""
from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from app.choices import DeliveryMethod, Stage
from app.extensions import db
from app.models import CommissionItem, Delivery
from tests import factories as f
from tests.clock import RUN_DAY

#: step(page, label, fill): press the step button ``label``, fill its form, submit it
Step = Callable[..., None]


def enquiry(app) -> tuple[int, int]:
    """Two catalogue items, a coordinator and an enquiry; (enquiry id, coordinator id)."""
    with app.app_context():
        f.approval_item(Stage.s1, 5, name="用地预审与选址意见书")
        f.approval_item(Stage.s3, 3, name="建筑工程施工许可证核发")
        coordinator = f.staff(name="林协办")
        review = f.pre_review()
        db.session.commit()
        return review.id, coordinator.id


def to_work(page, step: Step, choose, type_into, review_id: int, coordinator_id: int) -> int:
    """From the enquiry's page to a commission in progress (its plan confirmed); its id."""
    page.goto(f"/prereviewview/show/{review_id}")
    step(page, "预审结论", lambda p: choose(p, "outcome", "eligible"))
    step(page, "登记委托协办", lambda p: choose(p, "scope", "full"))
    assert "/commissionview/show/" in page.url
    commission_id = int(page.url.rstrip("/").split("/")[-1])
    step(page, "受理申请")
    step(page, "分派协办员", lambda p: choose(p, "coordinator", str(coordinator_id)))
    step(page, "登记与建设单位联系", lambda p: choose(p, "method", "phone"))
    step(page, "拟定审批进度计划")
    step(page, "建设单位确认计划", lambda p: type_into(p, "confirmed_by", "陈经办"))
    return commission_id


def to_completion(app, page, step: Step, commission_id: int) -> None:
    """Every item approved on its page, the result delivered (recorded by the builders: the
    delivery has no step button), the commission completed."""
    with app.app_context():
        item_ids = db.session.scalars(sa.select(CommissionItem.id)).all()
    for item_id in item_ids:
        page.goto(f"/commissionitemview/show/{item_id}")
        for label in ("已申报", "已受理", "准予许可"):
            step(page, label)
    page.goto(f"/commissionview/show/{commission_id}")
    step(page, "进入结果送达")
    with app.app_context():
        db.session.add(Delivery(commission_id=commission_id, method=DeliveryMethod.visit,
                                delivered_on=RUN_DAY, receipt_signed_on=RUN_DAY,
                                signer="陈经办"))
        db.session.commit()
    page.reload()
    step(page, "办结")
    assert "已办结" in page.inner_text("body")
