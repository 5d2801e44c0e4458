"""The unit's look-up without an account: application number and one-time code (R-17.1,
R-17.7).

- ``request_code``: a six-digit code for the number, sent through the outbox to the chosen
  contact's registered mobile. A number nobody registered gets a code row too, and no
  message: from outside, an unknown number and a known one look alike.
- ``verify_code``: the newest code of the number, valid ``code_minutes`` and for
  ``attempts`` tries (the next try is refused even with the right code); used once. A
  wrong code, an expired or used one and an unknown number all get the same answer (None).
- Both count against the rate limits first: codes per number per hour, requests per address
  per hour (``TooManyRequests``, the same for every number).

Every request is audited (action ``unit_lookup``) with the number, the address and what
happened. Only a keyed hash of a code is stored.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any, Mapping

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session

from app import audit
from app.audit import AuditAction, AuditResult
from app.choices import Channel, LookupStep, UnitContact
from app.domain.contacts import person
from app.domain.errors import DomainError
from app.models.commission import Commission
from app.models.online import LookupCode, LookupRequest
from app.notify.outbox import enqueue
from app.notify.templates import Template

CODE_DIGITS = 6
#: what an application number may look like: JCXB-2026-0001, another configured pattern or
#: a number imported as written (letters of any script, digits, dashes; at most 30)
NUMBER_RE = re.compile(r"^\w[\w-]{0,29}$")
WINDOW = dt.timedelta(hours=1)


class TooManyRequests(DomainError):
    """A rate limit of the look-up is reached (the same answer for every number)."""


@dataclass(frozen=True)
class Limits:
    """The look-up's limits (app/config.py UNIT_*)."""

    code_minutes: int = 10
    attempts: int = 5
    codes_per_number: int = 5
    requests_per_address: int = 30

    @classmethod
    def of(cls, config: Mapping[str, Any]) -> "Limits":
        return cls(code_minutes=int(config.get("UNIT_CODE_MINUTES", 10)),
                   attempts=int(config.get("UNIT_CODE_ATTEMPTS", 5)),
                   codes_per_number=int(config.get("UNIT_CODES_PER_NUMBER_HOUR", 5)),
                   requests_per_address=int(config.get("UNIT_REQUESTS_PER_ADDRESS_HOUR", 30)))


@dataclass(frozen=True)
class Grant:
    """A verified look-up: which commission, through which contact, since when."""

    commission_id: int
    contact: UnitContact
    at: dt.datetime


def normalise_number(text: str | None) -> str | None:
    """An application number as typed (spaces, lower case, full-width dash) made canonical;
    None when it cannot be one."""
    value = "".join((text or "").split()).upper().replace("－", "-").replace("—", "-")
    return value if NUMBER_RE.match(value) else None


def _hash(secret: str, number: str, code: str) -> str:
    return hmac.new(secret.encode(), f"{number}:{code}".encode(), hashlib.sha256).hexdigest()


def _audit(number: str, step: str, commission_id: int | None, ok: bool, session: Session,
           **detail: Any) -> None:
    audit.record(AuditAction.unit_lookup, object_type=Commission, object_id=commission_id,
                 result=AuditResult.ok if ok else AuditResult.denied, session=session,
                 detail={"application_no": number, "step": step, **detail})


def check_rate(session: Session, *, number: str, ip: str, now: dt.datetime, limits: Limits,
               step: LookupStep) -> None:
    """Raise TooManyRequests when the address, or (asking a code) the number, has used up its
    hour; the refusal is audited."""
    since = now - WINDOW
    by_address = session.scalar(sa.select(sa.func.count(LookupRequest.id)).where(
        LookupRequest.ip == ip, LookupRequest.at > since)) or 0
    by_number = 0
    if step == LookupStep.request:
        by_number = session.scalar(sa.select(sa.func.count(LookupRequest.id)).where(
            LookupRequest.application_no == number, LookupRequest.step == LookupStep.request,
            LookupRequest.at > since)) or 0
    if by_address >= limits.requests_per_address or by_number >= limits.codes_per_number:
        raise TooManyRequests(_("Too many requests. Please try again in an hour, or call the "
                                "assistance window."))


