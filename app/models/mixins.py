"""Columns and helpers shared by the models."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app import clock


def utcnow() -> dt.datetime:
    """Timezone-aware now, the default for every timestamp column."""
    return clock.utc_now()


class Timestamped:
    """created_at / updated_at, set by the database session, never by forms."""

    created_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, nullable=False
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow, nullable=False
    )


def money() -> sa.Numeric:
    """Amounts in 万元 or 元, two decimals."""
    return sa.Numeric(14, 2)
