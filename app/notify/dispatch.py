"""Send the outbox's due messages, record each attempt, retry with backoff (R-11.1).

Safe with several dispatchers at once (cron on several servers, an overlapping ``--loop``):
each row is taken in its own short transaction, locked with ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL (the others skip it and take the next one), sent while the lock is held, marked
and committed before the next row. On SQLite, which has no row locks, the conditional
"claim" UPDATE below does the same job: it needs the database's single write lock, so a
second dispatcher waits for the first one's commit and then finds the row no longer due.

Delivery is at least once: if the process dies after the gateway accepted a message but
before the commit, the row is still pending and is sent again; the gateway receives the row
id to drop such a duplicate. A row that is committed as sent is never sent again.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Mapping, Optional

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session, lazyload

from app.choices import Channel as ChannelKind
from app.clock import as_utc, utc_now
from app.domain.errors import DomainError
from app.models.notification import Notification
from app.notify.channels import Channel, SendError
from app.states import NotificationStatus

log = logging.getLogger(__name__)

FIRST_BACKOFF = dt.timedelta(minutes=1)
MAX_BACKOFF = dt.timedelta(hours=1)
MAX_ERROR_LENGTH = 2000


@dataclass
class DispatchResult:
    """What one dispatch run did: rows sent, rows given up on, rows rescheduled."""

    sent: int = 0
    failed: int = 0
    retried: int = 0


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4, ... minutes, at most 1 hour."""
    return min(FIRST_BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def dispatch_pending(
    session: Session,
    channels: Mapping[ChannelKind, Channel],
    *,
    now: dt.datetime,
    batch: int = 100,
    max_attempts: int = 8,
) -> DispatchResult:
    """Send up to ``batch`` due pending rows through ``channels``; commit after each row.

    ``now`` is the time of this run: rows due at or before it are sent, and it stamps
    ``sent_at`` and the next attempt. Call it with a session that holds no unfinished work
    of its own: the first row's commit would commit that too.
    """
    now = as_utc(now)
    result = DispatchResult()
    handled = 0
    while handled < batch:
        row = _claim_next(session, now)
        if row is None:
            break
        if row is False:
            # Another dispatcher took the row meanwhile (SQLite); it has been dealt with, so
            # this does not count against the batch: look at the next one.
            continue
        outcome = _deliver(row, channels, now, max_attempts)
        session.commit()
        setattr(result, outcome, getattr(result, outcome) + 1)
        handled += 1
    return result


def _claim_next(session: Session, now: dt.datetime) -> Notification | None | bool:
    """The next due row, locked and claimed; None when none is due, False when lost to a rival."""
    query = (
        sa.select(Notification)
        .where(Notification.status == NotificationStatus.pending,
               Notification.next_attempt_at <= now)
        .order_by(Notification.id)
        .limit(1)
        # The commission is not needed to send; loading it would also extend the lock.
        .options(lazyload(Notification.commission))
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    row = session.scalars(query).first()
    if row is None:
        return None
    claimed = session.execute(
        sa.update(Notification)
        .where(Notification.id == row.id,
               Notification.status == NotificationStatus.pending,
               Notification.attempts == row.attempts)
        .values(attempts=Notification.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        session.rollback()
        return False
    return row


def _deliver(row: Notification, channels: Mapping[ChannelKind, Channel], now: dt.datetime,
             max_attempts: int) -> str:
    """Send ``row`` and record the outcome on it; return "sent", "retried" or "failed"."""
    row.attempts = row.attempts + 1  # what the claim wrote; keeps the object in step
    try:
        sender = channels.get(row.channel)
        if sender is None:
            raise SendError(f"no sender configured for channel {row.channel.value}")
        sender.send(row)
    except Exception as exc:  # noqa: BLE001 - a broken sender must not stop the others
        if not isinstance(exc, SendError):
            log.exception("notification %s: unexpected error while sending", row.id)
        row.last_error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_LENGTH]
        if row.attempts >= max_attempts:
            row.status = NotificationStatus.failed
            log.warning("notification %s failed after %s attempts: %s",
                        row.id, row.attempts, row.last_error)
            return "failed"
        row.next_attempt_at = now + backoff(row.attempts)
        return "retried"
    row.status = NotificationStatus.sent
    row.sent_at = now
    return "sent"


def retry(session: Session, notification_id: int,
          *, now: Optional[dt.datetime] = None) -> Notification:
    """Put a failed row back to pending with a fresh attempt count; the caller commits."""
    row = session.get(Notification, notification_id, with_for_update=True)
    if row is None:
        raise DomainError(_("No such notification."))
    if row.status == NotificationStatus.sent:
        raise DomainError(_("This message has already been sent."))
    row.status = NotificationStatus.pending
    row.attempts = 0
    row.next_attempt_at = as_utc(now) if now else utc_now()
    return row
