"""Screens for 回访 with the five-level 好差评 rating, and 整改 of bad ratings (R-13.2)."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from app.extensions import db
from app.models import Rectification, Revisit
from app.views.base import AppInterface, AppModelView
from app.views.menu import SUPERVISION, add


class RectificationView(AppModelView):
    """整改: what was done about a 不满意/非常不满意 rating, and who verified it."""

    datamodel = AppInterface(Rectification)
    list_title = _("Rectifications")
    show_title = _("Rectification")
    add_title = _("Add rectification")
    edit_title = _("Edit rectification")
    label_columns = {
        "revisit": _("Revisit"),
        "revisit.commission": _("Commission"),
        "revisit.rating": _("Rating"),
        "measures": _("Rectification measures"),
        "verified_by": _("Verified by"),
        "feedback_on": _("Feedback date"),
        "closed": _("Closed"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    description_columns = {
        "revisit": _("Type an application number or the person reached to search."),
    }
    list_columns = [
        "revisit", "revisit.commission", "revisit.rating", "verified_by", "feedback_on", "closed",
    ]
    add_columns = edit_columns = ["revisit", "measures", "verified_by", "feedback_on", "closed"]
    show_columns = [
        "revisit", "revisit.commission", "revisit.rating", "measures", "verified_by",
        "feedback_on", "closed", "created_at", "updated_at",
    ]
    lookup_columns = {"revisit": "revisit"}
    search_columns = ["closed", "verified_by", "feedback_on"]
    order_columns = ["feedback_on", "closed"]
    base_order = ("id", "desc")

    def check_form(self, form: Any) -> dict[str, object]:
        """Only bad ratings are rectified, once per revisit; closing needs its evidence."""
        errors: dict[str, object] = {}
        revisit = form.revisit.data
        if revisit is not None:
            if not revisit.rating.is_bad:
                errors["revisit"] = _(
                    "Only a revisit rated dissatisfied or very dissatisfied is rectified."
                )
            elif db.session.scalar(
                sa.select(Rectification.id).where(
                    Rectification.revisit_id == revisit.id,
                    Rectification.id != (getattr(form, "_id", None) or 0),
                )
            ) is not None:
                errors["revisit"] = _("This revisit already has a rectification.")
        if form.closed.data:
            if not (form.verified_by.data or "").strip():
                errors["verified_by"] = _("Closing a rectification needs who verified it.")
            if not form.feedback_on.data:
                errors["feedback_on"] = _("Closing a rectification needs the feedback date.")
        return errors


class RevisitView(AppModelView):
    """回访: who was reached about a commission, how, and their 好差评 rating."""

    datamodel = AppInterface(Revisit)
    list_title = _("Revisits")
    show_title = _("Revisit")
    add_title = _("Add revisit")
    edit_title = _("Edit revisit")
    label_columns = {
        "commission": _("Commission"),
        "commission.project": _("Project"),
        "visited_on": _("Revisit date"),
        "method": _("Revisit method"),
        "visitor": _("Visited by"),
        "person_reached": _("Person reached"),
        "rating": _("Rating"),
        "opinions": _("Opinions and suggestions"),
        "follow_up": _("Follow-up"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    description_columns = {
        "commission": _("Type an application number to search."),
    }
    list_columns = [
        "visited_on", "commission", "commission.project", "method", "person_reached", "rating",
        "visitor",
    ]
    add_columns = edit_columns = [
        "commission", "visited_on", "method", "visitor", "person_reached", "rating",
        "opinions", "follow_up",
    ]
    lookup_columns = {"commission": "commission"}
    search_columns = ["visited_on", "method", "rating", "visitor", "person_reached"]
    order_columns = ["visited_on", "rating"]
    base_order = ("visited_on", "desc")
    show_fieldsets = [
        (_("Revisit"), {"fields": [
            "commission", "commission.project", "visited_on", "method", "visitor",
            "person_reached",
        ]}),
        (_("Rating and opinions"), {"fields": ["rating", "opinions", "follow_up"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "expanded": False}),
    ]
    related_views = [RectificationView]


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, RevisitView, "Revisits", _("Revisits"), SUPERVISION, "fa-phone")
    add(appbuilder, RectificationView, "Rectifications", _("Rectifications"), SUPERVISION,
        "fa-wrench")
