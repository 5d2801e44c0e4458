"""Screens for 考核评价 per period, per department or coordinator (Art.11, R-13.3).

The figures are computed from the records and frozen when a supervisor saves a period on
the period screen (app/views/assessment_period.py); this list shows the saved rows. Only
the score and the remarks can be changed afterwards, and the 通报 flag follows them.
"""
from __future__ import annotations

import decimal
from typing import Any

from flask_babel import lazy_gettext as _

from app.domain.assessment_period import FlagRule
from app.models import Assessment
from app.views import assessment_period
from app.views.base import AppInterface, AppModelView
from app.views.menu import SUPERVISION, add


def score_in_range(value: Any) -> object | None:
    """A field check: the score lies in 0–100."""
    if 0 <= decimal.Decimal(value) <= 100:
        return None
    return _("The score lies between 0 and 100.")


class AssessmentView(AppModelView):
    """考核评价: one period's figures for a department or a coordinator, with a score."""

    datamodel = AppInterface(Assessment)
    ledger = "assessments"
    list_title = _("Assessments")
    show_title = _("Assessment")
    edit_title = _("Edit assessment")
    label_columns = {
        "period_start": _("Period start"),
        "period_end": _("Period end"),
        "subject": _("Assessed subject"),
        "department": _("Department"),
        "staff": _("Coordinator"),
        "commissions_handled": _("Commissions handled"),
        "on_time_rate": _("On-time rate (%)"),
        "overdue_count": _("Overdue count"),
        "refusals": _("Refusals"),
        "average_rating": _("Average rating"),
        "open_escalations": _("Open escalations"),
        "score": _("Score"),
        "remarks": _("Remarks"),
        "flagged": _("Flagged for the district report"),
        "created_at": _("Figures frozen at"),  # a row is created when its figures freeze
        "updated_at": _("Updated at"),
    }
    description_columns = {
        "score": _("Manual score, 0 to 100. The 通报 flag follows it under the configured "
                   "thresholds."),
    }
    list_columns = [
        "period_start", "period_end", "subject", "department", "staff", "commissions_handled",
        "on_time_rate", "overdue_count", "score", "flagged",
    ]
    search_columns = ["period_start", "period_end", "subject", "department", "staff", "flagged"]
    order_columns = ["period_start", "subject", "flagged"]
    base_order = ("period_start", "desc")
    # Rows are created by saving a period (the figures computed, then frozen): no add form,
    # and an edit changes only what the supervisor wrote.
    base_permissions = ["can_list", "can_show", "can_edit", "can_delete"]
    add_columns = edit_columns = ["score", "remarks"]
    field_checks = {"score": score_in_range}
    show_fieldsets = [
        (_("Period and subject"), {"fields": [
            "period_start", "period_end", "subject", "department", "staff",
        ]}),
        (_("Figures"), {"fields": [
            "commissions_handled", "on_time_rate", "overdue_count", "refusals",
            "average_rating", "open_escalations",
        ]}),
        (_("Evaluation"), {"fields": ["score", "remarks", "flagged"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "expanded": False}),
    ]

    def pre_update(self, item: Any) -> None:
        """The 通报 flag follows the (new) score under the configured rule."""
        super().pre_update(item)
        FlagRule.from_config().apply(item)


def register(appbuilder) -> None:
    """Menu entries of this module: the period screen, then the saved assessments."""
    assessment_period.register(appbuilder)
    add(appbuilder, AssessmentView, "Assessments", _("Assessments"), SUPERVISION,
        "fa-line-chart")
