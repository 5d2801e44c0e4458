"""What the demo writers share: the session, the calendar, the roster and the built cases."""
from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.choices import WorkLogType
from app.domain.workdays import WorkCalendar
from app.models import (
    Commission,
    CommissionItem,
    CoordinatorAssignment,
    Department,
    PreReview,
    StaffMember,
    WorkLogEntry,
)
from app.seed.people import Roster
from app.seed.replay import Action, Replay
from app.seed.scenario import Case
from app.seed.timeline import Attempt, visible

CST = dt.timezone(dt.timedelta(hours=8))


@dataclass
class Built:
    """A planned commission: its timeline of steps, and the rows the replay made for it.

    ``commission`` and ``rows`` are filled by the replay (the open step creates the
    commission and its items, a re-application the second attempt); ``assignments`` and
    ``items`` are collected after it for the writers of the casework and supervision."""

    case: Case
    receiver: StaffMember
    now: dt.date
    pre_review: PreReview | None = None
    commission: Commission | None = None
    #: (catalogue item id, attempt number) → its item row, as the replay creates them
    rows: dict[tuple[int, int], CommissionItem] = field(default_factory=dict)
    assignments: list[CoordinatorAssignment] = field(default_factory=list)
    items: list[tuple[Attempt | None, CommissionItem]] = field(default_factory=list)
    contact_entry: WorkLogEntry | None = None   # the contact step's work-log entry

    def plan(self, replay: Replay, day: dt.date, label: str, action: Action) -> None:
        """Plan ``action`` on ``day`` in this case's timeline."""
        replay.at(day, action, owner=self, label=f"{self.case.project.name}: {label}")

    def step(self, replay: Replay, day: dt.date, target: str, key: str,
             record: Callable[[], object] | None = None, **values: object) -> None:
        """Plan lifecycle step ``key`` of ``target`` on ``day`` (on the commission unless
        ``record`` says which row)."""
        record = record or (lambda: self.commission)
        self.plan(replay, day, f"{target}.{key}", replay.step_action(target, key, record,
                                                                     **values))

    def row(self, attempt: Attempt) -> CommissionItem:
        """The item row of ``attempt`` (once the replay has made it)."""
        return self.rows[(attempt.item.id, attempt.number)]

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
    replay: Replay
    built: list[Built] = field(default_factory=list)
    escalations: list = field(default_factory=list)
    revisits: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    serials: Counter = field(default_factory=Counter)

    def serial(self, key: str) -> int:
        """The next number of a per-key series (document numbers, tracking numbers)."""
        self.serials[key] += 1
        return self.serials[key]

    def collect(self) -> None:
        """After the replay: each case's assignments, item rows and contact entry, for the
        writers of the casework and supervision."""
        contacts = {entry.commission_id: entry for entry in self.session.scalars(
            sa.select(WorkLogEntry).where(WorkLogEntry.entry_type == WorkLogType.contact)
            .order_by(WorkLogEntry.id))}
        for built in self.built:
            commission = built.commission
            if commission is None:
                continue
            built.assignments = list(self.session.scalars(
                sa.select(CoordinatorAssignment)
                .where(CoordinatorAssignment.commission_id == commission.id)
                .order_by(CoordinatorAssignment.assigned_on, CoordinatorAssignment.id)))
            built.contact_entry = contacts.get(commission.id)
            execution = built.case.execution
            if execution is None:
                built.items = [(None, row) for row in sorted(commission.items,
                                                             key=lambda r: r.id)]
            else:
                built.items = [(a, built.row(a)) for a in visible(execution, built.case.cut)]

    def on(self, built: Built, offset: int) -> dt.date:
        """The date of a work offset of ``built`` (working days after the plan confirmation)."""
        return self.cal.add(built.case.work_start, offset)

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        """A local (UTC+8) timestamp on ``day``."""
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=CST)

    @property
    def window(self) -> Department:
        return next(d for d in self.departments.values() if d.runs_window)
