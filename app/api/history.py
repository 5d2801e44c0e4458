"""GET /api/v1/commission_history/: the commissions' state changes (CommissionStateChange)."""
from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _

from app.api.base import ReadOnlyApi
from app.models import CommissionStateChange

COLUMNS = ["id", "commission_id", "from_state", "to_state", "changed_at", "note"]


class CommissionHistoryApi(ReadOnlyApi):
    """State history of the commissions the user may see (the screens' rule)."""

    datamodel = SQLAInterface(CommissionStateChange)
    resource_name = "commission_history"
    list_columns = show_columns = COLUMNS
    order_columns = ["id", "commission_id", "changed_at"]
    search_columns = ["commission_id", "to_state", "changed_at"]
    base_order = ("changed_at", "desc")
    label_columns = {
        "id": _("ID"),
        "commission_id": _("Commission"),
        "from_state": _("From state"),
        "to_state": _("To state"),
        "changed_at": _("Changed at"),
        "note": _("Note"),
    }
