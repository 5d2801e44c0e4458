"""Screens for 协调会议 / 联席会议 and their action items (Art.5, Art.10, R-7.1)."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.fieldwidgets import BS3TextFieldWidget, DatePickerWidget
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _
from wtforms import DateField, IntegerField
from wtforms.validators import NumberRange, Optional

from app.domain import meetings
from app.clock import office_today
from app.domain.errors import DomainError
from app.extensions import db
from app.models import CoordinationMeeting, DocumentKind, MeetingActionItem
from app.views.base import AppInterface, AppModelView
from app.views.documents import print_one, send_handout
from app.views.lights import request_calendar
from app.views.menu import SUPERVISION, add
from app.views.transaction import run_in_transaction, transaction

#: the due date of an action item, given as a date or as working days after the meeting
DUE_FIELDS = {
    "due_on": DateField(_("Due on"), validators=[Optional()], widget=DatePickerWidget()),
    "due_in_days": IntegerField(
        _("Due in working days"), widget=BS3TextFieldWidget(),
        validators=[Optional(), NumberRange(min=1, max=meetings.MAX_DUE_WORKING_DAYS)],
        description=_("Instead of a date: the number of working days after the meeting "
                      "(counted on the working-day calendar; it replaces the date above)."),
    ),
}


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
        "due_in_days": _("Due in working days"),
        "done": _("Done"),
        "done_on": _("Done on"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    list_columns = ["meeting", "description", "owner", "due_on", "done", "done_on"]
    add_columns = edit_columns = [
        "meeting", "description", "owner", "due_on", "due_in_days", "done", "done_on",
    ]
    add_form_extra_fields = edit_form_extra_fields = DUE_FIELDS
    show_columns = ["meeting", "description", "owner", "due_on", "done", "done_on",
                    "created_at", "updated_at"]
    # Marking done is part of editing an item (no separate permission to grant).
    method_permission_name = {"mark_done": "edit"}
    search_columns = ["owner", "due_on", "done", "done_on"]
    order_columns = ["due_on", "done", "done_on"]
    base_order = ("due_on", "asc")

    def check_form(self, form: Any) -> dict[str, object]:
        """A due date or a number of working days; a done item says when it was done."""
        errors: dict[str, object] = {}
        if form.due_on.data is None and form.due_in_days.data is None and \
                not form.due_in_days.errors:
            errors["due_on"] = _("Give the due date, or the number of working days after "
                                 "the meeting.")
        if form.done.data and not form.done_on.data:
            errors["done_on"] = _("An action item marked done needs the date it was done.")
        return errors

    def _count_due_date(self, item: Any) -> None:
        # ``due_in_days`` is a form-only field that populate_obj left on the item.
        days = getattr(item, "due_in_days", None)
        if days is not None and item.meeting is not None:
            # The new item is not in the session yet: loading the calendar must not flush.
            with db.session.no_autoflush:
                cal = request_calendar()
            item.due_on = meetings.due_after_meeting(item.meeting.held_on, days, cal)

    def pre_add(self, item: Any) -> None:
        super().pre_add(item)
        self._count_due_date(item)

    def pre_update(self, item: Any) -> None:
        super().pre_update(item)
        self._count_due_date(item)

    def _mark_done(self, items: list[Any]) -> int:
        today, done, skipped = office_today(), 0, []
        with transaction() as outcome:
            for item in items:
                try:
                    meetings.mark_done(item, on=today)
                except DomainError as exc:  # this item stays open; the others are marked
                    skipped.append(f"{item}: {exc}")
                else:
                    done += 1
        if outcome.refused:
            flash(outcome.message, "danger")
            return 0
        for message in skipped:
            flash(message, "warning")
        if done:
            flash(str(_("%(count)s action item(s) marked done on %(day)s.", count=done,
                        day=today.isoformat())), "success")
        return done

    @action("mark_done", _("Mark done"), _("Mark the chosen action items done today?"),
            "fa-check", multiple=True, single=True)
    def mark_done(self, items: Any):
        """Mark action items done today (the done date is recorded)."""
        self._mark_done(items if isinstance(items, list) else [items])
        return redirect(self.get_redirect())

    @expose("/done/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("edit")
    def done(self, pk: int):
        """The supervision screen's "done" button on one open action item."""
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        self._mark_done([item])
        if request.form.get("next") == "overdue":
            return redirect(url_for("OverdueView.index"))
        return redirect(url_for(f"{type(self).__name__}.show", pk=pk))


class CoordinationMeetingView(AppModelView):
    """协调会议 and 联席会议: who came, what was discussed and decided."""

    datamodel = AppInterface(CoordinationMeeting)
    ledger = "meetings"
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
    # Printing issues a version into the archive: the meeting's editors (the window).
    method_permission_name = {"print_minutes": "edit"}

    @action("print_minutes", _("Print minutes"), icon="fa-print", multiple=False)
    def print_minutes(self, item: Any):
        """R-15.4: the meeting's own minutes, whether or not it discussed a commission."""
        outcome = run_in_transaction(print_one, None, DocumentKind.meeting_minutes, item)
        if outcome.refused:
            flash(outcome.message, "danger")
            return redirect(url_for(f"{type(self).__name__}.show", pk=item.id))
        return send_handout(outcome.value)


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, CoordinationMeetingView, "Coordination meetings",
        _("Coordination meetings"), SUPERVISION, "fa-comments")
    add(appbuilder, MeetingActionItemView, "Meeting action items",
        _("Meeting action items"), SUPERVISION, "fa-check-square-o")
