"""The one transaction boundary of the screens: commit, or roll back and say why in Chinese.

Every view that writes goes through ``transaction()`` (or ``run_in_transaction``); no view
module calls ``commit()`` or ``rollback()`` itself. In the spirit of Superset's
``@transaction(on_error=...)``::

    with transaction() as outcome:
        approvals.accept(db.session, item, on=day, cal=cal)
    if outcome.refused:
        flash(outcome.message, "danger")

The body runs; on leaving the block the session is committed. A refusal — a DomainError
(its own message), or the database refusing the write (IntegrityError, DataError,
OperationalError, a stale row, ...) — rolls everything back, so nothing is half-saved, and
leaves the reason on ``outcome.message`` instead of raising: a refusal is never a 500.
Anything else (a bug) is rolled back and raised, so it is seen and logged.
``on_error`` maps further exception classes (or overrides the defaults for a class and its
subclasses) to the message to show, e.g. a delete refused by a foreign key.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping

from flask_babel import lazy_gettext as _
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    IntegrityError,
    OperationalError,
)
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.domain.errors import DomainError
from app.extensions import db

log = logging.getLogger(__name__)

#: what the user reads when the database refuses a write, by the kind of refusal
CONFLICT = _("The record could not be saved: it conflicts with an existing record "
             "or breaks a rule of the data. Nothing was changed.")
BAD_VALUE = _("A value does not fit the database (too long, or out of range). "
              "Nothing was changed.")
BUSY = _("The database is busy or could not be reached. Nothing was changed; "
         "please try again.")
STALE = _("The record was changed by someone else meanwhile; reload and try again.")
REFUSED = _("The database refused the change. Nothing was changed.")

#: message for an exception: a fixed (lazy) string, or a function of the exception
Message = Any
OnError = Mapping[type[BaseException], Message]

#: the database refusals every transaction turns into a message, most specific first
DATABASE_REFUSALS: tuple[tuple[type[BaseException], Message], ...] = (
    (IntegrityError, CONFLICT),
    (DataError, BAD_VALUE),
    (OperationalError, BUSY),
    (StaleDataError, STALE),
    (DBAPIError, REFUSED),
)


@dataclass
class Outcome:
    """What happened to one transaction: committed (``ok``), or refused with ``message``."""

    message: str | None = None
    error: BaseException | None = None
    value: Any = None

    @property
    def ok(self) -> bool:
        """True when the work was committed."""
        return self.message is None

    @property
    def refused(self) -> bool:
        """True when the work was rolled back; ``message`` says why."""
        return self.message is not None


def refusal_message(exc: BaseException, on_error: OnError | None = None) -> str | None:
    """The user-facing reason for ``exc``, or None when it is not a refusal (a bug)."""
    for cls, message in (*(on_error or {}).items(), *DATABASE_REFUSALS):
        if isinstance(exc, cls):
            text = message(exc) if callable(message) else message
            # Markup stays Markup (a message with links); lazy strings become text.
            return text if isinstance(text, str) else str(text)
    if isinstance(exc, DomainError):
        return str(exc)
    return None


@contextmanager
def transaction(*, on_error: OnError | None = None,
                session: Session | None = None) -> Iterator[Outcome]:
    """Run the block as one unit of work: committed, or rolled back with a reason.

    The reason is on the yielded Outcome; refusals are not raised (see the module doc).
    """
    session = session if session is not None else db.session
    outcome = Outcome()
    try:
        yield outcome
        session.commit()
    except Exception as exc:
        session.rollback()
        message = refusal_message(exc, on_error)
        if message is None:
            raise
        if isinstance(exc, DBAPIError | StaleDataError):
            log.warning("write refused by the database: %s", exc)
        outcome.message, outcome.error = message, exc


def run_in_transaction(work: Callable[..., Any], *args: Any, on_error: OnError | None = None,
                       session: Session | None = None, **kwargs: Any) -> Outcome:
    """``work(*args, **kwargs)`` in one transaction; its return value is ``outcome.value``."""
    with transaction(on_error=on_error, session=session) as outcome:
        outcome.value = work(*args, **kwargs)
    return outcome


def discard(session: Session | None = None) -> None:
    """Drop what the request wrote so far, without saving (a form refused before saving)."""
    (session if session is not None else db.session).rollback()
