"""协办事项: the delegated approval items of a commission, their attempts and suspensions (R-6)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.labels import enum_column_type
from app.models.commission import Commission
from app.models.mixins import Timestamped
from app.models.organisation import StaffMember
from app.models.reference import ApprovalItem
from app.states import ITEM_RUNNING, ItemState


class JointApproval(Timestamped, Model):
    """联合审批: a session that handles items of several departments together (R-6.1)."""

    __tablename__ = "joint_approval"

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commission.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(100))
    held_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    note: Mapped[Optional[str]] = mapped_column(sa.Text)

    commission: Mapped[Commission] = relationship()
    items: Mapped[list["CommissionItem"]] = relationship(back_populates="joint_approval")

    def __repr__(self) -> str:
        return self.title


class CommissionItem(Timestamped, Model):
    """One attempt at one delegated approval item; a re-application is a new attempt."""

    __tablename__ = "commission_item"
    __table_args__ = (
        sa.UniqueConstraint(
            "commission_id", "approval_item_id", "attempt", name="uq_commission_item_attempt"
        ),
        sa.CheckConstraint("attempt >= 1", name="ck_commission_item_attempt"),
        sa.CheckConstraint(
            "decided_on IS NULL OR submitted_on IS NULL OR decided_on >= submitted_on",
            name="ck_commission_item_dates",
        ),
        sa.CheckConstraint(
            "state <> 'refused' OR refusal_reason IS NOT NULL",
            name="ck_commission_item_refusal_reason",
        ),
        sa.CheckConstraint(
            "state <> 'withdrawn' OR (withdrawn_on IS NOT NULL AND withdrawal_reason IS NOT NULL)",
            name="ck_commission_item_withdrawal",
        ),
        # The overdue screen and the dashboard ask for running items past a date, and for
        # items decided in a period (and on time or not, app/domain/definitions.py: the index
        # alone answers): a range of the index, not a scan of every item. The first also
        # holds each item's commission and approval item: 督办 joins its late items to them
        # from the index alone, without reading the items' rows (issue 16).
        sa.Index("ix_commission_item_state_due_on_refs", "state", "due_on", "commission_id",
                 "approval_item_id"),
        sa.Index("ix_commission_item_state_decided_on", "state", "decided_on", "due_on",
                 "overdue_on"),
        # 督办's "behind the confirmed plan" asks for open items past a planned date (R-5.6).
        sa.Index("ix_commission_item_state_planned_done_on", "state", "planned_done_on"),
        # ... and past a planned submission: the few of those, not every open item (issue 16).
        sa.Index("ix_commission_item_state_planned_submit_on", "state", "planned_submit_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commission.id", ondelete="CASCADE"), index=True
    )
    approval_item_id: Mapped[int] = mapped_column(sa.ForeignKey("approval_item.id"), index=True)
    attempt: Mapped[int] = mapped_column(default=1)
    previous_attempt_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("commission_item.id"), unique=True
    )
    state: Mapped[ItemState] = mapped_column(
        enum_column_type(ItemState, "item_state"), default=ItemState.pending
    )
    specialist_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("staff_member.id"), index=True
    )
    joint_approval_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("joint_approval.id", ondelete="SET NULL"), index=True
    )
    submitted_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    accepted_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    due_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date, index=True)
    # Set by the deadline sweep the first day the item is found overdue; kept afterwards,
    # so assessments can count late items after they close.
    overdue_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date, index=True)
    decided_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    # The item's line of the newest plan the unit confirmed, written when it is confirmed
    # (app/domain/planning.confirm_plan), so that 督办 finds slips without reading plans.
    planned_submit_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    planned_done_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    refusal_reason: Mapped[Optional[str]] = mapped_column(sa.Text)
    unit_informed_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    result_document: Mapped[Optional[str]] = mapped_column(sa.String(200))
    # Withdrawn by the commission's termination: the day and why.
    withdrawn_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    withdrawal_reason: Mapped[Optional[str]] = mapped_column(sa.Text)

    # Lazy, as every record's link to its commission: a record is mostly shown under its
    # commission, which is in the session already (a lazy many-to-one load reads the
    # identity map; selectin would query the commission and its relations again). Lists
    # load it eagerly (app/views/base.py, AppInterface.eager).
    commission: Mapped[Commission] = relationship(back_populates="items")
    approval_item: Mapped[ApprovalItem] = relationship(lazy="selectin")
    specialist: Mapped[Optional[StaffMember]] = relationship(lazy="selectin")
    joint_approval: Mapped[Optional[JointApproval]] = relationship(back_populates="items")
    previous_attempt: Mapped[Optional["CommissionItem"]] = relationship(
        remote_side=[id], foreign_keys=[previous_attempt_id]
    )
    supplements: Mapped[list["ItemSupplement"]] = relationship(
        back_populates="commission_item", order_by="ItemSupplement.requested_on"
    )

    @property
    def deadline(self) -> dt.date | None:
        """The promised date while the clock runs (not while 补正 stops it, not once decided)."""
        if self.state in ITEM_RUNNING:
            return self.due_on
        return None

    @property
    def department(self):
        return self.approval_item.department if self.approval_item else None

    def __repr__(self) -> str:
        return attempt_label(str(self.approval_item), self.attempt)


def attempt_label(name: str, attempt: int | None) -> str:
    """An item as clerks name it: the approval item, and which attempt from the second on."""
    suffix = f"（第{attempt}次）" if attempt and attempt > 1 else ""
    return f"{name}{suffix}"


class ItemSupplement(Model):
    """补正: the period during which an item's clock is stopped for supplementary materials."""

    __tablename__ = "item_supplement"
    __table_args__ = (
        sa.CheckConstraint(
            "received_on IS NULL OR received_on >= requested_on", name="ck_item_supplement_dates"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commission_item.id", ondelete="CASCADE"), index=True
    )
    requested_on: Mapped[dt.date] = mapped_column(sa.Date)
    received_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    note: Mapped[Optional[str]] = mapped_column(sa.Text)

    commission_item: Mapped[CommissionItem] = relationship(
        back_populates="supplements", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"{self.commission_item} {self.requested_on}"
