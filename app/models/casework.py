"""The coordinator's casework: work log, consultations, escalations, one-time notices (R-6.3–6.7)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.choices import EscalationTarget, MaterialProblem, WorkLogType
from app.labels import enum_column_type
from app.models.commission import Commission
from app.models.items import CommissionItem
from app.models.mixins import Timestamped, UTCDateTime, utcnow
from app.models.organisation import StaffMember
from app.models.reference import ItemMaterial
from app.states import EscalationStatus


class WorkLogEntry(Model):
    """工作日志: append-only; a correction is a new entry pointing at the one it corrects."""

    __tablename__ = "work_log_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commission.id", ondelete="CASCADE"), index=True
    )
    logged_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_member.id"), index=True)
    entry_type: Mapped[WorkLogType] = mapped_column(
        enum_column_type(WorkLogType, "work_log_type"), index=True
    )
    content: Mapped[str] = mapped_column(sa.Text)
    commission_item_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("commission_item.id", ondelete="SET NULL")
    )
    corrects_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("work_log_entry.id"))

    commission: Mapped[Commission] = relationship()
    author: Mapped[StaffMember] = relationship(lazy="selectin")
    commission_item: Mapped[Optional[CommissionItem]] = relationship()
    corrects: Mapped[Optional["WorkLogEntry"]] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"{self.logged_on} {self.entry_type}"


class Consultation(Timestamped, Model):
    """沟通记录: a question from the coordinator and the specialist's answer (R-6.3)."""

    __tablename__ = "consultation"
    __table_args__ = (
        sa.CheckConstraint(
            "answered_on IS NULL OR answered_on >= asked_on", name="ck_consultation_dates"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commission.id", ondelete="CASCADE"), index=True
    )
    commission_item_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("commission_item.id", ondelete="SET NULL")
    )
    coordinator_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_member.id"), index=True)
    specialist_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_member.id"), index=True)
    asked_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    question: Mapped[str] = mapped_column(sa.Text)
    answer: Mapped[Optional[str]] = mapped_column(sa.Text)
    answered_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)

    commission: Mapped[Commission] = relationship()
    commission_item: Mapped[Optional[CommissionItem]] = relationship()
    coordinator: Mapped[StaffMember] = relationship(foreign_keys=[coordinator_id], lazy="selectin")
    specialist: Mapped[StaffMember] = relationship(foreign_keys=[specialist_id], lazy="selectin")

    def __repr__(self) -> str:
        return f"{self.asked_on} {self.question[:20]}"


class Escalation(Timestamped, Model):
    """问题上报: a problem raised to the window or a department head, open until resolved."""

    __tablename__ = "escalation"
    __table_args__ = (
        sa.CheckConstraint(
            "status <> 'resolved' OR (resolution IS NOT NULL AND resolved_on IS NOT NULL)",
            name="ck_escalation_resolution",
        ),
        sa.CheckConstraint(
            "resolved_on IS NULL OR resolved_on >= raised_on", name="ck_escalation_dates"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commission.id", ondelete="CASCADE"), index=True
    )
    commission_item_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("commission_item.id", ondelete="SET NULL")
    )
    raised_by_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_member.id"), index=True)
    target: Mapped[EscalationTarget] = mapped_column(
        enum_column_type(EscalationTarget, "escalation_target")
    )
    raised_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    problem: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[EscalationStatus] = mapped_column(
        enum_column_type(EscalationStatus, "escalation_status"),
        default=EscalationStatus.open,
        index=True,
    )
    resolution: Mapped[Optional[str]] = mapped_column(sa.Text)
    resolved_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)

    commission: Mapped[Commission] = relationship()
    commission_item: Mapped[Optional[CommissionItem]] = relationship()
    raised_by: Mapped[StaffMember] = relationship(lazy="selectin")

    def __repr__(self) -> str:
        return f"{self.raised_on} {self.problem[:20]}"


class MaterialNotice(Timestamped, Model):
    """一次性告知书: every missing or insufficient material, told at once (R-6.5)."""

    __tablename__ = "material_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commission.id", ondelete="CASCADE"), index=True
    )
    issued_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    issued_by_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_member.id"))
    note: Mapped[Optional[str]] = mapped_column(sa.Text)

    commission: Mapped[Commission] = relationship()
    issued_by: Mapped[StaffMember] = relationship(lazy="selectin")
    lines: Mapped[list["MaterialNoticeLine"]] = relationship(
        back_populates="notice", cascade="all, delete-orphan", order_by="MaterialNoticeLine.id"
    )

    def __repr__(self) -> str:
        return f"{self.commission} {self.issued_on}"


class MaterialNoticeLine(Model):
    """One material on a one-time notice, for one item of the commission."""

    __tablename__ = "material_notice_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("material_notice.id", ondelete="CASCADE"), index=True
    )
    commission_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commission_item.id", ondelete="CASCADE")
    )
    material_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("item_material.id"))
    material_name: Mapped[str] = mapped_column(sa.String(200))
    problem: Mapped[MaterialProblem] = mapped_column(
        enum_column_type(MaterialProblem, "material_problem")
    )
    note: Mapped[Optional[str]] = mapped_column(sa.Text)

    notice: Mapped[MaterialNotice] = relationship(back_populates="lines", lazy="selectin")
    commission_item: Mapped[CommissionItem] = relationship(lazy="selectin")
    material: Mapped[Optional[ItemMaterial]] = relationship()

    def __repr__(self) -> str:
        return self.material_name
