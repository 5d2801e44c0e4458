"""Per-year counters behind the application numbers (R-4.2)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column


class ApplicationCounter(Model):
    """The last application number issued in a year; incremented atomically."""

    __tablename__ = "application_counter"
    __table_args__ = (sa.CheckConstraint("last_value >= 0", name="ck_application_counter_last"),)

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"{self.year}: {self.last_value}"
