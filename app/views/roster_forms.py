"""The small forms of the roster screens: approve a filing, hand a leaver's cases over (R-2.3)."""
from __future__ import annotations

from typing import Any

from flask_appbuilder.fieldwidgets import BS3TextFieldWidget, DatePickerWidget, Select2Widget
from flask_babel import lazy_gettext as _
from wtforms import DateField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from app import access
from app.clock import office_today
from app.views.input_guard import GuardedForm
from app.views.workflow_forms import coordinator_choices


def user_display_name(user: Any) -> str:
    """How the logged-in user signs an approval: their roster name, else their account name."""
    staff = access.current_staff(user)
    if staff is not None:
        return staff.name
    name = f"{getattr(user, 'first_name', '') or ''}{getattr(user, 'last_name', '') or ''}"
    return name or getattr(user, "username", "") or ""


class ApproveForm(GuardedForm):
    """批准人员报备: who approved it and when."""

    approved_by = StringField(_("Approved by"), validators=[InputRequired(), Length(max=50)],
                              widget=BS3TextFieldWidget())
    approved_on = DateField(_("Approved on"), validators=[InputRequired()],
                            widget=DatePickerWidget(), default=office_today)


class HandoverForm(GuardedForm):
    """改派在办委托: every open commission of a leaver to one coordinator at once."""

    coordinator = SelectField(_("Hand over to"), validators=[InputRequired()],
                              widget=Select2Widget())
    on = DateField(_("Reassigned on"), validators=[InputRequired()],
                   widget=DatePickerWidget(), default=office_today)
    reason = StringField(_("Reason"), validators=[InputRequired(), Length(max=500)],
                         widget=BS3TextFieldWidget(),
                         default=lambda: str(_("Hand-over before the coordinator leaves")))

    def offer(self, leaver_id: int) -> "HandoverForm":
        """Coordinators on duty other than the leaver (a small table)."""
        self.coordinator.choices = [c for c in coordinator_choices() if c[0] != str(leaver_id)]
        return self
