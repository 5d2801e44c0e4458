"""What the construction unit did online (R-17), on the window's side: its confirmations of
the plan and the termination (read-only), and the contact changes it reported, accepted or
rejected by the coordinator on the case page (the steps of app/lifecycle/contact_change.py).
The unit's own pages are app/public."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app, g
from flask_babel import lazy_gettext as _

from app import access
from app.extensions import db
from app.models import ContactChange, UnitConfirmation
from app.states import ContactChangeState
from app.views.base import AppInterface, LifecycleRecordView


class UnitConfirmationView(LifecycleRecordView):
    """建设单位在线确认: the plan or the termination confirmed by the unit's named contact
    online, when and from which address (R-17.2, R-17.3); written by app/lifecycle/online."""

    datamodel = AppInterface(UnitConfirmation)
    list_title = show_title = _("Confirmations by the unit online")
    label_columns = {
        "commission": _("Commission"),
        "kind": _("Confirmed"),
        "plan_version": _("Plan version"),
        "contact": _("Contact"),
        "contact_name": _("Name"),
        "contact_phone": _("Phone"),
        "confirmed_at": _("Confirmed at"),
        "ip": _("Address"),
    }
    list_columns = ["confirmed_at", "kind", "plan_version", "contact", "contact_name", "ip"]
    show_columns = ["commission", "kind", "plan_version", "contact", "contact_name",
                    "contact_phone", "confirmed_at", "ip"]
    base_order = ("confirmed_at", "desc")


class ContactChangeView(LifecycleRecordView):
    """联系人变更: a new 项目负责人 or 经办人 the unit reported online (Art.5, R-17.6);
    accepted or rejected by the steps on the case page, never edited here."""

    datamodel = AppInterface(ContactChange)
    list_title = _("Contact changes reported by the unit")
    show_title = _("Contact change")
    label_columns = {
        "commission": _("Commission"),
        "contact": _("Contact"),
        "new_name": _("New name"),
        "new_title": _("New title"),
        "new_phone": _("New phone"),
        "old_name": _("Former name"),
        "old_title": _("Former title"),
        "old_phone": _("Former phone"),
        "reported_by": _("Reported by"),
        "reported_at": _("Reported at"),
        "ip": _("Address"),
        "state": _("State"),
        "decided_at": _("Decided at"),
        "decided_by": _("Decided by"),
        "decision_note": _("Reason"),
    }
    list_columns = ["reported_at", "contact", "new_name", "new_phone", "state", "decided_at"]
    show_fieldsets = [
        (_("Contact change"), {"fields": [
            "commission", "contact", "new_name", "new_title", "new_phone", "reported_by",
            "reported_at", "ip"]}),
        (_("Decision"), {"fields": [
            "state", "decided_at", "decided_by", "decision_note", "old_name", "old_title",
            "old_phone"]}),
    ]
    search_columns = ["state", "contact", "reported_at"]
    base_order = ("reported_at", "desc")
    show_template = "show_with_steps.html"
    extra_args = {"workflow_target": "contact_change"}


def pending_contact_changes(pk: Any) -> list[ContactChange]:
    """Jinja helper for the case page: the contact changes of commission ``pk`` waiting for
    the coordinator, within the reader's row scope (their buttons are the steps')."""
    query = sa.select(ContactChange).where(ContactChange.commission_id == int(pk),
                                           ContactChange.state == ContactChangeState.pending)
    clause = access.row_scope(g.user, ContactChange)
    if clause is not None:
        query = query.where(clause)
    return list(db.session.scalars(query.order_by(ContactChange.reported_at)))


def register(appbuilder) -> None:
    """The screens have no menu entry: they are panels of the case page."""
    current_app.jinja_env.globals["pending_contact_changes"] = pending_contact_changes
    appbuilder.add_view_no_menu(UnitConfirmationView)
    appbuilder.add_view_no_menu(ContactChangeView)
