"""The lifecycle actions that issue a form: 办结 and 终止委托 (R-9.1, R-10.2, R-10.6).

Each is the domain step (app/domain/closing) followed by the form, in the caller's
transaction: if a precondition fails or the form cannot be rendered, the caller rolls back
and the commission is where it was.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from app.choices import TerminationReason
from app.documents.archive import issue
from app.domain import closing
from app.domain.workdays import WorkCalendar
from app.models import Commission, DocumentKind, IssuedDocument


def complete(session: Session, commission: Commission, *, completed_on: dt.date,
             actor: Any = None) -> IssuedDocument:
    """办结: the preconditions, the move to completed, and the 协办办结单 (R-9.1)."""
    closing.complete(session, commission, completed_on=completed_on, actor=actor)
    session.flush()
    document, _created = issue(session, DocumentKind.completion, commission, actor=actor)
    return document


def terminate(session: Session, commission: Commission, *, reason: TerminationReason,
              reason_text: str | None, issued_on: dt.date, confirm_days: int,
              cal: WorkCalendar, actor: Any = None) -> IssuedDocument:
    """终止委托: the 协办委托终止单 issued, the unit notified, the confirmation wait started
    (R-10.2; the notice and the wait are app/domain/closing.terminate's)."""
    closing.terminate(session, commission, reason=reason, reason_text=reason_text,
                      issued_on=issued_on, confirm_days=confirm_days, cal=cal, actor=actor)
    session.flush()
    # The relationship was loaded before the termination existed.
    session.refresh(commission, ["termination"])
    document, _created = issue(session, DocumentKind.termination, commission, actor=actor)
    return document


def _final_termination_form(session: Session, commission: Commission,
                            actor: Any = None) -> IssuedDocument:
    """The 终止单 once the termination took effect: a new archived version (R-10.6, R-15.3)
    stating the effective day and the announcement; the copy awaiting confirmation stays."""
    session.flush()
    session.refresh(commission, ["termination"])
    document, _created = issue(session, DocumentKind.termination, commission, actor=actor)
    return document


def confirm_termination(session: Session, commission: Commission, *, confirmed_on: dt.date,
                        cal: WorkCalendar, actor: Any = None) -> IssuedDocument:
    """The unit confirmed the termination: terminated, and the final 终止单 issued (R-10.6)."""
    closing.confirm_termination(session, commission, confirmed_on=confirmed_on, cal=cal,
                                actor=actor)
    return _final_termination_form(session, commission, actor)


def apply_announcement(session: Session, commission: Commission, *, today: dt.date,
                       cal: WorkCalendar) -> bool:
    """Deemed confirmed 10 working days after the announcement (the sweep): terminated, and
    the final 终止单 naming the announcement issued (R-10.4, R-10.6). False when not due."""
    if not closing.apply_announcement(session, commission, today=today, cal=cal):
        return False
    _final_termination_form(session, commission)
    return True
