"""Screens for 协调会议 / 联席会议 and their action items (Art.5, Art.10, R-7.1)."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _

from app.models import CoordinationMeeting, MeetingActionItem
from app.views.base import AppInterface, AppModelView
from app.views.menu import SUPERVISION, add


class MeetingActionItemView(AppModelView):
    """督办事项: a decision's follow-up with its owner and due date."""

    datamodel = AppInterface(MeetingActionItem)
    list_title = _("Meeting action items")
    show_title = _("Meeting action item")
    add_title = _("Add meeting action item")
    edit_title = _("Edit meeting action item")
    label_columns = {
        "meeting": _("Meeting"),
        "description": _("Action"),
        "owner": _("Owner"),
        "due_on": _("Due on"),
        "done": _("Done"),
        "done_on": _("Done on"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    list_columns = ["meeting", "description", "owner", "due_on", "done", "done_on"]
    add_columns = edit_columns = ["meeting", "description", "owner", "due_on", "done", "done_on"]
    show_columns = add_columns + ["created_at", "updated_at"]
    search_columns = ["owner", "due_on", "done", "done_on"]
    order_columns = ["due_on", "done", "done_on"]
    base_order = ("due_on", "asc")

    def check_form(self, form: Any) -> dict[str, object]:
        """A done item says when it was done (the table refuses it otherwise)."""
        if form.done.data and not form.done_on.data:
            return {"done_on": _("An action item marked done needs the date it was done.")}
        return {}


class CoordinationMeetingView(AppModelView):
    """协调会议 and 联席会议: who came, what was discussed and decided."""

    datamodel = AppInterface(CoordinationMeeting)
    list_title = _("Coordination meetings")
    show_title = _("Coordination meeting")
    add_title = _("Add coordination meeting")
    edit_title = _("Edit coordination meeting")
    label_columns = {
        "kind": _("Meeting type"),
        "title": _("Meeting title"),
        "held_on": _("Meeting date"),
        "place": _("Meeting place"),
        "convener": _("Convener"),
        "departments": _("Departments attending"),
        "attendees": _("Staff attending"),
        "commissions": _("Commissions discussed"),
        "projects": _("Projects discussed"),
        "issues": _("Issues"),
        "decisions": _("Decisions"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    description_columns = {
        "commissions": _("Type an application number to search."),
        "projects": _("Type a project name or project code to search."),
    }
    list_columns = ["held_on", "kind", "title", "place", "convener"]
    # Departments and staff are small tables: fine as filters. Commissions and projects
    # are not (FAB would render every row into the filter's <select>).
    search_columns = ["kind", "title", "held_on", "place", "convener", "departments"]
    order_columns = ["held_on", "kind", "title"]
    base_order = ("held_on", "desc")
    add_columns = edit_columns = [
        "kind", "title", "held_on", "place", "convener", "departments", "attendees",
        "commissions", "projects", "issues", "decisions",
    ]
    lookup_columns = {"commissions": "commission", "projects": "project"}
    show_fieldsets = [
        (_("Meeting"), {"fields": ["kind", "title", "held_on", "place", "convener"]}),
        (_("Participants"), {"fields": ["departments", "attendees"]}),
        (_("Discussion"), {"fields": ["commissions", "projects", "issues", "decisions"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "expanded": False}),
    ]
    related_views = [MeetingActionItemView]


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, CoordinationMeetingView, "Coordination meetings",
        _("Coordination meetings"), SUPERVISION, "fa-comments")
    add(appbuilder, MeetingActionItemView, "Meeting action items",
        _("Meeting action items"), SUPERVISION, "fa-check-square-o")
