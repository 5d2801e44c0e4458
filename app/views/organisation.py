"""Screens for the organisation: departments (审批部门), staff (人员) and roster filings (人员报备).

R-2.3: the roster keeps its history, so none of these screens deletes; a department or a
person is switched off (``active`` / status) and a change is filed as a roster change.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _
from markupsafe import Markup

from app import access
from app.choices import RosterChangeKind, StaffRole
from app.domain import roster
from app.clock import office_today
from app.domain.errors import DomainError
from app.domain.validators import check_email, check_phone
from app.extensions import db
from app.models import Department, RosterChange, StaffMember
from app.views.base import AppInterface, AppModelView, date_order
from app.views.lights import request_calendar
from app.views.menu import REFERENCE, TEAM, add
from app.views.reference import ApprovalItemView
from app.views.roster_forms import ApproveForm, HandoverForm, user_display_name
from app.views.training import TrainingAttendanceView
from app.views.transaction import run_in_transaction

#: History is kept (R-2.3): list, show, add and edit only. Approving a filing, carrying it
#: out and handing a leaver's cases over are part of editing the roster (R-2.2).
NO_DELETE = ["can_list", "can_show", "can_add", "can_edit"]
APPROVE = _("Approve")
REASSIGN = _("Reassign open commissions")


def blocked_message(exc: roster.LeaveBlocked) -> Markup:
    """The refusal with links to the commissions and to the reassignment screen."""
    links = Markup("、").join(
        Markup('<a href="{}">{}</a>').format(url_for("CommissionView.show", pk=c.id), c)
        for c in exc.commissions)
    return Markup('{reason}<br>{label}：{links}<br><a class="btn btn-sm btn-warning" '
                  'href="{url}">{offer}</a>').format(
        reason=str(exc), label=_("Open commissions"), links=links,
        url=url_for("StaffMemberView.handover", pk=exc.staff.id), offer=REASSIGN)


#: a refusal that names the commissions still held gets their links (transaction on_error)
BLOCKED = {roster.LeaveBlocked: blocked_message}


class RosterChangeView(AppModelView):
    """人员报备: a join, leave, transfer or replacement filed before it takes effect (R-2.3)."""

    today_columns = ("filed_on",)

    datamodel = AppInterface(RosterChange)
    base_permissions = NO_DELETE
    list_title = _("Roster changes")
    show_title = _("Roster change")
    add_title = _("File roster change")
    edit_title = _("Edit roster change")
    label_columns = {
        "staff": _("Staff member"),
        "kind": _("Change kind"),
        "from_department": _("From department"),
        "to_department": _("To department"),
        "replacement": _("Replaced by"),
        "filed_on": _("Filed on"),
        "effective_on": _("Effective on"),
        "reason": _("Reason"),
        "approved_by": _("Approved by"),
        "approved_on": _("Approved on"),
        "applied_on": _("Took effect on"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    description_columns = {
        "approved_by": _("Leave empty to approve later with the “Approve” button."),
        "effective_on": _("File the change at least the configured number of working days "
                          "ahead (提前报备, one by default). Once approved it is carried out on "
                          "this day by the scheduled run (flask apply-roster, with the "
                          "deadline sweep), or at once when approved on or after it."),
    }
    list_columns = ["staff", "kind", "filed_on", "effective_on", "to_department", "approved_by",
                    "applied_on"]
    # A filing approved on paper may be entered with its approval; afterwards approval is
    # the "Approve" step, so the edit form leaves it out.
    edit_columns = [
        "staff", "kind", "from_department", "to_department", "replacement", "filed_on",
        "effective_on", "reason",
    ]
    add_columns = edit_columns + ["approved_by", "approved_on"]
    show_template = "roster_change_show.html"
    show_fieldsets = [
        (_("Roster change"), {"fields": [
            "staff", "kind", "from_department", "to_department", "replacement", "reason",
        ]}),
        (_("Filing"), {"fields": ["filed_on", "effective_on", "approved_by", "approved_on",
                                  "applied_on"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "expanded": False}),
    ]
    search_columns = ["staff", "kind", "filed_on", "effective_on", "to_department"]
    order_columns = ["filed_on", "effective_on", "kind"]
    base_order = ("filed_on", "desc")

    _dates = staticmethod(date_order(
        "filed_on", "effective_on",
        _("A roster change takes effect on or after the day it is filed."),
    ))

    def check_form(self, form: Any) -> dict[str, object]:
        """Dates in order; a transfer names its new department, a replacement its successor;
        a change in effect is not edited; an approval entered here obeys the approval rules."""
        errors = dict(self._dates(form))
        if not errors:  # dates in order: then 提前报备
            errors.update(self._notice_errors(form))
        kind = form.kind.data
        if kind == RosterChangeKind.transfer and form.to_department.data is None:
            errors["to_department"] = _("A transfer names the department moved to.")
        if kind == RosterChangeKind.replace and form.replacement.data is None:
            errors["replacement"] = _("A replacement names the staff member taking over.")
        pk = getattr(form, "_id", None)
        current = db.session.get(RosterChange, pk) if pk is not None else None
        if current is not None and current.applied_on is not None:
            errors["reason"] = _("This roster change has taken effect and is kept as history; "
                                 "file a new roster change instead.")
        if hasattr(form, "approved_by"):
            errors.update(self._approval_errors(form))
        return errors

    @staticmethod
    def _notice_errors(form: Any) -> dict[str, object]:
        """提前报备 (R-2.5), checked when the dates are entered or changed."""
        pk = getattr(form, "_id", None)
        current = db.session.get(RosterChange, pk) if pk is not None else None
        filed_on, effective_on = form.filed_on.data, form.effective_on.data
        if current is not None and (current.filed_on, current.effective_on) == (
                filed_on, effective_on):
            return {}  # filed before the rule, or unchanged: not judged again
        try:
            roster.check_filing(filed_on=filed_on, effective_on=effective_on,
                                cal=request_calendar(),
                                notice_days=current_app.config["ROSTER_NOTICE_WORKING_DAYS"])
        except DomainError as exc:
            return {"effective_on": str(exc)}
        return {}

    @staticmethod
    def _approval_errors(form: Any) -> dict[str, object]:
        by, on = (form.approved_by.data or "").strip(), form.approved_on.data
        if not by and not on:
            return {}
        if not on:
            return {"approved_on": _("Give the date of the approval.")}
        if not by:
            return {"approved_by": _("Give who approved the roster change.")}
        try:
            roster.check_approval(db.session, staff=form.staff.data, kind=form.kind.data,
                                  filed_on=form.filed_on.data, approved_on=on,
                                  today=office_today())
        except roster.LeaveBlocked as exc:
            return {"staff": str(exc)}
        except DomainError as exc:
            return {"approved_on": str(exc)}
        return {}

    def pre_update(self, item: Any) -> None:
        super().pre_update(item)
        if roster.void_approval_if_changed(item):
            flash(str(_("What the roster change does was edited: it needs approval again.")),
                  "warning")

    def _load(self, pk: int) -> RosterChange:
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        return item

    @expose("/approve/<int:pk>", methods=["GET", "POST"])
    @has_access
    @permission_name("edit")
    def approve(self, pk: int):
        """批准: record who approved the filing; it takes effect at once if its day has come."""
        change = self._load(pk)
        back = url_for(f"{type(self).__name__}.show", pk=pk)
        if change.approved_on is not None:
            flash(str(_("This roster change is already approved.")), "warning")
            return redirect(back)
        form = ApproveForm()
        if request.method == "GET":
            form.approved_by.data = user_display_name(g.user)
        error = None
        if request.method == "POST" and form.validate_on_submit():
            outcome = run_in_transaction(
                roster.approve, db.session, change, approved_by=form.approved_by.data,
                approved_on=form.approved_on.data, today=office_today(), actor=g.user,
                on_error=BLOCKED)
            error = outcome.message
            if outcome.ok:
                flash(str(_("The roster change is approved.")), "success")
                self._flash_effect(change, outcome.value)
                return redirect(back)
        return self.render_template(
            "workflow_step.html", form=form, obj=change, error=error, back=back,
            step=SimpleNamespace(label=APPROVE, style="primary"),
            title=f"{APPROVE} · {change}")

    @staticmethod
    def _flash_effect(change: RosterChange, waiting: object | None) -> None:
        if change.applied_on is not None:
            flash(str(_("The roster change took effect on %(day)s.",
                        day=change.applied_on.isoformat())), "success")
        elif waiting is not None:
            flash(str(_("It could not take effect yet: %(reason)s", reason=waiting)), "warning")
        else:
            flash(str(_("It takes effect on %(day)s.", day=change.effective_on.isoformat())),
                  "info")

    @expose("/apply/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("edit")
    def apply(self, pk: int):
        """生效: carry out an approved change whose effective date has come."""
        change = self._load(pk)
        outcome = run_in_transaction(roster.apply_change, db.session, change,
                                     today=office_today(), actor=g.user, on_error=BLOCKED)
        if outcome.refused:
            flash(outcome.message, "danger")
        else:
            self._flash_effect(change, None)
        return redirect(url_for(f"{type(self).__name__}.show", pk=pk))

    def render_template(self, template: str, **kwargs: Any) -> Any:
        """The show page knows whether the change can be approved or carried out today."""
        if template == self.show_template and "pk" in kwargs:
            change = db.session.get(RosterChange, int(kwargs["pk"]))
            kwargs["roster_change"] = change
            kwargs["can_apply"] = (change is not None and change.approved_on is not None
                                   and change.applied_on is None
                                   and change.effective_on <= office_today())
        return super().render_template(template, **kwargs)


class StaffMemberView(AppModelView):
    """人员: coordinators (协办员) and specialists (专办员, each in one department), R-2.2."""

    datamodel = AppInterface(StaffMember)
    base_permissions = NO_DELETE
    list_title = _("Staff roster")
    show_title = _("Staff member")
    add_title = _("Add staff member")
    edit_title = _("Edit staff member")
    label_columns = {
        "staff_no": _("Staff number"),
        "name": _("Full name"),
        "role": _("Role"),
        "department": _("Approval department"),
        "title": _("Job title"),
        "phone": _("Contact phone"),
        "email": _("E-mail"),
        "status": _("Status"),
        "admitted_on": _("Joined on"),
        "exited_on": _("Left on"),
        "user": _("Login account"),
        "remarks": _("Remarks"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    description_columns = {
        "department": _("Required for a specialist: the approval department they work for."),
    }
    list_columns = ["staff_no", "name", "role", "department", "title", "phone", "status",
                    "admitted_on"]
    add_columns = edit_columns = [
        "staff_no", "name", "role", "department", "title", "phone", "email", "status", "admitted_on",
        "exited_on", "user", "remarks",
    ]
    show_fieldsets = [
        (_("Staff member"), {"fields": [
            "staff_no", "name", "role", "department", "title", "phone", "email", "user", "remarks",
        ]}),
        (_("Service"), {"fields": ["status", "admitted_on", "exited_on"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "expanded": False}),
    ]
    search_columns = ["staff_no", "name", "role", "department", "status", "admitted_on"]
    order_columns = ["name", "role", "status", "admitted_on"]
    base_order = ("name", "asc")
    field_checks = {"phone": check_phone, "email": check_email}
    # The person's history: roster filings and trainings attended.
    related_views = [RosterChangeView, TrainingAttendanceView]
    show_template = "staff_show.html"

    _dates = staticmethod(date_order(
        "admitted_on", "exited_on", _("The date of leaving is before the date of joining."),
    ))

    def check_form(self, form: Any) -> dict[str, object]:
        """A specialist belongs to a department; dates in order; one person per login."""
        errors = dict(self._dates(form))
        if form.role.data == StaffRole.specialist and form.department.data is None:
            errors["department"] = _("A specialist must belong to an approval department.")
        user = form.user.data
        if user is not None:
            query = db.select(StaffMember.id).where(StaffMember.user_id == user.id)
            current = getattr(form, "_id", None)  # set by FAB on edit
            if current is not None:
                query = query.where(StaffMember.id != current)
            if db.session.scalar(query.limit(1)) is not None:
                errors["user"] = _("This login account already belongs to another staff member.")
        errors.update(self._leaving_errors(form))
        return errors

    @staticmethod
    def _leaving_errors(form: Any) -> dict[str, object]:
        """Nobody goes off duty (调离 / 停用) while coordinating open commissions (R-2.3)."""
        pk = getattr(form, "_id", None)
        if pk is None or form.status.data not in roster.OFF_DUTY:
            return {}
        person = db.session.get(StaffMember, pk)
        if person is None or person.status in roster.OFF_DUTY:
            return {}
        try:
            roster.check_can_go(db.session, person)
        except roster.LeaveBlocked as exc:
            hint = _("Use “Reassign open commissions” on their page.")
            return {"status": f"{exc} {hint}"}
        return {}

    def render_template(self, template: str, **kwargs: Any) -> Any:
        """The show page offers the reassignment while the person holds open commissions."""
        if template == self.show_template and "pk" in kwargs:
            # Only the reader's own cases are named: a coordinator looking up a
            # colleague does not learn that colleague's application numbers.
            kwargs["open_commissions"], _hidden = access.split_visible(
                g.user, roster.open_commissions(db.session, int(kwargs["pk"])))
        return super().render_template(template, **kwargs)

    @expose("/handover/<int:pk>", methods=["GET", "POST"])
    @has_access
    @permission_name("edit")
    def handover(self, pk: int):
        """改派在办委托: all open commissions of this person to another coordinator at once."""
        person = self.datamodel.get(pk, self._base_filters)
        if person is None:
            abort(404)
        back = url_for(f"{type(self).__name__}.show", pk=pk)
        form = HandoverForm().offer(person.id)
        error = None
        if request.method == "POST" and form.validate_on_submit():
            outcome = run_in_transaction(
                roster.hand_over, db.session, person,
                db.session.get(StaffMember, int(form.coordinator.data)),
                on=form.on.data, reason=form.reason.data, actor=g.user)
            error = outcome.message
            if outcome.ok:
                flash(str(_("%(count)s open commission(s) reassigned.",
                            count=len(outcome.value))), "success")
                return redirect(back)
        return self.render_template(
            "roster_handover.html", form=form, person=person, error=error, back=back,
            commissions=roster.open_commissions(db.session, person.id),
            title=f"{REASSIGN} · {person}")


class DepartmentView(AppModelView):
    """审批部门 with its responsible contact (专人), specialists and catalogue items (R-2.1, R-2.4)."""

    datamodel = AppInterface(Department)
    base_permissions = NO_DELETE
    list_title = _("Approval departments")
    show_title = _("Approval department")
    add_title = _("Add approval department")
    edit_title = _("Edit approval department")
    label_columns = {
        "name": _("Department name"),
        "short_name": _("Short name"),
        "runs_window": _("Runs the assistance window"),
        "contact_name": _("Responsible contact"),
        "contact_phone": _("Contact phone"),
        "address": _("Address"),
        "active": _("In use"),
        "sort_order": _("Sort order"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    description_columns = {
        "contact_name": _("The person the department names for assistance cases (Art.5)."),
    }
    list_columns = ["name", "short_name", "contact_name", "contact_phone", "runs_window", "active"]
    add_columns = edit_columns = [
        "name", "short_name", "runs_window", "contact_name", "contact_phone", "address",
        "active", "sort_order",
    ]
    show_fieldsets = [
        (_("Approval department"), {"fields": [
            "name", "short_name", "runs_window", "address", "active", "sort_order",
        ]}),
        (_("Responsible contact"), {"fields": ["contact_name", "contact_phone"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "expanded": False}),
    ]
    search_columns = ["name", "short_name", "contact_name", "runs_window", "active"]
    order_columns = ["name", "sort_order"]
    base_order = ("sort_order", "asc")
    field_checks = {"contact_phone": check_phone}
    related_views = [StaffMemberView, ApprovalItemView]


def register(appbuilder) -> None:
    """Menu entries of this module (TEAM first, so the category order stays as in menu.py)."""
    add(appbuilder, StaffMemberView, "Staff", _("Staff roster"), TEAM, "fa-id-badge")
    add(appbuilder, RosterChangeView, "Roster changes", _("Roster changes"), TEAM,
        "fa-exchange")
    add(appbuilder, DepartmentView, "Departments", _("Approval departments"), REFERENCE,
        "fa-building")
