"""Screens for result delivery (结果送达): statutory fee notices, results received at the
window, and collection with the signed receipt (Art.8, R-3.1, R-8.1, R-8.2, R-8.4)."""
from __future__ import annotations

import decimal
from typing import Any

from flask_babel import lazy_gettext as _

from app.choices import DeliveryMethod
from app.domain import fees
from app.domain.errors import DomainError
from app.models import Delivery, FeeNotice, ResultReceipt
from app.views.base import AppInterface, AppModelView, date_order
from app.views.menu import CASEWORK, add
from app.views.rules import NOT_THIS_COMMISSION, all_rules, same_commission


def check_amount(value: decimal.Decimal) -> object | None:
    """A fee is a non-negative amount (R-3.1: only statutory fees, never a service fee)."""
    if value < 0:
        return _("The amount cannot be negative.")
    return None


class FeeNoticeView(AppModelView):
    """缴费通知书: a statutory fee (规费) a department asks the unit to pay (R-8.1).

    The assistance itself is free (无偿协办, R-3.1): there is no service-fee record anywhere.
    """

    today_columns = ("issued_on",)

    datamodel = AppInterface(FeeNotice, eager=("commission_item",))
    list_title = _("Fee notices")
    show_title = _("Fee notice")
    add_title = _("Add fee notice")
    edit_title = _("Edit fee notice")
    label_columns = {
        "commission": _("Commission"),
        "commission_item": _("Related item"),
        "department": _("Approval department"),
        "fee_name": _("Statutory fee"),
        "amount": _("Amount (yuan)"),
        "issued_on": _("Issued on"),
        "paid_on": _("Paid on"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    description_columns = {
        "fee_name": _("Only fees that laws and regulations require the unit to pay, as the "
                      "catalogue lists them for the item: the assistance service itself is "
                      "free."),
    }
    list_columns = [
        "commission", "department", "fee_name", "amount", "issued_on", "paid_on",
    ]
    show_columns = [
        "commission", "commission_item", "department", "fee_name", "amount", "issued_on",
        "paid_on", "created_at", "updated_at",
    ]
    add_columns = edit_columns = [
        "commission", "commission_item", "department", "fee_name", "amount", "issued_on",
        "paid_on",
    ]
    search_columns = ["department", "fee_name", "amount", "issued_on", "paid_on"]
    order_columns = ["fee_name", "amount", "issued_on", "paid_on"]
    base_order = ("issued_on", "desc")
    lookup_columns = {"commission": "commission", "commission_item": "commission_item"}
    field_checks = {"amount": check_amount}

    _rules = staticmethod(all_rules(
        date_order("issued_on", "paid_on", _("The payment date is before the issue date.")),
        same_commission("commission", "commission_item", NOT_THIS_COMMISSION),
    ))

    def check_form(self, form: Any) -> dict[str, object]:
        """Dates in order; a fee for an item is charged by that item's department."""
        errors = dict(self._rules(form))
        item, department = form.commission_item.data, form.department.data
        if item is not None and department is not None:
            if item.approval_item.department_id != department.id:
                errors.setdefault("department", _(
                    "The department is not the approval department of the related item."))
        try:  # a statutory fee of the catalogue, nothing else
            fees.check_fee(form.commission.data, item, department, form.fee_name.data)
        except DomainError as refused:
            errors.setdefault("fee_name", refused.message)
        return errors


class ResultReceiptView(AppModelView):
    """Paper approval results a department delivered to the window (R-8.2)."""

    today_columns = ("received_on",)

    datamodel = AppInterface(ResultReceipt)
    list_title = _("Result receipts")
    show_title = _("Result receipt")
    add_title = _("Add result receipt")
    edit_title = _("Edit result receipt")
    label_columns = {
        "commission": _("Commission"),
        "department": _("Approval department"),
        "received_on": _("Received at the window on"),
        "documents": _("Result documents"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    list_columns = ["commission", "department", "received_on", "documents"]
    show_columns = list_columns + ["created_at", "updated_at"]
    add_columns = edit_columns = ["commission", "department", "received_on", "documents"]
    search_columns = ["department", "received_on", "documents"]
    order_columns = ["received_on"]
    base_order = ("received_on", "desc")
    lookup_columns = {"commission": "commission"}


class DeliveryView(AppModelView):
    """结果送达: collection in person or by post, and the signed 送达回执 (R-8.4)."""

    today_columns = ("delivered_on",)

    datamodel = AppInterface(Delivery)
    list_title = _("Deliveries")
    show_title = _("Delivery")
    add_title = _("Add delivery")
    edit_title = _("Edit delivery")
    label_columns = {
        "commission": _("Commission"),
        "method": _("Collection method"),
        "carrier": _("Carrier"),
        "tracking_no": _("Tracking number"),
        "delivered_on": _("Delivered on"),
        "documents": _("Documents delivered"),
        "receipt_signed_on": _("Receipt signed on"),
        "signer": _("Receipt signed by"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    list_columns = [
        "commission", "method", "delivered_on", "tracking_no", "receipt_signed_on", "signer",
    ]
    show_fieldsets = [
        (_("Delivery"), {"fields": [
            "commission", "method", "carrier", "tracking_no", "delivered_on", "documents",
        ]}),
        (_("Delivery receipt"), {"fields": ["receipt_signed_on", "signer"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "expanded": False}),
    ]
    add_columns = edit_columns = [
        "commission", "method", "carrier", "tracking_no", "delivered_on", "documents",
        "receipt_signed_on", "signer",
    ]
    search_columns = ["method", "delivered_on", "tracking_no", "receipt_signed_on", "signer"]
    order_columns = ["method", "delivered_on", "receipt_signed_on"]
    base_order = ("delivered_on", "desc")
    lookup_columns = {"commission": "commission"}

    _dates = staticmethod(date_order(
        "delivered_on", "receipt_signed_on", _("The receipt is signed before the delivery date.")
    ))

    def check_form(self, form: Any) -> dict[str, object]:
        """By post needs carrier and tracking number; a signed receipt names its signer."""
        errors = dict(self._dates(form))
        if form.method.data == DeliveryMethod.post:
            if not (form.carrier.data or "").strip():
                errors.setdefault("carrier", _("Delivery by post needs the carrier."))
            if not (form.tracking_no.data or "").strip():
                errors.setdefault("tracking_no", _("Delivery by post needs the tracking number."))
        if form.receipt_signed_on.data and not (form.signer.data or "").strip():
            errors.setdefault("signer", _("A signed receipt needs the signer's name."))
        return errors


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, FeeNoticeView, "Fee notices", _("Fee notices"), CASEWORK, "fa-money")
    add(appbuilder, ResultReceiptView, "Result receipts", _("Result receipts"), CASEWORK,
        "fa-inbox")
    add(appbuilder, DeliveryView, "Deliveries", _("Deliveries"), CASEWORK, "fa-truck")
