"""Columns and helpers shared by the models."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app import clock


def utcnow() -> dt.datetime:
    """Timezone-aware now, the default for every timestamp column."""
    return clock.utc_now()


class UTCDateTime(sa.TypeDecorator):
    """A moment, stored in UTC (R-16.4): the type of every date-time column.

    TIMESTAMP WITH TIME ZONE on PostgreSQL. SQLite keeps no zone: SQLAlchemy writes the
    wall-clock digits of whatever it is given, so a Beijing-time value would be stored 8
    hours off. Every value is turned into UTC before it is written (a naive one is taken to
    be UTC already), and comes back as an aware UTC datetime on both databases, so Python
    code never compares naive and aware moments.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else clock.as_utc(value)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else clock.as_utc(value)


def render_migration_type(kind: str, obj: Any, autogen_context: Any) -> str | bool:
    """Alembic's ``render_item``: a new migration writes ``UTCDateTime`` as the column type
    it is in the database, so migrations never import the models."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


class Timestamped:
    """created_at / updated_at, set by the database session, never by forms."""

    created_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, nullable=False
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )


def money() -> sa.Numeric:
    """Amounts in 万元 or 元, two decimals."""
    return sa.Numeric(14, 2)
