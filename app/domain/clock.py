"""The office's today: dates are Beijing time, whatever the server's clock zone."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

OFFICE_TZ = ZoneInfo("Asia/Shanghai")


def office_today(now: dt.datetime | None = None) -> dt.date:
    """Today's date in Beijing time (``now`` for tests)."""
    moment = now or dt.datetime.now(dt.timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(OFFICE_TZ).date()
