"""业务培训: sessions and attendance (Art.10, R-13.4)."""
from __future__ import annotations

import datetime as dt
import decimal
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.choices import Attendance
from app.labels import enum_column_type
from app.models.mixins import Timestamped
from app.models.organisation import Department, StaffMember


class Training(Timestamped, Model):
    """A training session organised by the window's bureau or a department."""

    __tablename__ = "training"
    __table_args__ = (sa.CheckConstraint("hours > 0", name="ck_training_hours"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    topic: Mapped[str] = mapped_column(sa.Text)
    held_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    organiser_id: Mapped[int] = mapped_column(sa.ForeignKey("department.id"), index=True)
    place: Mapped[Optional[str]] = mapped_column(sa.String(100))
    hours: Mapped[decimal.Decimal] = mapped_column(sa.Numeric(4, 1), default=decimal.Decimal(2))

    organiser: Mapped[Department] = relationship(lazy="selectin")
    attendances: Mapped[list["TrainingAttendance"]] = relationship(
        back_populates="training", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"{self.held_on} {self.title}"


class TrainingAttendance(Model):
    """Whether one staff member attended one session."""

    __tablename__ = "training_attendance"
    __table_args__ = (
        sa.UniqueConstraint("training_id", "staff_id", name="uq_training_attendance"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_member.id"), index=True)
    status: Mapped[Attendance] = mapped_column(
        enum_column_type(Attendance, "attendance"), default=Attendance.present
    )
    note: Mapped[Optional[str]] = mapped_column(sa.String(200))

    training: Mapped[Training] = relationship(back_populates="attendances", lazy="selectin")
    staff: Mapped[StaffMember] = relationship(lazy="selectin")

    def __repr__(self) -> str:
        return f"{self.staff} {self.status}"
