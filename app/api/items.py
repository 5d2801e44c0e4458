"""GET /api/v1/commission_item/: delegated items and their promised dates (R-13.1)."""
from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _

from app.api.base import ReadOnlyApi
from app.models import CommissionItem

COLUMNS = [
    "id", "commission_id", "commission.application_no", "approval_item_id",
    "approval_item.name", "attempt", "state", "specialist_id", "submitted_on", "accepted_on",
    "due_on", "overdue_on", "decided_on", "unit_informed_on", "withdrawn_on",
]


class CommissionItemApi(ReadOnlyApi):
    """Items the user may see: a specialist's department's only, a coordinator's
    commissions', all for supervisors and inspectors."""

    datamodel = SQLAInterface(CommissionItem)
    resource_name = "commission_item"
    list_columns = show_columns = COLUMNS
    order_columns = ["id", "commission_id", "state", "submitted_on", "due_on", "decided_on"]
    search_columns = ["commission_id", "state", "due_on", "decided_on"]
    base_order = ("id", "desc")
    label_columns = {
        "id": _("ID"),
        "commission_id": _("Commission"),
        "commission.application_no": _("Application number"),
        "approval_item_id": _("Approval item"),
        "approval_item.name": _("Approval item"),
        "attempt": _("Attempt"),
        "state": _("Item state"),
        "specialist_id": _("Specialist"),
        "submitted_on": _("Submitted on"),
        "accepted_on": _("Accepted on"),
        "due_on": _("Item due on"),
        "overdue_on": _("Overdue on"),
        "decided_on": _("Decided on"),
        "unit_informed_on": _("Unit informed on"),
        "withdrawn_on": _("Withdrawn on"),
    }
    description_columns = {
        "due_on": _("Promised decision date, in working days from acceptance."),
        "overdue_on": _("Day the item was first found past its promised date, if it was."),
    }
