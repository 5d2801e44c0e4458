"""The organisation: approval departments, the staff roster and roster filings (R-2)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.choices import RosterChangeKind, StaffRole, StaffStatus
from app.labels import enum_column_type
from app.models.mixins import Timestamped
from app.pinyin import PinyinNamed


class Department(Timestamped, Model):
    """审批部门, including the window's own bureau (区政数局), R-2.1 and R-2.4."""

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    short_name: Mapped[Optional[str]] = mapped_column(sa.String(40))
    runs_window: Mapped[bool] = mapped_column(default=False)
    contact_name: Mapped[str] = mapped_column(sa.String(50))
    contact_phone: Mapped[str] = mapped_column(sa.String(30))
    address: Mapped[Optional[str]] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True, index=True)
    sort_order: Mapped[int] = mapped_column(default=0)

    specialists: Mapped[list["StaffMember"]] = relationship(
        back_populates="department", foreign_keys="StaffMember.department_id"
    )

    def __repr__(self) -> str:
        return self.name


class StaffMember(PinyinNamed, Timestamped, Model):
    """A coordinator (协办员) or a specialist (专办员, in one department), R-2.2."""

    __tablename__ = "staff_member"
    __table_args__ = (
        sa.CheckConstraint(
            "role <> 'specialist' OR department_id IS NOT NULL",
            name="ck_staff_member_specialist_department",
        ),
        sa.CheckConstraint(
            "exited_on IS NULL OR exited_on >= admitted_on",
            name="ck_staff_member_dates",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Natural keys of a roster import: the district's staff number, or the SHA-256
    # of the ID card number (the number itself is never stored).
    staff_no: Mapped[Optional[str]] = mapped_column(sa.String(30), unique=True)
    id_card_hash: Mapped[Optional[str]] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(50), index=True)
    role: Mapped[StaffRole] = mapped_column(enum_column_type(StaffRole, "staff_role"), index=True)
    department_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("department.id"), index=True
    )
    title: Mapped[Optional[str]] = mapped_column(sa.String(50))
    phone: Mapped[str] = mapped_column(sa.String(30))
    email: Mapped[Optional[str]] = mapped_column(sa.String(120))
    status: Mapped[StaffStatus] = mapped_column(
        enum_column_type(StaffStatus, "staff_status"), default=StaffStatus.active, index=True
    )
    admitted_on: Mapped[dt.date] = mapped_column(sa.Date)
    exited_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    user_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("ab_user.id"), unique=True)
    remarks: Mapped[Optional[str]] = mapped_column(sa.Text)

    department: Mapped[Optional[Department]] = relationship(
        back_populates="specialists", foreign_keys=[department_id], lazy="selectin"
    )
    user = relationship("User", lazy="selectin")
    roster_changes: Mapped[list["RosterChange"]] = relationship(
        back_populates="staff", foreign_keys="RosterChange.staff_id",
        order_by="RosterChange.effective_on",
    )

    def __repr__(self) -> str:
        return self.name


class RosterChange(Timestamped, Model):
    """人员报备: a join, leave, transfer or replacement filed before it takes effect (R-2.3)."""

    __tablename__ = "roster_change"
    __table_args__ = (
        sa.CheckConstraint("effective_on >= filed_on", name="ck_roster_change_dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_member.id"), index=True)
    kind: Mapped[RosterChangeKind] = mapped_column(
        enum_column_type(RosterChangeKind, "roster_change_kind"), index=True
    )
    from_department_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("department.id"))
    to_department_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("department.id"))
    replacement_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("staff_member.id"))
    filed_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    effective_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    approved_by: Mapped[Optional[str]] = mapped_column(sa.String(50))
    approved_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    # The day the change was carried out on the roster (app/domain/roster.py); NULL: pending.
    applied_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date, index=True)

    staff: Mapped[StaffMember] = relationship(
        back_populates="roster_changes", foreign_keys=[staff_id], lazy="selectin"
    )
    from_department: Mapped[Optional[Department]] = relationship(
        foreign_keys=[from_department_id], lazy="selectin"
    )
    to_department: Mapped[Optional[Department]] = relationship(
        foreign_keys=[to_department_id], lazy="selectin"
    )
    replacement: Mapped[Optional[StaffMember]] = relationship(
        foreign_keys=[replacement_id], lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"{self.staff} {self.kind} {self.effective_on}"
