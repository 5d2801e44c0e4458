"""工作日历: overrides of the working-day calendar (R-12.1)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column

from app.choices import CalendarDayKind
from app.labels import enum_column_type
from app.models.mixins import Timestamped


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
