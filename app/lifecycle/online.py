"""The unit's confirmations online (R-17.2, R-17.3): the very steps the window runs
("Unit confirms plan", "Unit confirms termination"), recorded as the named contact's
confirmation with its time and address, and told to the coordinator.

The unit acts without an account: the step runs with no actor (the state history names no
user; the note and the ``UnitConfirmation`` row say who), in the caller's transaction.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session

from app.choices import UnitConfirmationKind, UnitContact
from app.domain import closing, planning
from app.domain.contacts import person
from app.domain.notices import notify_coordinator
from app.domain.transitions import require
from app.lifecycle.commission import COMMISSION
from app.lifecycle.step import Context, Step
from app.models.commission import Commission
from app.models.online import UnitConfirmation
from app.notify.templates import Template
from app.timefmt import show_time

#: the unit's online acts and the commission step each one is
STEPS: dict[UnitConfirmationKind, str] = {
    UnitConfirmationKind.plan: "confirm_plan",
    UnitConfirmationKind.termination: "confirm_termination",
}


def step(kind: UnitConfirmationKind) -> Step:
    """The commission step the unit's ``kind`` of confirmation runs."""
    found = COMMISSION.step(STEPS[kind])
    assert found is not None
    return found


def open_confirmations(session: Session,
                       commission: Commission) -> list[UnitConfirmationKind]:
    """Which confirmations the unit may give now: those whose step's own precondition holds
    (the buttons on its page, as on the window's)."""
    return [kind for kind in UnitConfirmationKind
            if step(kind).allowed(session, commission)]


def confirm(session: Session, commission: Commission, kind: UnitConfirmationKind, *,
            contact: UnitContact, ctx: Context, at: dt.datetime, ip: str | None,
            plan_id: int | None = None) -> UnitConfirmation:
    """Run the step of ``kind`` for the unit's ``contact`` and record it (module docstring).

    ``plan_id``: the plan version the unit was shown; a newer one drafted meanwhile is not
    confirmed in its place."""
    who = person(commission.project.unit, contact)
    plan = None
    if kind == UnitConfirmationKind.plan:
        plan = planning.check_confirm_plan(session, commission)
        require(plan.id == plan_id, _("The plan was changed meanwhile: look at the new "
                                      "version before confirming it."))
        step(kind).run(session, commission, ctx, confirmed_by=who.name[:50],
                       confirmed_on=ctx.today)
        what = _("the approval plan (v%(version)s)", version=plan.version)
    else:
        closing.check_confirm_termination(session, commission)
        step(kind).run(session, commission, ctx, on=ctx.today)
        what = _("the termination of the commission")
    row = UnitConfirmation(commission=commission, kind=kind, plan_version=plan, contact=contact,
                           contact_name=who.name[:50], contact_phone=(who.phone or "")[:30],
                           confirmed_at=at, ip=ip)
    session.add(row)
    notify_coordinator(session, commission, Template.unit_confirmed,
                       {"role": contact.label, "contact_name": who.name, "at": show_time(at),
                        "what": what})
    return row
