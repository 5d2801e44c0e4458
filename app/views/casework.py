"""Screens for the coordinator's casework: work log, consultations, escalations and
one-time notices of missing materials (R-6.3, R-6.4, R-6.5, R-6.7)."""
from __future__ import annotations

from typing import Any

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
from app.views.base import AppInterface, AppModelView, date_order
from app.views.menu import CASEWORK, add
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
    """One missing or insufficient material on a one-time notice."""

    datamodel = AppInterface(MaterialNoticeLine, eager=("material",))
    list_title = _("Notice lines")
    show_title = _("Notice line")
    add_title = _("Add notice line")
    edit_title = _("Edit notice line")
    label_columns = {
        "notice": _("One-time notice"),
        "commission_item": _("Commission item"),
        "material": _("Checklist material"),
        "material_name": _("Material"),
        "problem": _("Problem"),
        "note": _("Requirement"),
    }
    description_columns = {
        "material": _("From the item's material checklist; leave empty for a material "
                      "outside the checklist."),
        "note": _("What exactly is missing or must be changed."),
    }
    list_columns = ["notice", "commission_item", "material_name", "problem", "note"]
    show_columns = ["notice", "commission_item", "material", "material_name", "problem", "note"]
    add_columns = edit_columns = show_columns
    search_columns = ["material_name", "problem"]
    order_columns = ["material_name", "problem"]
    base_order = ("id", "asc")
    lookup_columns = {"notice": "material_notice", "commission_item": "commission_item"}

    _rules = staticmethod(all_rules(
        same_commission("notice", "commission_item", NOT_THIS_COMMISSION),
    ))

    def check_form(self, form: Any) -> dict[str, object]:
        """The item is the notice's commission's; the material is from that item's checklist."""
        errors = dict(self._rules(form))
        material, item = form.material.data, form.commission_item.data
        if material is not None and item is not None:
            if material.approval_item_id != item.approval_item_id:
                errors.setdefault("material", _(
                    "The material is not on the checklist of this approval item."))
        return errors


class MaterialNoticeView(AppModelView):
    """一次性告知书: every missing or insufficient material, told once (R-6.5)."""

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
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    list_columns = ["commission", "issued_on", "issued_by", "note"]
    show_columns = ["commission", "issued_on", "issued_by", "note", "created_at", "updated_at"]
    add_columns = edit_columns = ["commission", "issued_on", "issued_by", "note"]
    signed_columns = {"issued_by": None}
    search_columns = ["issued_on", "issued_by"]
    order_columns = ["issued_on"]
    base_order = ("issued_on", "desc")
    lookup_columns = {"commission": "commission"}
    related_views = [MaterialNoticeLineView]


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
