"""How a moment reads (R-16.4): Beijing time, to the minute, the same on every screen, PDF
and export.

Moments are stored in UTC (``app.models.mixins.UTCDateTime``); people read them in the
office's time zone, Asia/Shanghai, as ``2026-12-03 00:30``: no seconds, no microseconds, no
offset (the whole district is in one zone). Dates (``sa.Date`` columns) are days, not
moments: they are printed as they are. The REST API is not for people: it gives ISO 8601
with the offset (app/api).

``show_time`` is registered as the Jinja filter ``show_time`` and set as the list/show
formatter of every date-time column by the base view (app/views/base.py); the PDFs and the
Excel ledgers use it or ``office_minute``.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from app.clock import OFFICE_TZ, as_utc

#: how a moment is printed for people
TIME_FORMAT = "%Y-%m-%d %H:%M"
#: the same for Excel's number format (cells keep a real date-time, sortable and filterable)
EXCEL_TIME_FORMAT = "yyyy-mm-dd hh:mm"


def office_minute(moment: dt.datetime) -> dt.datetime:
    """``moment`` in Beijing time, seconds dropped (a naive moment is UTC)."""
    return as_utc(moment).astimezone(OFFICE_TZ).replace(second=0, microsecond=0)


def show_time(value: Any) -> str:
    """A moment as people read it: ``2026-12-03 00:30`` (Beijing time); a date as
    ``2026-12-03``; nothing as an empty string; anything else as its text."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return office_minute(value).strftime(TIME_FORMAT)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def excel_time(moment: dt.datetime) -> dt.datetime:
    """A moment for an Excel cell: Beijing wall-clock time to the minute, without a zone
    (Excel has none); the cell gets ``EXCEL_TIME_FORMAT``."""
    return office_minute(moment).replace(tzinfo=None)


def show_server_time(value: Any) -> str:
    """``show_time`` for FAB's own account columns (``ab_user``: last login, created,
    changed): FAB writes them with ``datetime.now()``, the server's local wall-clock time
    without a zone, not UTC."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.astimezone()  # a naive datetime is taken in the server's local zone
    return show_time(value)


def typed_time(value: Any) -> Any:
    """A time typed into a filter, read as Beijing time (what the screens show) and turned
    into the UTC moment the columns store; text that is no time is returned as it is."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=OFFICE_TZ)
        return value.astimezone(dt.timezone.utc)
    return value
