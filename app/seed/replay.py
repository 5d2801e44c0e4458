"""The demo's replay: its history run through the product, day by day (R-16.1).

The demo writers do not write what the lifecycle owns; they plan it. Every case gets a
timeline of events, each a step of the lifecycle's tables (app/lifecycle: the functions
the buttons run) or a record its screens add (a fee notice, a delivery), on a day.
``Replay.run`` runs the events in time order with the injected clock (app/clock.py)
frozen at each event's moment, and before each calendar day's events it does what the
scheduled commands do that day: the roster changes due (``flask apply-roster``,
app/domain/roster.py) and the deadline sweep's catch-up (app/domain/sweep.catch_up:
overdue marks, "results ready" messages, terminations deemed confirmed). So states,
history, application numbers, deadlines, overdue marks, messages and issued documents are
what the product computed, not what the demo wrote.

The events of one case on one day run in the order they were planned (a case's step
before the one it enables), each a few minutes after the previous one from 09:00 Beijing
time; nothing commits (the caller does).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from sqlalchemy.orm import Session

from app import clock
from app.domain import roster, sweep
from app.domain.errors import DomainError
from app.domain.workdays import WorkCalendar
from app.lifecycle import LIFECYCLES, Context
from app.models import Commission, CommissionItem

#: an event's action: what happens, given the replay (its session, today, the steps)
Action = Callable[["Replay"], Any]

OFFICE_OPENS = dt.time(9, 0)
#: minutes between two events of one case on one day
SPACING = 13
#: the most events of one case on one day (the last one still before 23:00)
DAY_SLOTS = (23 - OFFICE_OPENS.hour) * 60 // SPACING
#: the scheduled commands run before the office opens
NIGHT_RUN = dt.time(7, 0)


@dataclass
class Event:
    """One thing that happens on ``day``: a step, or a record added on a screen."""

    day: dt.date
    action: Action
    label: str
    #: whose timeline it belongs to (a case; None: the district's own)
    owner: Any = None
    #: its place among the owner's events of the day, and in the plan as a whole
    slot: int = 0
    seq: int = 0


@dataclass
class CaseClock:
    """Gives the events of one owner on one day their moments, in planning order."""

    used: dict[tuple[int, dt.date], int] = field(default_factory=dict)

    def slot(self, owner: Any, day: dt.date) -> int:
        """The next place among ``owner``'s events on ``day``."""
        key = (id(owner), day)
        self.used[key] = self.used.get(key, -1) + 1
        return self.used[key]

    @staticmethod
    def moment(day: dt.date, slot: int) -> dt.datetime:
        """The moment of the event in ``slot`` on ``day`` (aware, Beijing time)."""
        start = dt.datetime.combine(day, OFFICE_OPENS, tzinfo=clock.OFFICE_TZ)
        return start + dt.timedelta(minutes=SPACING * slot)


class ReplayError(RuntimeError):
    """A planned event the product refused: the demo's plan breaks a rule of the domain."""


class Replay:
    """The planned events of the demo and the run that carries them out."""

    def __init__(self, session: Session, cal: WorkCalendar, config: Mapping[str, Any],
                 end: dt.date) -> None:
        self.session = session
        self.cal = cal
        self.config = config
        self.end = end
        self.events: list[Event] = []
        self.today = end
        self._clock = CaseClock()

    # ---- planning ------------------------------------------------------------------
    def at(self, day: dt.date, action: Action, *, owner: Any = None, label: str = "") -> None:
        """Plan ``action`` on ``day`` (after the owner's events planned for that day)."""
        if day > self.end:
            raise ReplayError(f"{label} planned on {day}, after the demo's today {self.end}")
        slot = self._clock.slot(owner, day)
        if slot >= DAY_SLOTS:
            raise ReplayError(f"{label}: more than {DAY_SLOTS} events of one case on {day}")
        self.events.append(Event(day, action, label, owner, slot, len(self.events)))

    def step_action(self, target: str, key: str, record: Callable[[], Any],
                    **values: Any) -> Action:
        """An action running lifecycle step ``key`` of ``target`` on ``record()`` (looked up
        when the event runs) with the values its form would post."""
        return lambda replay: replay.step(target, key, record(), **values)

    # ---- running -------------------------------------------------------------------
    def step(self, target: str, key: str, record: Any, **values: Any) -> Any:
        """Run a lifecycle step now, as its button does (app/views/workflow.py), by the
        system (no signed-in user)."""
        step = LIFECYCLES[target].step(key)
        if step is None:
            raise ReplayError(f"no step {target}.{key}")
        context = Context(actor=None, today=self.today, cal=self.cal, config=self.config)
        return step.run(self.session, record, context, **values)

    def run(self) -> int:
        """Run every planned event in time order, with each day's scheduled commands before
        it; returns the number of events run."""
        events = sorted(self.events, key=lambda e: (e.day, e.slot, e.seq))
        if not events:
            return 0
        position = 0
        day = events[0].day
        while day <= self.end:
            self.today = day
            self._night_run(day)
            while position < len(events) and events[position].day == day:
                self._run_event(events[position])
                position += 1
            day += dt.timedelta(days=1)
        self._night_run(self.end)   # the sweep runs again later on the last day
        self.session.flush()
        return position

    def _run_event(self, event: Event) -> None:
        with clock.frozen(CaseClock.moment(event.day, event.slot)):
            try:
                event.action(self)
            except DomainError as refused:
                raise ReplayError(f"{event.label} on {event.day}: {refused}") from refused

    def _night_run(self, day: dt.date) -> None:
        """``flask apply-roster`` and the sweep, as they run every day (no commit)."""
        with clock.frozen(dt.datetime.combine(day, NIGHT_RUN, tzinfo=clock.OFFICE_TZ)):
            for change in roster.due_changes(self.session, today=day):
                roster.apply_change(self.session, change, today=day)
            result = sweep.catch_up(self.session, today=day, cal=self.cal)
        if result.items_marked or result.contacts_marked:
            self._expire_marks()

    def _expire_marks(self) -> None:
        """The sweep stamps with bulk UPDATEs: loaded rows read the stamps afresh."""
        for obj in list(self.session.identity_map.values()):
            if isinstance(obj, CommissionItem):
                self.session.expire(obj, ["overdue_on"])
            elif isinstance(obj, Commission):
                self.session.expire(obj, ["contact_overdue_on"])
