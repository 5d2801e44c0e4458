"""工作日历: overrides of the working-day calendar (R-12.1) and the confirmed years (R-12.2)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.choices import CalendarDayKind
from app.labels import enum_column_type
from app.models.mixins import Timestamped, UTCDateTime, utcnow


class CalendarDay(Timestamped, Model):
    """A holiday on a weekday or a working weekend; consulted before chinesecalendar."""

    __tablename__ = "calendar_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(sa.Date, unique=True)
    kind: Mapped[CalendarDayKind] = mapped_column(
        enum_column_type(CalendarDayKind, "calendar_day_kind")
    )
    name: Mapped[Optional[str]] = mapped_column(sa.String(50))
    note: Mapped[Optional[str]] = mapped_column(sa.String(200))

    def __repr__(self) -> str:
        return f"{self.day} {self.kind}"


class CalendarYear(Model):
    """A year a supervisor confirmed complete on the calendar screen (R-12.2).

    Only a confirmed year (or one the chinesecalendar package covers) counts as known: one
    override row does not say the year's holidays are all entered.
    """

    __tablename__ = "calendar_year"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    #: the signed-in account that confirmed it (R-16.2), and when (UTC)
    confirmed_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("ab_user.id"))
    confirmed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[Optional[str]] = mapped_column(sa.String(200))

    confirmed_by = relationship("User", lazy="selectin")

    def __repr__(self) -> str:
        return f"{self.year}"
