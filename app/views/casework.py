"""Screens for the coordinator's casework: work log, consultations, escalations and
one-time notices of missing materials (R-6.3, R-6.4, R-6.5, R-6.7)."""
from __future__ import annotations

from typing import Any

from flask import g, redirect, request, url_for
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_babel import lazy_gettext as _

from app.choices import StaffRole
from app.models import (
    Consultation,
    Escalation,
    MaterialNotice,
    MaterialNoticeLine,
    WorkLogEntry,
)
from app.states import EscalationStatus
from app.views.base import WRITE_ROUTES, AppInterface, AppModelView, date_order
from app.views.menu import CASEWORK, add
from app.views.notice_form import SAVE_AND_PRINT, NoticeLinesField
from app.views.rules import NOT_THIS_COMMISSION, all_rules, same_commission

# Both tables grow with the commissions: form fields search them instead of listing all.

_COORDINATORS = [["role", FilterEqual, StaffRole.coordinator]]
_SPECIALISTS = [["role", FilterEqual, StaffRole.specialist]]


class WorkLogEntryView(AppModelView):
    """工作日志: append-only (R-6.4). No edit, no delete: a correction is a new entry that
    names the entry it corrects."""

    today_columns = ("logged_on",)

    datamodel = AppInterface(WorkLogEntry, eager=("commission_item", "corrects"))
    base_permissions = ["can_add", "can_list", "can_show"]
    # Without the routes there is nothing to grant by mistake: the URLs answer 404.
    exclude_route_methods = {"edit", "delete", "action", "action_post"}
    list_title = _("Work log")
    show_title = _("Work log entry")
    add_title = _("Add work log entry")
    label_columns = {
        "commission": _("Commission"),
        "logged_on": _("Work date"),
        "recorded_at": _("Recorded at"),
        "author": _("Recorded by"),
        "entry_type": _("Entry type"),
        "content": _("Content"),
        "commission_item": _("Related item"),
        "corrects": _("Corrects entry"),
    }
    description_columns = {
        "corrects": _("Entries are never changed or deleted: to correct one, add a new entry "
                      "and choose here the entry it corrects."),
    }
    list_columns = [
        "logged_on", "commission", "author", "entry_type", "content", "commission_item",
        "corrects",
    ]
    show_columns = [
        "commission", "logged_on", "recorded_at", "author", "entry_type", "content",
        "commission_item", "corrects",
    ]
    add_columns = [
        "commission", "logged_on", "author", "entry_type", "content", "commission_item",
        "corrects",
    ]
    # The author is whoever is signed in, shown, not chosen.
    signed_columns = {"author": None}
    search_columns = ["logged_on", "author", "entry_type", "content"]
    order_columns = ["logged_on", "recorded_at", "entry_type"]
    base_order = ("id", "desc")
    lookup_columns = {
        "commission": "commission", "commission_item": "commission_item",
        "corrects": "work_log_entry",
    }
    check_form = staticmethod(all_rules(
        same_commission("commission", "commission_item", NOT_THIS_COMMISSION),
        same_commission("commission", "corrects",
                        _("The corrected entry belongs to another commission.")),
    ))


