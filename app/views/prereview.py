"""Screens for 咨询预审: every enquiry at the window and its eligibility outcome (Art.6, R-1.2).

The first staff member asked (首问负责人) is responsible from then on. An ineligible enquiry
keeps the reason and the other channel the unit was pointed to (指引其他办理途径).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _

from app.domain.validators import check_phone
from app.models import PreReview
from app.views.base import AppInterface, AppModelView
from app.views.menu import CASEWORK, add


class PreReviewView(AppModelView):
    """咨询预审: date, first-asked responsible person, project, enquiry and outcome."""

    today_columns = ("received_on",)

    datamodel = AppInterface(PreReview)
    # Kept as a record of every enquiry: corrected, not deleted.
    base_permissions = ["can_list", "can_show", "can_add", "can_edit"]
    list_title = _("Pre-reviews")
    show_title = _("Pre-review")
    add_title = _("Add pre-review")
    edit_title = _("Edit pre-review")
    label_columns = {
        "received_on": _("Received on"),
        "receiver": _("First-asked responsible person"),
        "project": _("Project"),
        "project.unit": _("Construction unit"),
        "enquirer_name": _("Enquirer"),
        "enquirer_phone": _("Enquirer's phone"),
        "enquiry": _("Enquiry"),
        "outcome": _("Pre-review outcome"),
        "ineligible_reason": _("Reason for ineligibility"),
        "other_channel": _("Other channel pointed to"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    description_columns = {
        "receiver": _("The staff member first asked stays responsible for the enquiry."),
        "other_channel": _("Where the unit was told to go instead (required when ineligible)."),
    }
    list_columns = ["received_on", "receiver", "project", "enquirer_name", "outcome"]
    # Deciding eligibility and opening the commission are steps on the record's page.
    show_template = "show_with_steps.html"
    extra_args = {"workflow_target": "pre_review"}
    # The outcome, its reason and the other channel are the decide step's, with
    # the domain's rules (app/domain/intake.py): not fields of the enquiry's form.
    add_columns = edit_columns = [
        "received_on", "receiver", "project", "enquirer_name", "enquirer_phone", "enquiry",
    ]
    show_fieldsets = [
        (_("Enquiry"), {"fields": [
            "received_on", "receiver", "project", "project.unit", "enquirer_name",
            "enquirer_phone", "enquiry",
        ]}),
        (_("Pre-review outcome"), {"fields": ["outcome", "ineligible_reason", "other_channel"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "expanded": False}),
    ]
    # No `project` here: a relation filter would render every project into a <select>.
    # The first-asked person is whoever records the enquiry.
    signed_columns = {"receiver": None}
    search_columns = ["received_on", "receiver", "enquirer_name", "outcome"]
    order_columns = ["received_on", "outcome", "enquirer_name"]
    base_order = ("received_on", "desc")
    lookup_columns = {"project": "project"}
    field_checks = {"enquirer_phone": check_phone}


def register(appbuilder) -> None:
    """Menu entries of this module (first in 业务办理: every case starts here)."""
    add(appbuilder, PreReviewView, "Pre-reviews", _("Pre-reviews"), CASEWORK, "fa-question-circle")