def find_commission(session: Session, number: str) -> Commission | None:
    """The commission carrying ``number`` (numbers are given at acceptance, R-4.2)."""
    return session.scalars(sa.select(Commission).where(Commission.application_no == number)
                           ).first()


def request_code(session: Session, *, number: str, contact: UnitContact, ip: str,
                 now: dt.datetime, secret: str, limits: Limits,
                 channel: Channel = Channel.sms) -> LookupCode:
    """A new code for ``number``, sent to ``contact``'s mobile if the number is registered
    and that contact has one (module docstring). Earlier codes of the number stop counting:
    only the newest is checked."""
    check_rate(session, number=number, ip=ip, now=now, limits=limits, step=LookupStep.request)
    session.add(LookupRequest(at=now, ip=ip, application_no=number, step=LookupStep.request,
                              succeeded=True))
    commission = find_commission(session, number)
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    row = LookupCode(application_no=number, commission=commission, contact=contact,
                     code_hash=_hash(secret, number, code), requested_at=now,
                     expires_at=now + dt.timedelta(minutes=limits.code_minutes), attempts=0,
                     ip=ip)
    session.add(row)
    sent = False
    if commission is not None:
        mobile = person(commission.project.unit, contact).mobile
        if mobile is not None:
            enqueue(session, template=Template.lookup_code,
                    channel=channel if channel in (Channel.sms, Channel.wechat) else Channel.sms,
                    recipient=mobile, commission=commission, now=now,
                    context={"application_no": number, "code": code,
                             "minutes": limits.code_minutes})
            sent = True
    _audit(number, "code_requested", commission.id if commission else None, True, session,
           contact=contact.value, sent=sent)
    return row


def newest_code(session: Session, number: str) -> LookupCode | None:
    """The number's newest code (the only one that counts)."""
    return session.scalars(sa.select(LookupCode).where(LookupCode.application_no == number)
                           .order_by(LookupCode.requested_at.desc(), LookupCode.id.desc())
                           .limit(1)).first()


def verify_code(session: Session, *, number: str, code: str, ip: str, now: dt.datetime,
                secret: str, limits: Limits) -> Grant | None:
    """The grant when ``code`` is the number's newest code, unused, in time and within its
    attempts; else None (the same for every failure). The try is counted and audited."""
    check_rate(session, number=number, ip=ip, now=now, limits=limits, step=LookupStep.verify)
    row = newest_code(session, number)
    typed = "".join((code or "").split())
    ok = False
    if row is not None and row.used_at is None:
        live = row.expires_at > now and row.attempts < limits.attempts
        matches = hmac.compare_digest(row.code_hash, _hash(secret, number, typed))
        ok = live and matches and row.commission_id is not None
        row.attempts += 1
        if ok:
            row.used_at = now
    session.add(LookupRequest(at=now, ip=ip, application_no=number, step=LookupStep.verify,
                              succeeded=ok))
    commission_id = row.commission_id if row is not None else None
    _audit(number, "code_verified" if ok else "code_refused", commission_id, ok, session)
    if not ok:
        return None
    return Grant(commission_id=row.commission_id, contact=row.contact, at=now)


def record_refusal(session: Session, number: str, step: LookupStep) -> None:
    """Audit a request refused by a rate limit (in a transaction of its own: the refused
    one was rolled back)."""
    _audit(number, "code_refused_rate", None, False, session, refused=step.value)


def record_view(session: Session, commission: Commission, what: str, **detail: Any) -> None:
    """Audit what the unit looked at or fetched with its grant (R-17.1: every look-up)."""
    _audit(commission.application_no or "", what, commission.id, True, session, **detail)
