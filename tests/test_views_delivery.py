"""Screens of result delivery: fee notices, results received, deliveries (app/views/delivery.py)."""
from __future__ import annotations

import decimal

from conftest import form_errors

from app.choices import DeliveryMethod
from app.extensions import db
from app.models import Delivery, FeeNotice, ResultReceipt
from tests import factories as f
from tests.factories import D
from tests.helpers import count, only, page, post


def _case(app):
    with app.app_context():
        dept = f.department("区人民防空办公室")
        commission = f.case(items=[f.approval_item(
            dept=dept, name="防空地下室审批", statutory_fees="防空地下室易地建设费")])
        db.session.commit()
        return {"commission": commission.id, "item": commission.items[0].id, "dept": dept.id,
                "no": commission.application_no}


# ---- fee notices (R-3.1, R-8.1) ------------------------------------------------------------

def _fee(ids, **changes):
    data = {"commission": ids["commission"], "commission_item": ids["item"],
            "department": ids["dept"], "fee_name": "防空地下室易地建设费",
            "amount": "125000.50", "issued_on": "2026-04-01"}
    data.update(changes)
    return data


def test_fee_notice_round_trip(app, client):
    """R-8.1, R-3.1: a fee notice records department, item, statutory fee and amount, issue
    and payment dates; the form says only statutory fees are recorded (the service is free)."""
    ids = _case(app)
    add_form = page(client, "/feenoticeview/add")
    assert "规费名称" in add_form and "协办服务一律免费" in add_form
    response = post(client, "/feenoticeview/add", _fee(ids))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        fee = only(FeeNotice)
        assert (fee.commission_id, fee.commission_item_id, fee.department_id, fee.fee_name,
                fee.amount, fee.issued_on) == (
            ids["commission"], ids["item"], ids["dept"], "防空地下室易地建设费",
            decimal.Decimal("125000.50"), D("2026-04-01"))
        pk = fee.id
    listing = page(client, "/feenoticeview/list/")
    for text in ("缴费通知书", "规费名称", "金额（元）", "出具日期", "缴费日期", "区人民防空办公室",
                 "125000.50", ids["no"]):
        assert text in listing, text
    assert "相关协办事项" in page(client, f"/feenoticeview/show/{pk}")
    response = post(client, f"/feenoticeview/edit/{pk}", _fee(ids, paid_on="2026-04-03"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(FeeNotice, pk).paid_on == D("2026-04-03")


def test_fee_notice_negative_amount_is_refused(app, client):
    """R-3.1: a fee notice holds a statutory fee of zero or more; a negative amount gets a
    Chinese message and nothing is saved."""
    ids = _case(app)
    response = post(client, "/feenoticeview/add", _fee(ids, amount="-1"))
    assert response.status_code == 200
    assert "数额不能为负数" in " ".join(form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(FeeNotice) == 0


def test_fee_notice_paid_before_issued_is_refused(app, client):
    """R-8.1: payment cannot be dated before the notice was issued."""
    ids = _case(app)
    response = post(client, "/feenoticeview/add", _fee(ids, paid_on="2026-03-31"))
    assert response.status_code == 200
    assert "缴费日期不得早于出具日期" in " ".join(form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(FeeNotice) == 0


def test_fee_notice_department_must_be_the_items(app, client):
    """R-8.1: the fee of an item is charged by that item's department."""
    ids = _case(app)
    with app.app_context():
        other = f.department("区气象局").id
        db.session.commit()
    response = post(client, "/feenoticeview/add", _fee(ids, department=other))
    assert response.status_code == 200
    assert "该部门不是相关协办事项的审批部门" in " ".join(
        form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(FeeNotice) == 0


# ---- results received (R-8.2) --------------------------------------------------------------

def test_result_receipt_round_trip(app, client):
    """R-8.2: paper results received at the window: date, department, documents."""
    ids = _case(app)
    response = post(client, "/resultreceiptview/add", {
        "commission": ids["commission"], "department": ids["dept"],
        "received_on": "2026-04-05", "documents": "防空地下室审批意见书一份",
    })
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        row = only(ResultReceipt)
        assert (row.commission_id, row.department_id, row.received_on, row.documents) == (
            ids["commission"], ids["dept"], D("2026-04-05"), "防空地下室审批意见书一份")
        pk = row.id
    listing = page(client, "/resultreceiptview/list/")
    for text in ("结果物接收", "协办专窗接收日期", "审批结果物", "防空地下室审批意见书一份"):
        assert text in listing, text
    assert "区人民防空办公室" in page(client, f"/resultreceiptview/show/{pk}")
    response = post(client, f"/resultreceiptview/edit/{pk}", {
        "commission": ids["commission"], "department": ids["dept"],
        "received_on": "2026-04-06", "documents": "审批意见书（正本）",
    })
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(ResultReceipt, pk)
        assert (row.received_on, row.documents) == (D("2026-04-06"), "审批意见书（正本）")


# ---- deliveries (R-8.4) --------------------------------------------------------------------

def _delivery(ids, **changes):
    data = {"commission": ids["commission"], "method": DeliveryMethod.post.value,
            "carrier": "中国邮政EMS", "tracking_no": "EA123456789CN",
            "delivered_on": "2026-04-08", "documents": "审批意见书"}
    data.update(changes)
    return data


def test_delivery_round_trip_with_signed_receipt(app, client):
    """R-8.4: results are posted (carrier, tracking number) and the 送达回执 is signed
    (date, signer)."""
    ids = _case(app)
    response = post(client, "/deliveryview/add", _delivery(ids))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        row = only(Delivery)
        assert (row.method, row.carrier, row.tracking_no, row.delivered_on) == (
            DeliveryMethod.post, "中国邮政EMS", "EA123456789CN", D("2026-04-08"))
        pk = row.id
    listing = page(client, "/deliveryview/list/")
    for text in ("结果送达", "领取方式", "邮寄送达", "快递单号", "EA123456789CN"):
        assert text in listing, text
    shown = page(client, f"/deliveryview/show/{pk}")
    assert "送达回执" in shown and "签收人" in shown and "快递公司" in shown
    response = post(client, f"/deliveryview/edit/{pk}", _delivery(
        ids, receipt_signed_on="2026-04-10", signer="陈经办"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        row = db.session.get(Delivery, pk)
        assert (row.receipt_signed_on, row.signer) == (D("2026-04-10"), "陈经办")


def test_collection_in_person_needs_no_tracking(app, client):
    """R-8.4: 上门领取 needs no carrier or tracking number."""
    ids = _case(app)
    response = post(client, "/deliveryview/add", _delivery(
        ids, method=DeliveryMethod.visit.value, carrier=None, tracking_no=None,
        receipt_signed_on="2026-04-08", signer="陈经办"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        assert only(Delivery).method == DeliveryMethod.visit
    assert "上门领取" in page(client, "/deliveryview/list/")


def test_delivery_by_post_needs_carrier_and_tracking_number(app, client):
    """R-8.4: delivery by post without carrier and tracking number is refused in Chinese."""
    ids = _case(app)
    response = post(client, "/deliveryview/add", _delivery(ids, carrier="", tracking_no=""))
    assert response.status_code == 200
    errors = " ".join(form_errors(response.get_data(as_text=True)))
    assert "邮寄送达须填写快递公司" in errors and "邮寄送达须填写快递单号" in errors
    with app.app_context():
        assert count(Delivery) == 0


def test_receipt_signed_before_delivery_is_refused(app, client):
    """R-8.4: the receipt cannot be signed before the delivery."""
    ids = _case(app)
    response = post(client, "/deliveryview/add", _delivery(
        ids, receipt_signed_on="2026-04-07", signer="陈经办"))
    assert response.status_code == 200
    assert "签收日期不得早于送达日期" in " ".join(form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(Delivery) == 0


def test_signed_receipt_needs_signer(app, client):
    """R-8.4: a signed receipt names who signed it."""
    ids = _case(app)
    response = post(client, "/deliveryview/add", _delivery(ids, receipt_signed_on="2026-04-09"))
    assert response.status_code == 200
    assert "已签收的送达回执须填写签收人" in " ".join(form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(Delivery) == 0
