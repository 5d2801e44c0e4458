"""Screens for 业务培训: sessions and who attended them (Art.10, R-13.4)."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from app.extensions import db
from app.models import Training, TrainingAttendance
from app.views.base import AppInterface, AppModelView
from app.views.menu import TEAM, add


def positive_hours(value: Any) -> object | None:
    """A session lasts some time."""
    return _("The hours must be more than 0.") if value <= 0 else None


class TrainingAttendanceView(AppModelView):
    """Whether one staff member attended one session; one row per session and person."""

    datamodel = AppInterface(TrainingAttendance)
    list_title = _("Training attendance")
    show_title = _("Training attendance record")
    add_title = _("Add training attendance")
    edit_title = _("Edit training attendance")
    label_columns = {
        "training": _("Training session"),
        "training.organiser": _("Organiser"),
        "training.hours": _("Hours"),
        "staff": _("Staff member"),
        "staff.department": _("Department"),
        "status": _("Attendance"),
        "note": _("Note"),
    }
    # Also the training history on a staff member's page: session, organiser, hours.
    list_columns = ["training", "training.organiser", "training.hours", "staff",
                    "staff.department", "status", "note"]
    add_columns = edit_columns = ["training", "staff", "status", "note"]
    show_columns = ["training", "staff", "staff.department", "status", "note"]
    search_columns = ["training", "staff", "status"]
    order_columns = ["status"]
    base_order = ("id", "desc")

    def check_form(self, form: Any) -> dict[str, object]:
        """One record per session and person (the table's unique key, said in Chinese)."""
        training, staff = form.training.data, form.staff.data
        if training is None or staff is None:
            return {}
        taken = db.session.scalar(sa.select(TrainingAttendance.id).where(
            TrainingAttendance.training_id == training.id,
            TrainingAttendance.staff_id == staff.id,
            TrainingAttendance.id != (getattr(form, "_id", None) or 0),
        ))
        if taken is not None:
            return {"staff": _("This person's attendance at this session is already recorded.")}
        return {}


class TrainingView(AppModelView):
    """业务培训: a session organised by the window's bureau or a department."""

    datamodel = AppInterface(Training)
    list_title = _("Trainings")
    show_title = _("Training")
    add_title = _("Add training")
    edit_title = _("Edit training")
    label_columns = {
        "title": _("Training title"),
        "topic": _("Training topic"),
        "held_on": _("Training date"),
        "organiser": _("Organiser"),
        "place": _("Training place"),
        "hours": _("Hours"),
        "created_at": _("Created at"),
        "updated_at": _("Updated at"),
    }
    list_columns = ["held_on", "title", "organiser", "place", "hours"]
    add_columns = edit_columns = ["title", "topic", "held_on", "organiser", "place", "hours"]
    show_columns = add_columns + ["created_at", "updated_at"]
    search_columns = ["title", "held_on", "organiser", "place"]
    order_columns = ["held_on", "title", "hours"]
    base_order = ("held_on", "desc")
    field_checks = {"hours": positive_hours}
    related_views = [TrainingAttendanceView]


def register(appbuilder) -> None:
    """Menu entries of this module."""
    add(appbuilder, TrainingView, "Trainings", _("Trainings"), TEAM, "fa-graduation-cap")
    add(appbuilder, TrainingAttendanceView, "Training attendance", _("Training attendance"),
        TEAM, "fa-check")
