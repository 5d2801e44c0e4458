"""Lifecycle steps on the commission, item and pre-review pages: buttons, small forms, no logic.

Each Step names the form it asks for, when its button shows, and the domain call it makes.
The route loads the record, validates the form, calls the domain, commits, flashes and
redirects; a DomainError rolls back and shows its reason on the form, nothing changed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

import sqlalchemy as sa
from flask import abort, current_app, flash, g, has_request_context, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _
from flask_login import current_user

from app import access
from app.choices import ContactMethod, DelegationScope, TerminationReason
from app.documents import steps as documents
from app.domain import approvals, closing, coordination, intake, planning
from app.clock import office_today
from app.domain.errors import DomainError
from app.domain.workdays import WorkCalendar, load_calendar
from app.extensions import db
from app.models import ApprovalItem, Commission, CommissionItem, PreReview, StaffMember, Termination
from app.states import (
    COMMISSION_OPEN,
    CommissionState,
    ItemState,
    PreReviewOutcome,
    can_transition,
)
from app.views import workflow_forms as forms
from app.views.transaction import run_in_transaction


@dataclass(frozen=True)
class Context:
    """What every step may need besides its form."""

    actor: Any
    today: dt.date
    cal: WorkCalendar
    config: Any


@dataclass(frozen=True)
class Step:
    """One lifecycle action: its button label, form, availability and domain call."""

    key: str
    label: Any
    form: type
    available: Callable[[Any], bool]
    run: Callable[[Any, Any, Context], Any]
    style: str = "primary"


def _staff(form) -> StaffMember:
    staff = db.session.get(StaffMember, int(form.coordinator.data))
    if staff is None:
        raise DomainError(_("Choose a coordinator."))
    return staff


def _termination(commission: Commission) -> Termination | None:
    return db.session.scalars(
        sa.select(Termination).where(Termination.commission_id == commission.id)
    ).first()


def _newest_plan_unconfirmed(c: Commission) -> bool:
    plan = planning.latest_plan(db.session, c)
    return plan is not None and plan.confirmed_on is None


def _confirm_plan(c: Commission, f, ctx: Context) -> None:
    plan = planning.latest_plan(db.session, c)
    if plan is None:
        raise DomainError(_("Draft a plan first."))
    planning.confirm_plan(db.session, c, plan, confirmed_by=f.confirmed_by.data,
                          confirmed_on=f.confirmed_on.data, actor=ctx.actor)


def _handover(c: Commission, f, ctx: Context) -> None:
    termination = _termination(c)
    if termination is None:
        raise DomainError(_("This commission has no termination form."))
    closing.record_handover(termination, on=f.on.data)


def _handover_pending(c: Commission) -> bool:
    termination = _termination(c) if c.state == CommissionState.terminated else None
    return termination is not None and termination.handed_over_on is None


COMMISSION_STEPS: list[Step] = [
    Step("accept", _("Accept application"), forms.AcceptForm,
         lambda c: c.state == CommissionState.pre_review,
         lambda c, f, ctx: intake.accept(db.session, c, applied_on=f.applied_on.data,
                                         actor=ctx.actor,
                                         number_format=ctx.config["APPLICATION_NO_FORMAT"])),
    Step("ineligible", _("Mark ineligible"), forms.ReasonForm,
         lambda c: c.state == CommissionState.pre_review,
         lambda c, f, ctx: intake.mark_ineligible(db.session, c, reason=f.reason.data,
                                                  actor=ctx.actor), "default"),
    Step("assign", _("Assign coordinator"), forms.AssignForm,
         lambda c: c.state == CommissionState.accepted,
         lambda c, f, ctx: coordination.assign(db.session, c, _staff(f), assigned_on=f.on.data,
                                               cal=ctx.cal, actor=ctx.actor)),
    Step("reassign", _("Reassign coordinator"), forms.ReassignForm,
         lambda c: c.state in COMMISSION_OPEN and c.coordinator_id is not None,
         lambda c, f, ctx: coordination.reassign(db.session, c, _staff(f), on=f.on.data,
                                                 reason=f.reason.data, actor=ctx.actor),
         "default"),
    Step("contact", _("Record contact with unit"), forms.ContactForm,
         lambda c: c.state == CommissionState.assigned,
         lambda c, f, ctx: coordination.record_contact(
             db.session, c, method=ContactMethod(f.method.data), contacted_on=f.contacted_on.data,
             note=f.note.data or None, actor=ctx.actor)),
    Step("draft_plan", _("Draft approval plan"), forms.DraftPlanForm,
         lambda c: c.state in (CommissionState.planning, CommissionState.in_progress),
         lambda c, f, ctx: planning.draft_plan(db.session, c, start=f.start.data,
                                               drafted_on=ctx.today, cal=ctx.cal,
                                               note=f.note.data or None, actor=ctx.actor)),
    Step("confirm_plan", _("Unit confirms plan"), forms.ConfirmPlanForm,
         lambda c: c.state in (CommissionState.planning, CommissionState.in_progress)
         and _newest_plan_unconfirmed(c),
         _confirm_plan),
    Step("start_delivery", _("Start result delivery"), forms.ConfirmForm,
         lambda c: c.state == CommissionState.in_progress,
         lambda c, f, ctx: closing.start_delivery(db.session, c, actor=ctx.actor)),
    Step("complete", _("Complete (办结)"), forms.DateForm,
         lambda c: c.state == CommissionState.delivering,
         # Moves to completed and issues the 协办办结单 in one transaction.
         lambda c, f, ctx: documents.complete(db.session, c, completed_on=f.on.data,
                                              actor=ctx.actor), "success"),
    Step("terminate", _("Terminate commission"), forms.TerminateForm,
         lambda c: can_transition(c.state, CommissionState.terminating),
         # Issues the 协办委托终止单, notifies the unit, starts the wait.
         lambda c, f, ctx: documents.terminate(
             db.session, c, reason=TerminationReason(f.reason.data), reason_text=f.reason_text.data,
             issued_on=f.issued_on.data, confirm_days=ctx.config["TERMINATION_CONFIRM_DAYS"],
             cal=ctx.cal, actor=ctx.actor), "danger"),
    Step("confirm_termination", _("Unit confirms termination"), forms.DateForm,
         lambda c: c.state in (CommissionState.terminating, CommissionState.announced),
         lambda c, f, ctx: closing.confirm_termination(db.session, c, confirmed_on=f.on.data,
                                                       cal=ctx.cal, actor=ctx.actor)),
    Step("announce", _("Publish announcement"), forms.AnnounceForm,
         lambda c: c.state == CommissionState.terminating,
         lambda c, f, ctx: closing.announce(db.session, c, published_on=f.published_on.data,
                                            url=f.url.data, cal=ctx.cal, actor=ctx.actor),
         "warning"),
    Step("handover", _("Record materials handed back"), forms.DateForm,
         _handover_pending, _handover),
]

ITEM_STEPS: list[Step] = [
    Step("submit", _("Submitted to department"), forms.DateForm,
         lambda i: i.state == ItemState.pending,
         lambda i, f, ctx: approvals.submit(db.session, i, on=f.on.data)),
    Step("accept", _("Accepted by department"), forms.DateForm,
         lambda i: i.state == ItemState.submitted,
         lambda i, f, ctx: approvals.accept(db.session, i, on=f.on.data, cal=ctx.cal)),
    Step("supplement", _("Supplement requested"), forms.SupplementForm,
         lambda i: i.state == ItemState.accepted,
         lambda i, f, ctx: approvals.request_supplement(db.session, i, on=f.on.data,
                                                        note=f.note.data or None), "warning"),
    Step("supplement_in", _("Supplement received"), forms.DateForm,
         lambda i: i.state == ItemState.supplementing,
         lambda i, f, ctx: approvals.receive_supplement(db.session, i, on=f.on.data,
                                                        cal=ctx.cal)),
    Step("approve", _("Approved"), forms.ApproveForm,
         lambda i: i.state == ItemState.accepted,
         lambda i, f, ctx: approvals.approve(db.session, i, on=f.on.data,
                                             result_document=f.result_document.data or None),
         "success"),
    Step("refuse", _("Refused"), forms.RefuseForm,
         lambda i: i.state in (ItemState.submitted, ItemState.accepted, ItemState.supplementing),
         lambda i, f, ctx: approvals.refuse(db.session, i, on=f.on.data, reason=f.reason.data),
         "danger"),
    Step("informed", _("Unit told of refusal"), forms.DateForm,
         lambda i: i.state == ItemState.refused and i.unit_informed_on is None,
         lambda i, f, ctx: approvals.record_unit_informed(i, on=f.on.data)),
    Step("reapply", _("Re-apply"), forms.ConfirmForm,
         lambda i: i.state == ItemState.refused and i.unit_informed_on is not None,
         lambda i, f, ctx: approvals.reapply(db.session, i)),
]


def _open_commission(review: PreReview, f, ctx: Context) -> Commission:
    chosen = [db.session.get(ApprovalItem, int(pk)) for pk in (f.items.data or [])]
    return intake.open_commission(db.session, review, scope=DelegationScope(f.scope.data),
                                  items=[i for i in chosen if i is not None],
                                  intention=f.intention.data or None, actor=ctx.actor)


PRE_REVIEW_STEPS: list[Step] = [
    Step("decide", _("Decide eligibility"), forms.PreReviewDecisionForm,
         lambda r: r.outcome == PreReviewOutcome.pending,
         lambda r, f, ctx: intake.decide_pre_review(
             r, PreReviewOutcome(f.outcome.data), reason=f.reason.data,
             other_channel=f.other_channel.data)),
    Step("open_commission", _("Open commission"), forms.OpenCommissionForm,
         lambda r: r.outcome == PreReviewOutcome.eligible,
         _open_commission, "success"),
]

#: target → (model, steps, endpoint of the page to return to)
TARGETS: dict[str, tuple[type, list[Step], str]] = {
    "commission": (Commission, COMMISSION_STEPS, "CommissionView.show"),
    "item": (CommissionItem, ITEM_STEPS, "CommissionItemView.show"),
    "pre_review": (PreReview, PRE_REVIEW_STEPS, "PreReviewView.show"),
}


def available_steps(target: str, obj: Any) -> list[Step]:
    """The steps whose buttons show on ``obj``'s page."""
    return [step for step in TARGETS[target][1] if step.available(obj)]


