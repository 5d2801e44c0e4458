"""What the demo writers share: the session, the calendar, the roster and the built cases."""
from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.domain.numbering import DEFAULT_FORMAT
from app.domain.workdays import WorkCalendar
from app.models import Commission, CommissionItem, CoordinatorAssignment, Department, StaffMember
from app.seed.people import Roster
from app.seed.scenario import Case
from app.seed.timeline import Attempt

CST = dt.timezone(dt.timedelta(hours=8))


@dataclass
class Built:
    """A written commission with the rows later writers attach things to."""

    case: Case
    commission: Commission
    receiver: StaffMember
    now: dt.date
    assignments: list[CoordinatorAssignment] = field(default_factory=list)
    items: list[tuple[Attempt | None, CommissionItem]] = field(default_factory=list)
    contact_entry: object | None = None   # the work-log entry of the first contact

    def coordinator_on(self, day: dt.date) -> StaffMember:
        """Who handled the commission on ``day`` (the 首问负责人 before the assignment)."""
        current = self.receiver
        for assignment in self.assignments:
            if assignment.assigned_on <= day:
                current = assignment.staff
        return current

    def worked(self) -> list[tuple[Attempt, CommissionItem]]:
        """The item rows that have a simulated history (commissions that reached the work)."""
        return [(a, row) for a, row in self.items if a is not None]


@dataclass
class DemoContext:
    """Shared state of one demo run."""

    session: Session
    anchor: dt.date
    cal: WorkCalendar
    rng: random.Random
    roster: Roster
    departments: dict[str, Department]
    confirm_days: int
    number_format: str = DEFAULT_FORMAT
    built: list[Built] = field(default_factory=list)
    escalations: list = field(default_factory=list)
    revisits: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    serials: Counter = field(default_factory=Counter)

    def serial(self, key: str) -> int:
        """The next number of a per-key series (document numbers, tracking numbers)."""
        self.serials[key] += 1
        return self.serials[key]

    def on(self, built: Built, offset: int) -> dt.date:
        """The date of a work offset of ``built`` (working days after the plan confirmation)."""
        return self.cal.add(built.case.work_start, offset)

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        """A local (UTC+8) timestamp on ``day``."""
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=CST)

    @property
    def window(self) -> Department:
        return next(d for d in self.departments.values() if d.runs_window)
