"""好差评 by link (R-17.4): after completion the unit is sent a signed, single-use, expiring
link to a five-level rating form; its answer is a revisit (R-13.2), and a bad rating opens
the rectification a window-side revisit opens (app/domain/revisits.open_rectification).

The link carries the invitation's id and a random nonce, signed with the app's secret key:
a changed number or nonce is refused, a second answer finds the invitation used, and a late
one finds it expired.
"""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from app.choices import Channel, ContactMethod, Rating, UnitContact
from app.domain import revisits
from app.domain.contacts import person
from app.domain.errors import DomainError
from app.domain.notices import notify_unit
from app.domain.online_links import rating_url
from app.domain.transitions import require
from app.models.commission import Commission
from app.models.notification import Notification
from app.models.online import RatingInvitation
from app.models.revisits import Revisit
from app.notify.templates import Template
from app.states import CommissionState

SALT = "xb-rating-link"
DEFAULT_DAYS = 15


class LinkRefused(DomainError):
    """The rating link is not (or no longer) valid."""


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=SALT)


def token(invitation: RatingInvitation, secret: str) -> str:
    """The signed token of ``invitation``'s link."""
    return _serializer(secret).dumps([invitation.id, invitation.nonce])


def invite(session: Session, commission: Commission, *, now: dt.datetime, secret: str,
           base_url: str, days: int = DEFAULT_DAYS) -> RatingInvitation | None:
    """After completion: the invitation and its SMS (to the handler's mobile, else the
    leader's, else the unit's e-mail). One per commission; None when it has one already."""
    require(commission.state == CommissionState.completed,
            _("Only a completed commission is rated."))
    if session.scalar(sa.select(RatingInvitation.id).where(
            RatingInvitation.commission_id == commission.id)) is not None:
        return None
    unit = commission.project.unit
    handler = person(unit, UnitContact.handler)
    leader = person(unit, UnitContact.leader)
    reached = handler if handler.mobile or not leader.mobile else leader
    invitation = RatingInvitation(commission=commission, nonce=secrets.token_hex(16),
                                  recipient_name=reached.name[:50], sent_at=now,
                                  expires_at=now + dt.timedelta(days=days))
    session.add(invitation)
    session.flush()
    notify_unit(session, commission, Template.rating_invitation,
                {"link": rating_url(base_url, token(invitation, secret)), "days": days})
    return invitation


def open_invitation(session: Session, link_token: str, *, secret: str,
                    now: dt.datetime) -> RatingInvitation:
    """The invitation behind ``link_token``, still open; LinkRefused with the reason."""
    try:
        pk, nonce = _serializer(secret).loads(link_token)
        pk = int(pk)
    except (BadSignature, TypeError, ValueError):
        raise LinkRefused(_("This rating link is not valid.")) from None
    invitation = session.get(RatingInvitation, pk)
    if invitation is None or not secrets.compare_digest(invitation.nonce, str(nonce)):
        raise LinkRefused(_("This rating link is not valid."))
    if invitation.used_at is not None:
        raise LinkRefused(_("This rating link has been used already: thank you for your "
                            "rating."))
    if invitation.expires_at <= now:
        raise LinkRefused(_("This rating link has expired. Please call the assistance window "
                            "to give your rating."))
    return invitation


def _method(session: Session, commission: Commission) -> ContactMethod:
    """How the invitation reached the unit (the revisit's method)."""
    channel = session.scalar(sa.select(Notification.channel).where(
        Notification.commission_id == commission.id,
        Notification.template == Template.rating_invitation.value)
        .order_by(Notification.id.desc()).limit(1))
    return {Channel.wechat: ContactMethod.wechat,
            Channel.email: ContactMethod.email}.get(channel, ContactMethod.sms)


def answer(session: Session, invitation: RatingInvitation, *, rating: Rating,
           comment: str | None, today: dt.date, now: dt.datetime) -> Revisit:
    """The unit's rating: a revisit of the commission (with its rectification when the
    rating is bad), the invitation used up (compare-and-set: one answer only)."""
    require(isinstance(rating, Rating), _("Choose a rating."))
    used = session.execute(
        sa.update(RatingInvitation)
        .where(RatingInvitation.id == invitation.id, RatingInvitation.used_at.is_(None),
               RatingInvitation.expires_at > now)
        .values(used_at=now).execution_options(synchronize_session=False))
    if used.rowcount != 1:
        raise LinkRefused(_("This rating link has been used already: thank you for your "
                            "rating."))
    revisit = Revisit(commission=invitation.commission, visited_on=today,
                      method=_method(session, invitation.commission),
                      person_reached=invitation.recipient_name,
                      rating=rating, opinions=(comment or "").strip() or None)
    session.add(revisit)
    revisits.open_rectification(session, revisit)
    session.flush()
    session.execute(sa.update(RatingInvitation).where(RatingInvitation.id == invitation.id)
                    .values(revisit_id=revisit.id).execution_options(synchronize_session=False))
    session.refresh(invitation)
    return revisit


def rating_choices() -> list[tuple[str, Any]]:
    """The five levels, best first (the national 好差评 scale)."""
    return Rating.choices()