def load(target: str, pk: int) -> Any:
    """The record behind a step URL through the user's row filter: 404 when it does not
    exist or belongs to someone else's case (R-14.2), 403 when the user's role may not run
    the step named in the URL (app/roles.py STEP_ROLES)."""
    model = TARGETS[target][0]
    obj = access.visible(current_user, model, pk)
    if obj is None:
        abort(404)
    key = (request.view_args or {}).get("key") if has_request_context() else None
    if key is not None and not access.may_step(current_user, target, key):
        abort(403)
    return obj


class WorkflowView(BaseView):
    """``/workflow/<target>/<pk>/<step>``: the form of one step, and its submission."""

    route_base = "/workflow"
    default_view = "step"

    @expose("/<target>/<int:pk>/<key>", methods=["GET", "POST"])
    @has_access
    def step(self, target: str, pk: int, key: str):
        if target not in TARGETS:
            abort(404)
        obj = load(target, pk)
        step = next((s for s in TARGETS[target][1] if s.key == key), None)
        if step is None:
            abort(404)
        back = url_for(TARGETS[target][2], pk=pk)
        if not step.available(obj):
            flash(str(_("This step is not possible in the record's current state.")), "danger")
            return redirect(back)
        form = step.form()
        error = None
        if request.method == "POST" and form.validate_on_submit():
            context = Context(actor=g.user, today=office_today(),
                              cal=load_calendar(db.session), config=current_app.config)
            outcome = run_in_transaction(step.run, obj, form, context)
            error = outcome.message
            if outcome.ok:
                flash(str(_("%(step)s: done.", step=step.label)), "success")
                if isinstance(outcome.value, Commission) and target == "pre_review":
                    back = url_for("CommissionView.show", pk=outcome.value.id)
                return redirect(back)
        return self.render_template("workflow_step.html", form=form, step=step, obj=obj,
                                    error=error, back=back,
                                    title=f"{step.label} · {obj}")


def steps_for(target: str, pk: Any) -> list[Step]:
    """Jinja helper for show pages: the open steps of record ``pk`` of ``target``."""
    obj = db.session.get(TARGETS[target][0], int(pk))
    if obj is None:
        return []
    return [step for step in available_steps(target, obj)
            if access.may_step(current_user, target, step.key)]


def register(appbuilder) -> None:
    """The step routes have no menu entry; show pages get the ``workflow_steps`` helper."""
    appbuilder.add_view_no_menu(WorkflowView)
    current_app.jinja_env.globals["workflow_steps"] = steps_for
