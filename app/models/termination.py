"""委托终止 and its announcement (Art.9, attached form 3, R-10)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.choices import TerminationReason
from app.labels import enum_column_type
from app.models.commission import Commission
from app.models.mixins import Timestamped


class Termination(Timestamped, Model):
    """The termination of one commission: reason, notice, confirmation and handover."""

    __tablename__ = "termination"
    __table_args__ = (
        sa.CheckConstraint(
            "reason <> 'other' OR reason_text IS NOT NULL", name="ck_termination_other_text"
        ),
        sa.CheckConstraint(
            "unit_confirmed_on IS NULL OR unit_confirmed_on >= issued_on",
            name="ck_termination_confirmed_after_issue",
        ),
        sa.CheckConstraint(
            "handed_over_on IS NULL OR handed_over_on >= issued_on",
            name="ck_termination_handover_after_issue",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commission.id", ondelete="CASCADE"), unique=True
    )
    reason: Mapped[TerminationReason] = mapped_column(
        enum_column_type(TerminationReason, "termination_reason"), index=True
    )
    reason_text: Mapped[Optional[str]] = mapped_column(sa.Text)
    issued_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    unit_notified_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    confirm_due_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date, index=True)
    unit_confirmed_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    handover_due_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date, index=True)
    handed_over_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    effective_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)

    commission: Mapped[Commission] = relationship(back_populates="termination")
    announcement: Mapped[Optional["Announcement"]] = relationship(
        back_populates="termination", uselist=False
    )

    def __repr__(self) -> str:
        return f"{self.commission} {self.reason}"


class Announcement(Timestamped, Model):
    """公告 on the government service website when the unit has not confirmed (R-10.4)."""

    __tablename__ = "announcement"

    id: Mapped[int] = mapped_column(primary_key=True)
    termination_id: Mapped[int] = mapped_column(
        sa.ForeignKey("termination.id", ondelete="CASCADE"), unique=True
    )
    published_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    url: Mapped[str] = mapped_column(sa.String(500))
    effective_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date, index=True)

    termination: Mapped[Termination] = relationship(back_populates="announcement", lazy="selectin")

    def __repr__(self) -> str:
        return f"{self.published_on} {self.url}"
