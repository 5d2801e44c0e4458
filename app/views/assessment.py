"""Screens for 考核评价 per period, per department or coordinator (Art.11, R-13.3).

The figures are typed in for now; a later step computes them from the records.
"""
from __future__ import annotations

import decimal
from typing import Any, Callable

import sqlalchemy as sa
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_babel import lazy_gettext as _

from app.choices import AssessmentSubject, StaffRole
from app.extensions import db
from app.models import Assessment
from app.views.base import AppInterface, AppModelView, date_order
from app.views.menu import SUPERVISION, add


def within(low: int, high: int, message: object) -> Callable[[Any], object | None]:
    """A field check: the number lies in [low, high]."""

    def check(value: Any) -> object | None:
        return None if low <= decimal.Decimal(value) <= high else message

    return check


def not_negative(value: Any) -> object | None:
    """A field check for counts."""
    return _("A count cannot be negative.") if value < 0 else None


_period_order = date_order(
    "period_start", "period_end", _("The end of the period is before its start.")
)


class AssessmentView(AppModelView):
    """考核评价: one period's figures for a department or a coordinator, with a score."""

    datamodel = AppInterface(Assessment)
    list_title = _("Assessments")
    show_title = _("Assessment")
    add_title = _("Add assessment")
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
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    description_columns = {
        "subject": _("A department assessment names the department; a coordinator "
                     "assessment names the coordinator."),
        "on_time_rate": _("Percentage, 0 to 100."),
        "average_rating": _("Average of the revisit ratings, 1 (very dissatisfied) to "
                            "5 (very satisfied)."),
        "score": _("Manual score, 0 to 100."),
    }
    list_columns = [
        "period_start", "period_end", "subject", "department", "staff", "commissions_handled",
        "on_time_rate", "overdue_count", "score", "flagged",
    ]
    search_columns = ["period_start", "period_end", "subject", "department", "staff", "flagged"]
    order_columns = ["period_start", "subject", "flagged"]
    base_order = ("period_start", "desc")
    add_columns = edit_columns = [
        "period_start", "period_end", "subject", "department", "staff",
        "commissions_handled", "on_time_rate", "overdue_count", "refusals", "average_rating",
        "open_escalations", "score", "remarks", "flagged",
    ]
    # Only coordinators are assessed as persons (specialists count for their department).
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        "staff": [["role", FilterEqual, StaffRole.coordinator]],
    }
    field_checks = {
        "on_time_rate": within(0, 100, _("The on-time rate lies between 0 and 100.")),
        "score": within(0, 100, _("The score lies between 0 and 100.")),
        "average_rating": within(1, 5, _("The average rating lies between 1 and 5.")),
        "commissions_handled": not_negative,
        "overdue_count": not_negative,
        "refusals": not_negative,
        "open_escalations": not_negative,
    }
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

    def check_form(self, form: Any) -> dict[str, object]:
        """Period order, the subject's matching party, one assessment per period and party."""
        errors = dict(_period_order(form))
        subject = form.subject.data
        department, staff = form.department.data, form.staff.data
        if subject == AssessmentSubject.department:
            if department is None:
                errors["department"] = _("A department assessment needs the department.")
            if staff is not None:
                errors["staff"] = _("A department assessment names no coordinator.")
        elif subject == AssessmentSubject.coordinator:
            if staff is None:
                errors["staff"] = _("A coordinator assessment needs the coordinator.")
            if department is not None:
                errors["department"] = _("A coordinator assessment names no department.")
        if not errors and self._duplicate(form):
            # The table's unique key does not catch this: NULLs never compare equal.
            errors["period_start"] = _(
                "This subject already has an assessment for this period."
            )
        return errors

    @staticmethod
    def _duplicate(form: Any) -> bool:
        if not (form.period_start.data and form.period_end.data and form.subject.data):
            return False
        department, staff = form.department.data, form.staff.data
        query = sa.select(Assessment.id).where(
            Assessment.period_start == form.period_start.data,
            Assessment.period_end == form.period_end.data,
            Assessment.subject == form.subject.data,
            Assessment.department_id.is_(None) if department is None
            else Assessment.department_id == department.id,
            Assessment.staff_id.is_(None) if staff is None else Assessment.staff_id == staff.id,
            Assessment.id != (getattr(form, "_id", None) or 0),
        )
        return db.session.scalar(query) is not None


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, AssessmentView, "Assessments", _("Assessments"), SUPERVISION,
        "fa-line-chart")
