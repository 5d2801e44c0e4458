"""The shape of the lifecycle tables: a step, what it is run with, and a record's table."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy.orm import Session

from app.domain.errors import DomainError
from app.domain.workdays import WorkCalendar
from app.labels import LabelledEnum
from app.models.document import DocumentKind
from app.notify.templates import Template

#: a precondition: the domain's check, raising DomainError with the reason it refuses
Check = Callable[[Session, Any], Any]
#: an action: (session, record, context, **values from the step's form) → its result
Action = Callable[..., Any]
#: a check of who acts: the domain's, (session, record, actor) raising DomainError
ActorCheck = Callable[[Session, Any, Any], Any]


@dataclass(frozen=True)
class Context:
    """What every step may need besides its form: who acts, today, the calendar, settings."""

    actor: Any
    today: dt.date
    cal: WorkCalendar
    config: Any


@dataclass(frozen=True)
class Step:
    """One lifecycle step, declared once."""

    key: str
    #: the button's label (translatable)
    label: Any
    #: the domain's own precondition (the function the action calls first)
    check: Check
    #: the domain action, called with the form's values as keywords
    action: Action
    #: the state the step moves the record to; None when it stays (a record of a fact)
    moves_to: LabelledEnum | None = None
    #: the messages to the unit it sends (app/notify/templates)
    notifies: tuple[Template, ...] = ()
    #: the documents it issues (app/documents)
    issues: tuple[DocumentKind, ...] = ()
    #: the button's colour
    style: str = "primary"
    #: the domain's check of who may take the step on the record (the action checks it too)
    by: ActorCheck | None = None

    def refusal(self, session: Session, record: Any, actor: Any = None) -> str | None:
        """Why the domain would refuse the step on ``record`` now (by ``actor``, when
        given); None when it would not."""
        try:
            self.check(session, record)
            if self.by is not None and actor is not None:
                self.by(session, record, actor)
        except DomainError as refused:
            return str(refused)
        return None

    def allowed(self, session: Session, record: Any, actor: Any = None) -> bool:
        """True when the domain would accept the step on ``record`` now (by ``actor``)."""
        return self.refusal(session, record, actor) is None

    def run(self, session: Session, record: Any, ctx: Context, **values: Any) -> Any:
        """Perform the step (the action checks its precondition itself); the caller commits."""
        return self.action(session, record, ctx, **values)


@dataclass(frozen=True)
class Lifecycle:
    """The steps of one kind of record."""

    target: str
    model: type
    steps: tuple[Step, ...]

    def step(self, key: str) -> Step | None:
        """The step called ``key``, if any."""
        return next((step for step in self.steps if step.key == key), None)

    def open_steps(self, session: Session, record: Any, actor: Any = None) -> list[Step]:
        """The steps the domain would accept on ``record`` now (by ``actor``, when given),
        in the table's order."""
        return [step for step in self.steps if step.allowed(session, record, actor)]


def on_record(check: Callable[[Any], Any]) -> Check:
    """A domain check that needs only the record, as a step precondition."""

    @functools.wraps(check)  # keeps its name (docs/architecture.md's lifecycle table)
    def precondition(session: Session, record: Any) -> Any:
        return check(record)

    return precondition
