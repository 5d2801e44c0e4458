"""Screens for 回访 with the five-level 好差评 rating, and 整改 of bad ratings (R-13.2)."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app, g, request
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_babel import lazy_gettext as _
from wtforms import SelectField, validators

from app import access
from app.choices import ContactMethod
from app.domain import revisits
from app.extensions import db
from app.models import Commission, Rectification, Revisit
from app.views.base import AppInterface, AppModelView
from app.views.lights import light_cell, request_calendar
from app.views.menu import SUPERVISION, add

#: revisits listed per page on the to-do screen
PER_PAGE = 50


def _method(value: Any) -> ContactMethod | None:
    if value in (None, "", "None"):
        return None
    return value if isinstance(value, ContactMethod) else ContactMethod(value)


def revisit_method_field(label: Any) -> SelectField:
    """The ways a revisit is made: 电话 / 上门 / 微信 / 短信 only (R-13.2)."""
    return SelectField(label, choices=[(m.value, str(m.label)) for m in revisits.REVISIT_METHODS],
                       coerce=_method, validators=[validators.InputRequired()],
                       widget=Select2Widget())


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

    today_columns = ("visited_on",)

    datamodel = AppInterface(Revisit)
    ledger = "revisits"
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
    signed_columns = {"visitor": None}  # who made the call
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

    def _form_built(self, form_cls: type, editing: bool) -> None:
        form_cls.method = revisit_method_field(self.label_columns["method"])

    # A bad rating opens its rectification before the save, so both are one transaction.
    def pre_add(self, item: Any) -> None:
        super().pre_add(item)
        revisits.open_rectification(db.session, item)

    def pre_update(self, item: Any) -> None:
        super().pre_update(item)
        revisits.open_rectification(db.session, item)


class RevisitDueView(BaseView):
    """待回访: completed commissions due for a revisit, and rectifications still open."""

    route_base = "/revisits-due"
    default_view = "index"

    @expose("/")
    @has_access
    def index(self):
        try:
            page = max(int(request.args.get("page", 1)), 1)
        except ValueError:
            page = 1
        days = int(current_app.config.get("REVISIT_DUE_WORKING_DAYS",
                                          revisits.DEFAULT_DUE_WORKING_DAYS))
        due, total = revisits.due_revisits(
            db.session, cal=request_calendar(), working_days=days, page=page,
            per_page=PER_PAGE, scope=access.row_scope(g.user, Commission))
        rectifications = revisits.open_rectifications(
            db.session, scope=access.row_scope(g.user, Rectification))
        return self.render_template(
            "revisits_due.html", title=_("Revisits due"), due=due, total=total, page=page,
            pages=max((total + PER_PAGE - 1) // PER_PAGE, 1), days=days,
            rectifications=rectifications, light_cell=light_cell)


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, RevisitDueView, "Revisits due", _("Revisits due"), SUPERVISION,
        "fa-calendar-check-o")
    add(appbuilder, RevisitView, "Revisits", _("Revisits"), SUPERVISION, "fa-phone")
    add(appbuilder, RectificationView, "Rectifications", _("Rectifications"), SUPERVISION,
        "fa-wrench")
