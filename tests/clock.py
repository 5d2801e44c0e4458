"""The day the test run stands at (R-16.5).

Every test runs with the product's one clock (app/clock.py) frozen: at 10:00 Beijing time on
``RUN_DAY``. ``RUN_DAY`` is ``TEST_TODAY`` (ISO date) when set, otherwise the office's date
when the run started. `scripts/run-tests.sh` runs the tests marked ``date_sensitive`` a second
time with TEST_TODAY in a later year, so that a test that only passes in the year it was
written is found the day it is written.
"""
from __future__ import annotations

import datetime as dt
import os

from app import clock

RUN_DAY: dt.date = (dt.date.fromisoformat(os.environ["TEST_TODAY"])
                    if os.environ.get("TEST_TODAY") else clock.office_today())
