"""考核评价 per period, per department or coordinator (Art.11, R-13.3)."""
from __future__ import annotations

import datetime as dt
import decimal
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.choices import AssessmentSubject
from app.labels import enum_column_type
from app.models.mixins import Timestamped
from app.models.organisation import Department, StaffMember


class Assessment(Timestamped, Model):
    """The figures of one period for one subject, frozen when saved, with a manual score."""

    __tablename__ = "assessment"
    __table_args__ = (
        sa.CheckConstraint("period_end >= period_start", name="ck_assessment_period"),
        sa.CheckConstraint(
            "(subject = 'department' AND department_id IS NOT NULL AND staff_id IS NULL) OR "
            "(subject = 'coordinator' AND staff_id IS NOT NULL AND department_id IS NULL)",
            name="ck_assessment_subject",
        ),
        sa.CheckConstraint(
            "on_time_rate IS NULL OR (on_time_rate >= 0 AND on_time_rate <= 100)",
            name="ck_assessment_on_time_rate",
        ),
        sa.CheckConstraint(
            "commissions_handled >= 0 AND overdue_count >= 0 AND refusals >= 0 "
            "AND open_escalations >= 0",
            name="ck_assessment_counts",
        ),
        sa.CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)",
                           name="ck_assessment_score"),
        # One assessment per period and subject. A plain UNIQUE over both nullable ids
        # would never fire (NULLs do not collide), hence one partial index per subject.
        sa.Index("uq_assessment_period_department", "period_start", "period_end",
                 "department_id", unique=True,
                 sqlite_where=sa.text("subject = 'department'"),
                 postgresql_where=sa.text("subject = 'department'")),
        sa.Index("uq_assessment_period_coordinator", "period_start", "period_end", "staff_id",
                 unique=True,
                 sqlite_where=sa.text("subject = 'coordinator'"),
                 postgresql_where=sa.text("subject = 'coordinator'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    period_end: Mapped[dt.date] = mapped_column(sa.Date)
    subject: Mapped[AssessmentSubject] = mapped_column(
        enum_column_type(AssessmentSubject, "assessment_subject"), index=True
    )
    department_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("department.id"), index=True
    )
    staff_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("staff_member.id"), index=True)
    commissions_handled: Mapped[int] = mapped_column(default=0)
    on_time_rate: Mapped[Optional[decimal.Decimal]] = mapped_column(sa.Numeric(5, 2))
    overdue_count: Mapped[int] = mapped_column(default=0)
    refusals: Mapped[int] = mapped_column(default=0)
    average_rating: Mapped[Optional[decimal.Decimal]] = mapped_column(sa.Numeric(3, 2))
    open_escalations: Mapped[int] = mapped_column(default=0)
    score: Mapped[Optional[decimal.Decimal]] = mapped_column(sa.Numeric(5, 2))
    remarks: Mapped[Optional[str]] = mapped_column(sa.Text)
    flagged: Mapped[bool] = mapped_column(default=False, index=True)

    department: Mapped[Optional[Department]] = relationship(lazy="selectin")
    staff: Mapped[Optional[StaffMember]] = relationship(lazy="selectin")

    def __repr__(self) -> str:
        return f"{self.period_start}–{self.period_end} {self.department or self.staff}"
