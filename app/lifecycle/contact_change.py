"""A contact change the unit reported online (R-17.6): the coordinator accepts it (the unit's
contact takes the new values) or rejects it, on the case page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session

from app.clock import utc_now
from app.domain import contacts
from app.lifecycle.step import Context, Lifecycle, Step, on_record
from app.models.online import ContactChange
from app.notify.templates import Template
from app.states import ContactChangeState


def _accept(session: Session, change: ContactChange, ctx: Context) -> None:
    contacts.accept(session, change, at=utc_now(), actor=ctx.actor)


def _reject(session: Session, change: ContactChange, ctx: Context, *, reason: str) -> None:
    contacts.reject(session, change, reason=reason, at=utc_now(), actor=ctx.actor)


CONTACT_CHANGE = Lifecycle("contact_change", ContactChange, (
    Step("accept", _("Accept contact change"), on_record(contacts.check_decide), _accept,
         moves_to=ContactChangeState.accepted, notifies=(Template.contact_change_decided,),
         style="success"),
    Step("reject", _("Reject contact change"), on_record(contacts.check_decide), _reject,
         moves_to=ContactChangeState.rejected, notifies=(Template.contact_change_decided,),
         style="default"),
))
