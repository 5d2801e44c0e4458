"""The lifecycle actions that issue a form: 办结 and 终止委托 (R-9.1, R-10.2).

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
