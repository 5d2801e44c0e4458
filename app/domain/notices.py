"""Messages to the construction unit, queued in the caller's transaction (R-8.3, R-10.2, R-11).

Chooses the recipient: the unit's handler (经办人) mobile, else its leader's mobile, by the
configured channel (SMS by default); else its e-mail. Returns None when the unit has no
address any channel can use, so the caller can tell the clerk to notify by hand.
"""
from __future__ import annotations

from typing import Any, Mapping

from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from app.choices import Channel
from app.domain.validators import check_email, is_mobile
from app.models.commission import Commission
from app.models.notification import Notification
from app.notify.outbox import enqueue
from app.notify.templates import Template


def unit_channel() -> Channel:
    """The configured channel of messages to units (NOTIFY_CHANNEL: sms or wechat)."""
    name = current_app.config.get("NOTIFY_CHANNEL", "sms") if has_app_context() else "sms"
    return Channel(name)


_channel = unit_channel


def unit_address(commission: Commission, channel: Channel) -> tuple[Channel, str] | None:
    """(channel, recipient) to reach the commission's unit, or None."""
    unit = commission.project.unit
    if channel in (Channel.sms, Channel.wechat):
        for phone in (unit.handler_phone, unit.leader_phone):
            value = (phone or "").replace(" ", "").replace("-", "")
            if is_mobile(value):
                return channel, value
    if unit.email and check_email(unit.email) is None:
        return Channel.email, unit.email
    return None


def base_context(commission: Commission) -> dict[str, Any]:
    """Fields every template may use."""
    coordinator = commission.coordinator
    return {
        "application_no": commission.application_no or "",
        "project_name": commission.project.name,
        "unit_name": commission.project.unit.name,
        "coordinator_name": coordinator.name if coordinator else "",
        "coordinator_phone": coordinator.phone if coordinator else "",
    }


def notify_unit(session: Session, commission: Commission, template: Template,
                extra: Mapping[str, Any] | None = None) -> Notification | None:
    """Queue ``template`` for the commission's unit; None when it cannot be reached."""
    address = unit_address(commission, _channel())
    if address is None:
        return None
    channel, recipient = address
    context = {**base_context(commission), **(extra or {})}
    return enqueue(session, template=template, channel=channel, recipient=recipient,
                   context=context, commission=commission)


def notify_coordinator(session: Session, commission: Commission, template: Template,
                       extra: Mapping[str, Any] | None = None) -> Notification | None:
    """Queue ``template`` for the commission's coordinator (what the unit did online, R-17);
    None when there is none or their phone is not a mobile."""
    coordinator = commission.coordinator
    phone = (coordinator.phone if coordinator else "") or ""
    phone = phone.replace(" ", "").replace("-", "")
    if not is_mobile(phone):
        return None
    context = {**base_context(commission), **(extra or {})}
    channel = _channel()
    return enqueue(session, template=template,
                   channel=channel if channel in (Channel.sms, Channel.wechat) else Channel.sms,
                   recipient=phone, context=context, commission=commission)
