"""R-3.1, R-8.1: fee notices name only the statutory fees the catalogue lists for the item;
a 协办服务费 (the service is free) or any other name is refused in Chinese."""
from __future__ import annotations

from conftest import form_errors

from app.domain import fees
from app.domain.errors import DomainError
from app.extensions import db
from app.models import ApprovalItem, FeeNotice
from app.seed.catalogue import CATALOGUE, STATUTORY_FEES
from tests import factories as f
from tests.helpers import count, post


def _case(app):
    with app.app_context():
        dept = f.department("区城市管理和综合执法局")
        commission = f.case(items=[f.approval_item(
            dept=dept, name="占用、挖掘城市道路许可",
            statutory_fees="城市道路挖掘修复费\n城市道路占用费")])
        item = commission.items[0]
        db.session.commit()
        return {"commission": commission.id, "commission_item": item.id, "department": dept.id,
                "amount": "500", "issued_on": "2026-04-01"}


def test_service_fee_and_unlisted_fees_are_refused_R_3_1(app, client):
    """R-3.1: "协办服务费 500" and a fee the item does not list are refused on the form, in
    Chinese, naming the statutory fees; nothing is saved."""
    ids = _case(app)
    for name in ("协办服务费", "城市基础设施配套费"):
        response = post(client, "/feenoticeview/add", {**ids, "fee_name": name})
        assert response.status_code == 200
        errors = " ".join(form_errors(response.get_data(as_text=True)))
        assert "无偿协办" in errors and "城市道路挖掘修复费、城市道路占用费" in errors, errors
    with app.app_context():
        assert count(FeeNotice) == 0


def test_a_listed_statutory_fee_is_accepted_R_3_1(app, client):
    """R-3.1, R-8.1: a fee from the item's list is recorded (with or without the item: then
    the commission's items of that department)."""
    ids = _case(app)
    assert post(client, "/feenoticeview/add", {**ids, "fee_name": "城市道路占用费"}).status_code == 302
    without_item = {**ids, "commission_item": None, "fee_name": "城市道路挖掘修复费"}
    assert post(client, "/feenoticeview/add", without_item).status_code == 302
    with app.app_context():
        assert count(FeeNotice) == 2


def test_catalogue_carries_the_fee_list_as_data_R_3_1(ctx):
    """R-3.1: the fee types are catalogue data (seeded), not free text; an item without any
    refuses every fee."""
    names = {entry.name for entry in CATALOGUE}
    assert set(STATUTORY_FEES) <= names
    item = ApprovalItem(name="x", statutory_fees=" 水土保持补偿费 \n\n")
    assert item.fee_types == ["水土保持补偿费"]
    try:
        fees.check_fee(None, None, None, "协办服务费")
    except DomainError as refused:
        assert "没有法定收费项目" in str(refused.message)
    else:
        raise AssertionError("a fee was accepted without any statutory fee listed")
