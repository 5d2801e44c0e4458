"""The small forms each lifecycle step asks for (assign a coordinator, record a contact, ...).

A step form's fields are named as the step's action takes them (app/lifecycle): the
view hands ``form.values()`` to the step as keywords."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_appbuilder.fieldwidgets import (
    BS3TextAreaFieldWidget,
    BS3TextFieldWidget,
    DatePickerWidget,
    Select2ManyWidget,
    Select2Widget,
)
from flask_babel import lazy_gettext as _
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.choices import ContactMethod, DelegationScope, StaffRole, StaffStatus, TerminationReason
from app.clock import office_today
from app.extensions import db
from app.models import StaffMember
from app.states import PreReviewOutcome
from app.views.authorship import NOBODY
from app.views.input_guard import GuardedForm
from app.views.pinyin_select import PinyinSelect2Widget


def _date(label, required: bool = True) -> DateField:
    return DateField(label, validators=[InputRequired() if required else Optional()],
                     widget=DatePickerWidget(), default=office_today)


def _text(label, required: bool = True, area: bool = False, max_len: int = 2000):
    checks = [InputRequired() if required else Optional(), Length(max=max_len)]
    if area:
        return TextAreaField(label, validators=checks, widget=BS3TextAreaFieldWidget())
    return StringField(label, validators=checks, widget=BS3TextFieldWidget())


def _enum(label, enum_cls, required: bool = True) -> SelectField:
    return SelectField(label, choices=enum_cls.choices(), widget=Select2Widget(),
                       validators=[InputRequired() if required else Optional()])


def coordinator_choices() -> list[tuple[str, str]]:
    """Coordinators on duty, for the assignment selects (a small table), after an empty
    first choice: the select opens on nobody, not on the first name (R-16.2)."""
    rows = db.session.scalars(
        sa.select(StaffMember).where(StaffMember.role == StaffRole.coordinator,
                                     StaffMember.status == StaffStatus.active)
        .order_by(StaffMember.name)
    )
    return [("", NOBODY)] + [(str(s.id), f"{s.name}（{s.phone}）") for s in rows]


class StepForm(GuardedForm):
    """A lifecycle step's form: its values go to the step's action as keywords; values the
    application refuses (a NaN, a date out of range) are errors on their fields (R-14.9)."""

    def bind(self, record: Any) -> "StepForm":
        """Adapt the form to the record the step is run on (most forms need nothing)."""
        return self

    def values(self) -> dict[str, Any]:
        """The typed values by field name (the CSRF token left out)."""
        return {name: field.data for name, field in self._fields.items()
                if name != "csrf_token"}


class ConfirmForm(StepForm):
    """A step that needs nothing but a confirmation click."""


class DateForm(StepForm):
    on = _date(_("Date"))


class AcceptForm(StepForm):
    applied_on = _date(_("Confirmed application form received on"))


class ReasonForm(StepForm):
    reason = _text(_("Reason"), area=True)


class AssignForm(StepForm):
    coordinator = SelectField(_("Coordinator"), validators=[InputRequired()],
                              widget=PinyinSelect2Widget())
    on = _date(_("Assigned on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.coordinator.choices = coordinator_choices()


class ReassignForm(AssignForm):
    reason = _text(_("Reason for the reassignment"), area=True)


class ContactForm(StepForm):
    method = _enum(_("Contact method"), ContactMethod)
    contacted_on = _date(_("Contacted on"))
    note = _text(_("What was agreed"), required=False, area=True)


class DraftPlanForm(StepForm):
    start = _date(_("Plan starts on"))
    note = _text(_("Note"), required=False, area=True)


class ConfirmPlanForm(StepForm):
    confirmed_by = _text(_("Confirmed by (unit side)"), max_len=50)
    confirmed_on = _date(_("Confirmed on"))


class TerminateForm(StepForm):
    reason = _enum(_("Termination reason"), TerminationReason)
    reason_text = _text(_("Reason in words (required for “other”)"), required=False, area=True)
    issued_on = _date(_("Termination form issued on"))


class AnnounceForm(StepForm):
    published_on = _date(_("Published on"))
    url = _text(_("Announcement web address"), max_len=500)


class RefuseForm(StepForm):
    on = _date(_("Decided on"))
    reason = _text(_("Reasons for the refusal"), area=True)


class ApproveForm(StepForm):
    on = _date(_("Decided on"))
    result_document = _text(_("Result document (licence number)"), required=False, max_len=200)


class SupplementForm(StepForm):
    on = _date(_("Requested on"))
    note = _text(_("Materials asked for"), required=False, area=True)


class PreReviewDecisionForm(StepForm):
    outcome = SelectField(_("Outcome"), widget=Select2Widget(), validators=[InputRequired()],
                          choices=[(o.value, o.label) for o in PreReviewOutcome
                                   if o != PreReviewOutcome.pending])
    reason = _text(_("Reason the project is ineligible"), required=False, area=True)
    other_channel = _text(_("Other channel the unit was pointed to"), required=False, area=True)


class OpenCommissionForm(StepForm):
    """Either scope names its items, chosen with the clerk; the selection opens on the
    project's default (the applicable items of its remaining stages, R-1.5)."""

    scope = _enum(_("Delegation scope"), DelegationScope)
    items = SelectMultipleField(_("Delegated approval items"),
                                widget=Select2ManyWidget(), validators=[Optional()])
    intention = _text(_("Delegation intention"), required=False, area=True)

    def __init__(self, *args, **kwargs):
        from app.domain.scope import delegable_items

        super().__init__(*args, **kwargs)
        self.items.choices = [(str(i.id), f"{i.stage.label} · {i.name}")
                              for i in delegable_items(db.session)]

    def bind(self, record: Any) -> "OpenCommissionForm":
        from app.domain.scope import default_items

        if not self.is_submitted() and record.project is not None:
            self.items.data = [str(i.id) for i in default_items(db.session, record.project)]
        return self


class CorrectDateForm(StepForm):
    """Correct a date a step recorded wrongly: which date, the right day, and why."""

    field = SelectField(_("Date to correct"), widget=Select2Widget(),
                        validators=[InputRequired()])
    value = _date(_("Correct date"))
    reason = _text(_("Reason for the correction"), area=True)

    def bind(self, record: Any) -> "CorrectDateForm":
        from app.domain.corrections import correctable

        self.field.choices = [(col, f"{label}（{getattr(record, col).isoformat()}）")
                              for col, label in correctable(record).items()]
        return self
