"""回访 with the five-level 好差评 rating, and rectification of bad ratings (R-13.2)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.choices import ContactMethod, Rating
from app.labels import enum_column_type
from app.models.commission import Commission
from app.models.mixins import Timestamped
from app.models.organisation import StaffMember


class Revisit(Timestamped, Model):
    """A revisit of a commission's unit: who was reached, how, and the rating."""

    __tablename__ = "revisit"

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("commission.id", ondelete="CASCADE"), index=True
    )
    visited_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    method: Mapped[ContactMethod] = mapped_column(
        enum_column_type(ContactMethod, "revisit_method")
    )
    visitor_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("staff_member.id"))
    person_reached: Mapped[str] = mapped_column(sa.String(50))
    rating: Mapped[Rating] = mapped_column(enum_column_type(Rating, "rating"), index=True)
    opinions: Mapped[Optional[str]] = mapped_column(sa.Text)
    follow_up: Mapped[Optional[str]] = mapped_column(sa.Text)

    commission: Mapped[Commission] = relationship()
    visitor: Mapped[Optional[StaffMember]] = relationship(lazy="selectin")
    rectification: Mapped[Optional["Rectification"]] = relationship(
        back_populates="revisit", uselist=False
    )

    def __repr__(self) -> str:
        return f"{self.visited_on} {self.rating}"


class Rectification(Timestamped, Model):
    """整改: opened by a 不满意/非常不满意 rating, open until closed."""

    __tablename__ = "rectification"
    __table_args__ = (
        sa.CheckConstraint(
            "closed = false OR (verified_by IS NOT NULL AND feedback_on IS NOT NULL)",
            name="ck_rectification_closed",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revisit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("revisit.id", ondelete="CASCADE"), unique=True
    )
    measures: Mapped[Optional[str]] = mapped_column(sa.Text)
    verified_by: Mapped[Optional[str]] = mapped_column(sa.String(50))
    feedback_on: Mapped[Optional[dt.date]] = mapped_column(sa.Date)
    closed: Mapped[bool] = mapped_column(default=False, index=True)

    revisit: Mapped[Revisit] = relationship(back_populates="rectification", lazy="selectin")

    def __repr__(self) -> str:
        return f"{self.revisit}"