class ConsultationView(AppModelView):
    """沟通记录: a question to a specialist and the answer (R-6.3)."""

    today_columns = ("asked_on",)

    datamodel = AppInterface(Consultation, eager=("commission_item",))
    list_title = _("Consultations")
    show_title = _("Consultation")
    add_title = _("Add consultation")
    edit_title = _("Edit consultation")
    label_columns = {
        "commission": _("Commission"),
        "commission_item": _("Related item"),
        "coordinator": _("Coordinator"),
        "specialist": _("Specialist"),
        "asked_on": _("Asked on"),
        "question": _("Question"),
        "answer": _("Answer"),
        "answered_on": _("Answered on"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    list_columns = [
        "asked_on", "commission", "commission_item", "coordinator", "specialist", "question",
        "answered_on",
    ]
    show_columns = [
        "commission", "commission_item", "coordinator", "specialist", "asked_on", "question",
        "answer", "answered_on", "created_at", "updated_at",
    ]
    add_columns = edit_columns = [
        "commission", "commission_item", "coordinator", "specialist", "asked_on", "question",
        "answer", "answered_on",
    ]
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        "coordinator": _COORDINATORS, "specialist": _SPECIALISTS,
    }
    # The signed-in user is their own side: a coordinator asks and picks the
    # specialist, a specialist records and picks the coordinator.
    signed_columns = {"coordinator": StaffRole.coordinator, "specialist": StaffRole.specialist}
    search_columns = ["asked_on", "answered_on", "coordinator", "specialist", "question"]
    order_columns = ["asked_on", "answered_on"]
    base_order = ("asked_on", "desc")
    lookup_columns = {"commission": "commission", "commission_item": "commission_item"}
    check_form = staticmethod(all_rules(
        date_order("asked_on", "answered_on",
                   _("The answer date is before the date of the question.")),
        same_commission("commission", "commission_item", NOT_THIS_COMMISSION),
    ))


class EscalationView(AppModelView):
    """问题上报: a problem raised to the window or a department head, tracked until resolved
    (R-6.7)."""

    today_columns = ("raised_on",)

    datamodel = AppInterface(Escalation, eager=("commission_item",))
    list_title = _("Escalations")
    show_title = _("Escalation")
    add_title = _("Add escalation")
    edit_title = _("Edit escalation")
    label_columns = {
        "commission": _("Commission"),
        "commission_item": _("Related item"),
        "raised_by": _("Raised by"),
        "target": _("Escalated to"),
        "raised_on": _("Raised on"),
        "problem": _("Problem"),
        "status": _("Escalation status"),
        "resolution": _("Resolution"),
        "resolved_on": _("Resolved on"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    list_columns = [
        "raised_on", "commission", "commission_item", "raised_by", "target", "problem",
        "status", "resolved_on",
    ]
    show_columns = [
        "commission", "commission_item", "raised_by", "target", "raised_on", "problem",
        "status", "resolution", "resolved_on", "created_at", "updated_at",
    ]
    add_columns = edit_columns = [
        "commission", "commission_item", "raised_by", "target", "raised_on", "problem",
        "status", "resolution", "resolved_on",
    ]
    signed_columns = {"raised_by": None}
    search_columns = ["raised_on", "raised_by", "target", "status", "resolved_on", "problem"]
    order_columns = ["raised_on", "status", "resolved_on"]
    base_order = ("raised_on", "desc")
    lookup_columns = {"commission": "commission", "commission_item": "commission_item"}

    _rules = staticmethod(all_rules(
        date_order("raised_on", "resolved_on",
                   _("The resolution date is before the date it was raised.")),
        same_commission("commission", "commission_item", NOT_THIS_COMMISSION),
    ))

    def check_form(self, form: Any) -> dict[str, object]:
        """A resolved escalation says how and when it was resolved."""
        errors = dict(self._rules(form))
        if form.status.data == EscalationStatus.resolved:
            if not (form.resolution.data or "").strip():
                errors.setdefault("resolution", _("A resolved escalation needs its resolution."))
            if not form.resolved_on.data:
                errors.setdefault("resolved_on",
                                  _("A resolved escalation needs the date it was resolved."))
        return errors


class MaterialNoticeLineView(AppModelView):
    """One missing or insufficient material on a one-time notice: listed and shown here;
    written with its notice, on the notice's one form (app/views/notice_form.py: one writer,
    app/domain/one_time_notice.py)."""

    datamodel = AppInterface(MaterialNoticeLine, eager=("material",))
    exclude_route_methods = WRITE_ROUTES
    base_permissions = ["can_list", "can_show"]
    list_title = _("Notice lines")
    show_title = _("Notice line")
    label_columns = {
        "notice": _("One-time notice"),
        "commission_item": _("Commission item"),
        "material": _("Checklist material"),
        "material_name": _("Material"),
        "problem": _("Problem"),
        "note": _("Requirement"),
    }
    list_columns = ["notice", "commission_item", "material_name", "problem", "note"]
    show_columns = ["notice", "commission_item", "material", "material_name", "problem", "note"]
    search_columns = ["material_name", "problem"]
    order_columns = ["material_name", "problem"]
    base_order = ("id", "asc")


class MaterialNoticeView(AppModelView):
    """一次性告知书: every missing or insufficient material, told once (R-6.5).

    The notice and all its lines on one form (issue 14): each line picks its item and a
    material of that item's checklist, or names one in free text; "save and print" saves
    and opens the notice with its PDF on the way (``?print=1``)."""

    today_columns = ("issued_on",)

    datamodel = AppInterface(MaterialNotice)
    list_title = _("One-time notices")
    show_title = _("One-time notice")
    add_title = _("Add one-time notice")
    edit_title = _("Edit one-time notice")
    label_columns = {
        "commission": _("Commission"),
        "issued_on": _("Issued on"),
        "issued_by": _("Issued by"),
        "note": _("Note"),
        "lines": _("Missing or insufficient materials"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    list_columns = ["commission", "issued_on", "issued_by", "note"]
    show_columns = ["commission", "issued_on", "issued_by", "note", "created_at", "updated_at"]
    add_columns = edit_columns = ["commission", "issued_on", "issued_by", "note", "lines"]
    add_form_extra_fields = edit_form_extra_fields = {
        "lines": NoticeLinesField(_("Missing or insufficient materials")),
    }
    signed_columns = {"issued_by": None}
    search_columns = ["issued_on", "issued_by"]
    order_columns = ["issued_on"]
    base_order = ("issued_on", "desc")
    lookup_columns = {"commission": "commission"}
    show_template = "material_notice_show.html"

    def check_form(self, form: Any) -> dict[str, object]:
        """The lines by the domain's rules (app/domain/one_time_notice.py), on the notice's
        commission."""
        problem = form.lines.check(form.commission.data)
        return {"lines": problem} if problem else {}

    def _commission_of(self, form: Any) -> Any:
        """The notice's commission: chosen on the form, or named by the related view's filter
        (the notice is added from the case's page)."""
        if form.commission.data is not None:
            return form.commission.data
        value = self._filters.get_filter_value("commission")
        return self.datamodel.get_related_obj("commission", value) if value else None

    def _get_add_widget(self, form: Any, exclude_cols: Any = None, widgets: Any = None):
        form.lines.commission = self._commission_of(form)
        return super()._get_add_widget(form, exclude_cols=exclude_cols, widgets=widgets)

    def _get_edit_widget(self, form: Any, exclude_cols: Any = None, widgets: Any = None):
        form.lines.commission = self._commission_of(form)
        return super()._get_edit_widget(form, exclude_cols=exclude_cols, widgets=widgets)

    def post_add(self, item: Any) -> None:
        if request.form.get(SAVE_AND_PRINT):
            g.xb_print_notice = item.id

    post_update = post_add

    def post_add_redirect(self):
        """After "save and print": the notice's page, which prints it at once."""
        pk = g.get("xb_print_notice")
        if pk is not None:
            return redirect(url_for(f"{type(self).__name__}.show", pk=pk, print=1))
        return super().post_add_redirect()

    post_edit_redirect = post_add_redirect

    def render_template(self, template: str, **kwargs: Any) -> Any:
        """The notice's page knows its lines, and whether the user may print it."""
        if template == self.show_template and "pk" in kwargs:
            notice = self.datamodel.get(kwargs["pk"], self._base_filters)
            kwargs["notice"] = notice
            kwargs["may_print"] = notice is not None and \
                self.appbuilder.sm.has_access("can_edit", "CommissionView")
            kwargs["print_now"] = request.args.get("print") == "1"
        return super().render_template(template, **kwargs)


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, WorkLogEntryView, "Work log", _("Work log"), CASEWORK, "fa-book")
    add(appbuilder, ConsultationView, "Consultations", _("Consultations"), CASEWORK,
        "fa-comments")
    add(appbuilder, EscalationView, "Escalations", _("Escalations"), CASEWORK,
        "fa-exclamation-triangle")
    add(appbuilder, MaterialNoticeView, "One-time notices", _("One-time notices"), CASEWORK,
        "fa-list-alt")
    add(appbuilder, MaterialNoticeLineView, "Notice lines", _("Notice lines"), CASEWORK,
        "fa-list")
