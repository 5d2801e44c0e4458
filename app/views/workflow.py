"""The lifecycle's steps on the commission, item and pre-review pages: a form per step.

The steps themselves — precondition, action, transition, messages, documents — are
declared once in app/lifecycle. Here each step gets the small form it asks for; the route
loads the record through the user's row filter, checks the step is open (the domain's own
precondition), runs it in the one transaction (app/views/transaction.py) and redirects;
a refusal is shown on the form with its reason, nothing changed.
"""
from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, g, has_request_context, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _
from flask_login import current_user

from app import access
from app.clock import office_today
from app.domain.workdays import load_calendar
from app.extensions import db
from app.lifecycle import LIFECYCLES, Context, Step
from app.models import Commission
from app.views import workflow_forms as forms
from app.views.transaction import run_in_transaction

NOT_NOW = _("This step is not possible in the record's current state.")

#: target → the page its step buttons are on: the endpoint, and the record's column holding
#: that page's id (None: the record's own page)
PAGES: dict[str, tuple[str, str | None]] = {
    "commission": ("CommissionView.show", None),
    "item": ("CommissionItemView.show", None),
    "pre_review": ("PreReviewView.show", None),
    # a contact change the unit reported is decided on the case page
    "contact_change": ("CommissionView.show", "commission_id"),
}

#: (target, step key) → the form the step asks for (its fields are the action's keywords)
FORMS: dict[tuple[str, str], type[forms.StepForm]] = {
    ("commission", "accept"): forms.AcceptForm,
    ("commission", "ineligible"): forms.ReasonForm,
    ("commission", "assign"): forms.AssignForm,
    ("commission", "reassign"): forms.ReassignForm,
    ("commission", "contact"): forms.ContactForm,
    ("commission", "draft_plan"): forms.DraftPlanForm,
    ("commission", "confirm_plan"): forms.ConfirmPlanForm,
    ("commission", "start_delivery"): forms.ConfirmForm,
    ("commission", "complete"): forms.DateForm,
    ("commission", "terminate"): forms.TerminateForm,
    ("commission", "confirm_termination"): forms.DateForm,
    ("commission", "announce"): forms.AnnounceForm,
    ("commission", "handover"): forms.DateForm,
    ("commission", "correct_date"): forms.CorrectDateForm,
    ("item", "submit"): forms.DateForm,
    ("item", "accept"): forms.DateForm,
    ("item", "supplement"): forms.SupplementForm,
    ("item", "supplement_in"): forms.DateForm,
    ("item", "approve"): forms.ApproveForm,
    ("item", "refuse"): forms.RefuseForm,
    ("item", "informed"): forms.DateForm,
    ("item", "reapply"): forms.ConfirmForm,
    ("item", "correct_date"): forms.CorrectDateForm,
    ("pre_review", "decide"): forms.PreReviewDecisionForm,
    ("pre_review", "open_commission"): forms.OpenCommissionForm,
    ("contact_change", "accept"): forms.ConfirmForm,
    ("contact_change", "reject"): forms.ReasonForm,
}


def available_steps(target: str, obj: Any) -> list[Step]:
    """The steps whose buttons show on ``obj``'s page: those the domain would accept now,
    from the signed-in user."""
    return LIFECYCLES[target].open_steps(db.session, obj, g.user)


def load(target: str, pk: int) -> Any:
    """The record behind a step URL through the user's row filter: 404 when it does not
    exist or belongs to someone else's case (R-14.2), 403 when the user's role may not run
    the step named in the URL (app/roles.py STEP_ROLES)."""
    model = LIFECYCLES[target].model
    obj = access.visible(current_user, model, pk)
    if obj is None:
        abort(404)
    key = (request.view_args or {}).get("key") if has_request_context() else None
    if key is not None and not access.may_step(current_user, target, key):
        abort(403)
    return obj


def context() -> Context:
    """What a step run from a screen is given: the signed-in user, today, the calendar."""
    return Context(actor=g.user, today=office_today(), cal=load_calendar(db.session),
                   config=current_app.config)


class WorkflowView(BaseView):
    """``/workflow/<target>/<pk>/<step>``: the form of one step, and its submission."""

    route_base = "/workflow"
    default_view = "step"

    @expose("/<target>/<int:pk>/<key>", methods=["GET", "POST"])
    @has_access
    def step(self, target: str, pk: int, key: str):
        if target not in LIFECYCLES:
            abort(404)
        obj = load(target, pk)
        step = LIFECYCLES[target].step(key)
        if step is None or (target, key) not in FORMS:
            abort(404)
        endpoint, column = PAGES[target]
        back = url_for(endpoint, pk=getattr(obj, column) if column else pk)
        refusal = step.refusal(db.session, obj, g.user)
        if refusal is not None:
            flash(f"{NOT_NOW} {refusal}", "danger")
            return redirect(back)
        form = FORMS[(target, key)]().bind(obj)
        error = None
        if request.method == "POST" and form.validate_on_submit():
            outcome = run_in_transaction(step.run, db.session, obj, context(), **form.values())
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
    """Jinja helper for show pages: the open steps of record ``pk`` of ``target`` that the
    user's role may run."""
    obj = db.session.get(LIFECYCLES[target].model, int(pk))
    if obj is None:
        return []
    return [step for step in available_steps(target, obj)
            if access.may_step(current_user, target, step.key)]


def register(appbuilder) -> None:
    """The step routes have no menu entry; show pages get the ``workflow_steps`` helper."""
    appbuilder.add_view_no_menu(WorkflowView)
    current_app.jinja_env.globals["workflow_steps"] = steps_for
