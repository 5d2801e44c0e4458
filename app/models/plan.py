"""审批进度计划: versioned personalised approval plans (Art.7, R-5.3)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.commission import Commission
from app.models.items import CommissionItem
from app.models.mixins import Timestamped
from app.models.reference import ApprovalItem


class PlanVersion(Timestamped, Model):
    """One version of a commission's plan; a re-plan adds a version, the old one stays."""

    __tablename__ = "plan_version"
    __table_args__ = (
        sa.UniqueConstraint("commission_id", "version", name="uq_plan_version"),
        sa.CheckConstraint("version >= 1", name="ck_plan_version_positive"),
        sa.CheckConstraint(
            "confirmed_on IS NULL OR confirmed_on >= drafted_on", name="ck_plan_version_dates"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commission.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(default=1)
    drafted_on: Mapped[dt.date] = mapped_column(sa.Date)
    confirmed_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    confirmed_by: Mapped[Optional[str]] = mapped_column(sa.String(50))
    note: Mapped[Optional[str]] = mapped_column(sa.Text)
    # Working days from the first planned submission to the last planned completion.
    total_days: Mapped[Optional[int]] = mapped_column()

    commission: Mapped[Commission] = relationship(back_populates="plan_versions")
    steps: Mapped[list["PlanStep"]] = relationship(
        back_populates="plan_version", order_by="PlanStep.sequence", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"{self.commission} v{self.version}"


class PlanStep(Model):
    """A line of the plan: an item with its planned submission and completion dates."""

    __tablename__ = "plan_step"
    __table_args__ = (
        sa.CheckConstraint(
            "planned_done_on >= planned_submit_on", name="ck_plan_step_dates"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("plan_version.id", ondelete="CASCADE"), index=True
    )
    sequence: Mapped[int] = mapped_column(default=1)
    approval_item_id: Mapped[int] = mapped_column(sa.ForeignKey("approval_item.id"))
    commission_item_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("commission_item.id", ondelete="SET NULL")
    )
    planned_submit_on: Mapped[dt.date] = mapped_column(sa.Date)
    planned_done_on: Mapped[dt.date] = mapped_column(sa.Date)
    # On the plan's critical path: a day's delay here delays the project's completion.
    critical: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    note: Mapped[Optional[str]] = mapped_column(sa.Text)

    plan_version: Mapped[PlanVersion] = relationship(back_populates="steps", lazy="selectin")
    approval_item: Mapped[ApprovalItem] = relationship(lazy="selectin")
    commission_item: Mapped[Optional[CommissionItem]] = relationship()

    @property
    def department(self):
        return self.approval_item.department if self.approval_item else None

    def __repr__(self) -> str:
        return f"{self.sequence}. {self.approval_item}"
