"""Queue a message in the transaction of the event that causes it (the transactional outbox).

:func:`enqueue` only *adds* a pending row to the caller's session: the row is committed
together with the state change that caused it, or rolled back with it. So a message is never
sent for an event that did not happen, and never lost for one that did; the dispatcher
(:mod:`app.notify.dispatch`) sends it later, retrying while the gateway is down.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Optional

from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session

from app.choices import Channel
from app.clock import as_utc, utc_now
from app.domain.errors import DomainError
from app.domain.validators import MOBILE_RE, check_email, check_phone
from app.models.commission import Commission
from app.models.notification import Notification
from app.notify.templates import Template, render
from app.states import NotificationStatus


class RecipientError(DomainError):
    """The recipient cannot be reached through the chosen channel."""


def enqueue(
    session: Session,
    *,
    template: Template | str,
    channel: Channel | str,
    recipient: str,
    context: Mapping[str, Any],
    commission: Optional[Commission] = None,
    now: Optional[dt.datetime] = None,
) -> Notification:
    """Render ``template`` with ``context`` and add a pending row to ``session``; no commit.

    Raises :class:`~app.notify.templates.TemplateFieldError` for a missing field and
    :class:`RecipientError` for a recipient the channel cannot use, before anything is added.
    """
    template = Template(template)
    channel = Channel(channel)
    recipient = check_recipient(channel, recipient)
    body = render(template, context)
    now = as_utc(now) if now is not None else utc_now()
    notification = Notification(
        template=template.value,
        channel=channel,
        recipient=recipient,
        body=body,
        status=NotificationStatus.pending,
        attempts=0,
        created_at=now,
        next_attempt_at=now,
        commission=commission,
    )
    session.add(notification)
    return notification


def check_recipient(channel: Channel, recipient: str) -> str:
    """``recipient`` normalised for ``channel`` (spaces removed), or :class:`RecipientError`."""
    value = (recipient or "").strip()
    if channel in (Channel.sms, Channel.wechat):
        value = value.replace(" ", "").replace("-", "")
        # check_phone also accepts landlines, which cannot receive an SMS or a WeChat message.
        if check_phone(value) is not None or not MOBILE_RE.match(value):
            raise RecipientError(_("SMS and WeChat messages need an 11-digit mobile number."))
    elif channel == Channel.email:
        message = check_email(value)
        if message is not None:
            raise RecipientError(message)
    elif not value:
        raise RecipientError(_("The message has no recipient."))
    return value

