"""结果送达: statutory fee notices, results received and collection (Art.8, R-8)."""
from __future__ import annotations

import datetime as dt
import decimal
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.choices import DeliveryMethod
from app.labels import enum_column_type
from app.models.commission import Commission
from app.models.items import CommissionItem
from app.models.mixins import Timestamped, money
from app.models.organisation import Department


class FeeNotice(Timestamped, Model):
    """缴费通知书: a statutory fee (规费) only: the service itself is free (R-3.1, R-8.1)."""

    __tablename__ = "fee_notice"
    __table_args__ = (
        sa.CheckConstraint("amount >= 0", name="ck_fee_notice_amount"),
        sa.CheckConstraint("paid_on IS NULL OR paid_on >= issued_on", name="ck_fee_notice_dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commission.id", ondelete="CASCADE"), index=True
    )
    commission_item_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("commission_item.id", ondelete="SET NULL")
    )
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("department.id"), index=True)
    fee_name: Mapped[str] = mapped_column(sa.String(100))
    amount: Mapped[decimal.Decimal] = mapped_column(money())
    issued_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    paid_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)

    commission: Mapped[Commission] = relationship()
    commission_item: Mapped[Optional[CommissionItem]] = relationship()
    department: Mapped[Department] = relationship(lazy="selectin")

    def __repr__(self) -> str:
        return f"{self.fee_name} {self.amount}"


class ResultReceipt(Timestamped, Model):
    """Paper approval results a department delivered to the window (R-8.2)."""

    __tablename__ = "result_receipt"

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commission.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("department.id"), index=True)
    received_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    documents: Mapped[str] = mapped_column(sa.Text)

    commission: Mapped[Commission] = relationship()
    department: Mapped[Department] = relationship(lazy="selectin")

    def __repr__(self) -> str:
        return f"{self.department} {self.received_on}"


class Delivery(Timestamped, Model):
    """Collection of the results: in person or by post, with the signed 送达回执 (R-8.4)."""

    __tablename__ = "delivery"
    __table_args__ = (
        sa.CheckConstraint(
            "method <> 'post' OR (carrier IS NOT NULL AND tracking_no IS NOT NULL)",
            name="ck_delivery_post_tracking",
        ),
        sa.CheckConstraint(
            "receipt_signed_on IS NULL OR receipt_signed_on >= delivered_on",
            name="ck_delivery_dates",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commission.id", ondelete="CASCADE"), index=True
    )
    method: Mapped[DeliveryMethod] = mapped_column(
        enum_column_type(DeliveryMethod, "delivery_method")
    )
    carrier: Mapped[Optional[str]] = mapped_column(sa.String(50))
    tracking_no: Mapped[Optional[str]] = mapped_column(sa.String(50))
    delivered_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    documents: Mapped[Optional[str]] = mapped_column(sa.Text)
    receipt_signed_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    signer: Mapped[Optional[str]] = mapped_column(sa.String(50))

    commission: Mapped[Commission] = relationship()

    def __repr__(self) -> str:
        return f"{self.method} {self.delivered_on}"
