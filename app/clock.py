"""The one clock: every "now" and "today" in the product is asked of this module.

Code never reads the wall clock itself (``datetime.now``, ``date.today``); it calls
``utc_now()``, ``office_now()`` or ``office_today()``. Tests freeze the clock with
``frozen(...)`` (or ``freeze``/``unfreeze``), so that no test depends on the day it runs and
the date-sensitive ones can run with the clock in a later year (R-16.5).

Dates of the office are Beijing time, whatever the server's clock zone.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from typing import Iterator
from zoneinfo import ZoneInfo

OFFICE_TZ = ZoneInfo("Asia/Shanghai")

#: The moment the clock is frozen at (aware UTC), or None for the wall clock.
_frozen: dt.datetime | None = None


def _aware(moment: dt.datetime) -> dt.datetime:
    """An aware datetime; a naive one is taken as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` as an aware UTC datetime (a naive one is taken to be UTC already: what
    SQLite hands back, and what the product stores)."""
    return _aware(moment).astimezone(dt.timezone.utc)


def utc_now() -> dt.datetime:
    """The current moment, aware, in UTC: the frozen one in tests."""
    if _frozen is not None:
        return _frozen
    return dt.datetime.now(dt.timezone.utc)


def office_now() -> dt.datetime:
    """The current moment in Beijing time."""
    return utc_now().astimezone(OFFICE_TZ)


def office_today(now: dt.datetime | None = None) -> dt.date:
    """Today's date in Beijing time (of ``now`` when given)."""
    return _aware(now or utc_now()).astimezone(OFFICE_TZ).date()


def _moment(at: dt.datetime | dt.date | str) -> dt.datetime:
    """A date means 10:00 Beijing time that day (office hours); a string is ISO 8601."""
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at) if "T" in at or " " in at else dt.date.fromisoformat(at)
    if not isinstance(at, dt.datetime):
        at = dt.datetime.combine(at, dt.time(10, 0), tzinfo=OFFICE_TZ)
    return _aware(at).astimezone(dt.timezone.utc)


def freeze(at: dt.datetime | dt.date | str) -> dt.datetime:
    """Stop the clock at ``at``; returns the frozen moment (UTC)."""
    global _frozen
    _frozen = _moment(at)
    return _frozen


def unfreeze() -> None:
    """Back to the wall clock."""
    global _frozen
    _frozen = None


def is_frozen() -> bool:
    return _frozen is not None


@contextmanager
def frozen(at: dt.datetime | dt.date | str) -> Iterator[dt.datetime]:
    """``with frozen("2027-03-15"):`` — the clock stands still at that moment inside."""
    global _frozen
    before = _frozen
    try:
        yield freeze(at)
    finally:
        _frozen = before
