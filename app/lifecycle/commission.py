"""The commission's steps (Art.6–Art.9): accept, assign, contact, plan, deliver, complete,
terminate, and correcting a recorded date. Each precondition is the domain's own check."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session

from app.choices import ContactMethod, TerminationReason
from app.documents import steps as documents
from app.clock import utc_now
from app.domain import closing, coordination, corrections, intake, planning, ratings
from app.domain.transitions import require
from app.lifecycle.step import Context, Lifecycle, Step, on_record
from app.models import Commission, DocumentKind, StaffMember
from app.notify.templates import Template
from app.states import CommissionState


def _coordinator(session: Session, pk: Any) -> StaffMember:
    staff = session.get(StaffMember, int(pk)) if pk not in (None, "") else None
    require(staff is not None, _("Choose a coordinator."))
    return staff


def _accept(session: Session, c: Commission, ctx: Context, *, applied_on: dt.date) -> str:
    return intake.accept(session, c, applied_on=applied_on, actor=ctx.actor, cal=ctx.cal,
                         number_format=ctx.config["APPLICATION_NO_FORMAT"])


def _ineligible(session: Session, c: Commission, ctx: Context, *, reason: str) -> None:
    intake.mark_ineligible(session, c, reason=reason, actor=ctx.actor)


def _assign(session: Session, c: Commission, ctx: Context, *, coordinator: Any,
            on: dt.date) -> None:
    coordination.assign(session, c, _coordinator(session, coordinator), assigned_on=on,
                        cal=ctx.cal, actor=ctx.actor)


def _reassign(session: Session, c: Commission, ctx: Context, *, coordinator: Any,
              on: dt.date, reason: str) -> None:
    coordination.reassign(session, c, _coordinator(session, coordinator), on=on,
                          reason=reason, actor=ctx.actor)


def _contact(session: Session, c: Commission, ctx: Context, *, method: Any,
             contacted_on: dt.date, note: str | None = None) -> None:
    coordination.record_contact(session, c, method=ContactMethod(method),
                                contacted_on=contacted_on, note=note or None, actor=ctx.actor)


def _draft_plan(session: Session, c: Commission, ctx: Context, *, start: dt.date,
                note: str | None = None) -> Any:
    return planning.draft_plan(session, c, start=start, drafted_on=ctx.today, cal=ctx.cal,
                               note=note or None, actor=ctx.actor)


def _confirm_plan(session: Session, c: Commission, ctx: Context, *, confirmed_by: str,
                  confirmed_on: dt.date) -> None:
    plan = planning.check_confirm_plan(session, c)
    planning.confirm_plan(session, c, plan, confirmed_by=confirmed_by,
                          confirmed_on=confirmed_on, actor=ctx.actor)


def _start_delivery(session: Session, c: Commission, ctx: Context) -> None:
    closing.start_delivery(session, c, actor=ctx.actor)


def _complete(session: Session, c: Commission, ctx: Context, *, on: dt.date) -> Any:
    # Moves to completed and issues the 协办办结单 in one transaction; the unit is
    # sent its signed single-use link to rate the service.
    document = documents.complete(session, c, completed_on=on, actor=ctx.actor)
    ratings.invite(session, c, now=utc_now(), secret=ctx.config["SECRET_KEY"],
                   base_url=ctx.config.get("PUBLIC_BASE_URL", ""),
                   days=int(ctx.config.get("RATING_LINK_DAYS", ratings.DEFAULT_DAYS)))
    return document


def _terminate(session: Session, c: Commission, ctx: Context, *, reason: Any,
               reason_text: str | None, issued_on: dt.date) -> Any:
    # Issues the 协办委托终止单, notifies the unit, starts the wait.
    return documents.terminate(
        session, c, reason=TerminationReason(reason), reason_text=reason_text,
        issued_on=issued_on, confirm_days=ctx.config["TERMINATION_CONFIRM_DAYS"], cal=ctx.cal,
        actor=ctx.actor)


def _confirm_termination(session: Session, c: Commission, ctx: Context, *, on: dt.date) -> Any:
    # Terminated, and the final 协办委托终止单 issued as a new version.
    return documents.confirm_termination(session, c, confirmed_on=on, cal=ctx.cal,
                                         actor=ctx.actor)


def _announce(session: Session, c: Commission, ctx: Context, *, published_on: dt.date,
              url: str) -> Any:
    return closing.announce(session, c, published_on=published_on, url=url, cal=ctx.cal,
                            actor=ctx.actor)


def _handover(session: Session, c: Commission, ctx: Context, *, on: dt.date) -> None:
    closing.record_handover(closing.check_handover(session, c), on=on)


def correct_date(session: Session, record: Any, ctx: Context, *, field: str, value: dt.date,
                 reason: str) -> None:
    """The "correct a date" step of a commission or an item (app/domain/corrections.py)."""
    corrections.correct_date(session, record, field=field, value=value, reason=reason,
                             today=ctx.today, cal=ctx.cal, actor=ctx.actor)


S = CommissionState
COMMISSION = Lifecycle("commission", Commission, (
    Step("accept", _("Accept application"), on_record(intake.check_accept), _accept,
         moves_to=S.accepted),
    Step("ineligible", _("Mark ineligible"), on_record(intake.check_mark_ineligible),
         _ineligible, moves_to=S.ineligible, style="default"),
    Step("assign", _("Assign coordinator"), on_record(coordination.check_assign), _assign,
         moves_to=S.assigned, notifies=(Template.coordinator_assigned,)),
    Step("reassign", _("Reassign coordinator"), on_record(coordination.check_reassign),
         _reassign, notifies=(Template.coordinator_assigned,), style="default"),
    Step("contact", _("Record contact with unit"), on_record(coordination.check_record_contact),
         _contact, moves_to=S.planning),
    Step("draft_plan", _("Draft approval plan"), on_record(planning.check_draft_plan),
         _draft_plan, notifies=(Template.plan_awaiting_confirmation,)),
    Step("confirm_plan", _("Unit confirms plan"), planning.check_confirm_plan, _confirm_plan,
         moves_to=S.in_progress),
    Step("start_delivery", _("Start result delivery"), on_record(closing.check_start_delivery),
         _start_delivery, moves_to=S.delivering,
         notifies=(Template.payment_reminder, Template.results_ready)),
    Step("complete", _("Complete (办结)"), closing.check_complete, _complete,
         moves_to=S.completed, notifies=(Template.rating_invitation,),
         issues=(DocumentKind.completion,), style="success"),
    Step("terminate", _("Terminate commission"), on_record(closing.check_terminate),
         _terminate, moves_to=S.terminating, notifies=(Template.termination_notice,),
         issues=(DocumentKind.termination,), style="danger"),
    Step("confirm_termination", _("Unit confirms termination"),
         closing.check_confirm_termination, _confirm_termination, moves_to=S.terminated,
         issues=(DocumentKind.termination,)),
    Step("announce", _("Publish announcement"), closing.check_announce, _announce,
         moves_to=S.announced, notifies=(Template.announcement,), style="warning"),
    Step("handover", _("Record materials handed back"), closing.check_handover, _handover),
    Step("correct_date", _("Correct a date"), on_record(corrections.check_correct),
         correct_date, style="default"),
))
