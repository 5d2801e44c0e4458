"""GET /api/v1/commission/: commissions and their commission-level deadlines (R-13.1)."""
from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _

from app.api.base import ReadOnlyApi
from app.models import Commission

COLUMNS = [
    "id", "application_no", "state", "scope", "project_id", "project.name", "coordinator_id",
    "coordinator.name", "applied_on", "assigned_on", "contact_due_on", "contacted_on",
    "contact_overdue_on", "plan_confirmed_on", "completed_on", "terminated_on",
]


class CommissionApi(ReadOnlyApi):
    """Commissions the user may see: a coordinator's own, a specialist's departments', all
    for supervisors and inspectors. States are their codes (app/states.py)."""

    datamodel = SQLAInterface(Commission)
    resource_name = "commission"
    list_columns = show_columns = COLUMNS
    order_columns = ["id", "application_no", "state", "applied_on", "contact_due_on"]
    search_columns = ["application_no", "state", "applied_on", "completed_on"]
    base_order = ("id", "desc")
    label_columns = {
        "id": _("ID"),
        "application_no": _("Application number"),
        "state": _("State"),
        "scope": _("Delegation scope"),
        "project_id": _("Project"),
        "project.name": _("Project"),
        "coordinator_id": _("Coordinator"),
        "coordinator.name": _("Coordinator"),
        "applied_on": _("Application confirmed on"),
        "assigned_on": _("Assigned on"),
        "contact_due_on": _("Contact due on"),
        "contacted_on": _("Contacted on"),
        "contact_overdue_on": _("Contact overdue on"),
        "plan_confirmed_on": _("Plan confirmed on"),
        "completed_on": _("Completed on"),
        "terminated_on": _("Terminated on"),
    }
    description_columns = {
        "contact_due_on": _("Deadline for the first contact with the unit (1 working day)."),
        "contact_overdue_on": _("Day the contact deadline was found passed, if it was."),
    }
