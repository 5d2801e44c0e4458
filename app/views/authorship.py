"""Who did it is the signed-in user (R-16.2), and person selects start empty.

A screen declares its "who did it" columns in ``signed_columns`` (column → the staff role
that fills it, None: any role): the author of a work-log entry, whoever raised an
escalation, issued a one-time notice, made a revisit or received an enquiry, the coordinator
or specialist side of a consultation. ``AppModelView`` (app/views/base.py) puts a
``SignedPersonField`` there in its add and edit forms:

- on the add form the field holds the signed-in user's roster entry (``g.user`` → its
  ``StaffMember``), shown as text, not as a select. Where the column names a role and the
  user has another one (a specialist on the coordinator side of a consultation), the column
  is an ordinary choice instead: the user fills their own side, and picks the other person;
- on the edit form it holds what was recorded: who did it does not change by editing;
- a posted value, or a ``_flt_`` URL filter naming the column, is ignored.

An account with no roster entry (the system administrator, an auditor) is refused with a
Chinese reason on the form, and nothing is saved. Recording the account instead would need
a second "who" column on every one of these tables, half of them empty, and would let the
roster-based figures (assessment per coordinator, the consultation and escalation counts)
miss work done under an unlinked account; linking the account to its roster entry is one
edit on the staff screen.

``blank_person_selects``: a required select of a person (a roster entry or an account)
otherwise opens on the first person of the list, and a hurried save stores that person;
here it opens on "—" and must be chosen.
"""
from __future__ import annotations

from typing import Any, Callable

from flask import g, has_request_context
from flask_appbuilder.fields import QuerySelectField
from flask_babel import lazy_gettext as _
from markupsafe import Markup, escape
from wtforms.fields.core import UnboundField
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from app import access
from app.choices import StaffRole
from app.models import StaffMember
from app.views.pinyin_select import PinyinSelect2Widget

#: the text of an empty person select (and of a person not recorded)
NOBODY = "—"

NO_STAFF = _("Your account is not linked to a staff member on the roster, so this record "
             "cannot say who made it. Ask the administrator to link your account to your "
             "entry on the staff roster.")


def signed_in_staff() -> StaffMember | None:
    """The roster entry of the signed-in user (None outside a request or when unlinked)."""
    if not has_request_context():
        return None
    return access.current_staff(getattr(g, "user", None))


class SignedPersonWidget:
    """The person as text when the field is fixed, else FAB's Select2 select."""

    def __init__(self) -> None:
        self.select = PinyinSelect2Widget()

    def __call__(self, field: "SignedPersonField", **kwargs: Any) -> Markup:
        if not field.fixed:
            return self.select(field, **kwargs)
        person = field.data
        text = str(person) if person is not None else (
            str(_("(as recorded)")) if field.editing else NOBODY)
        return Markup('<p class="form-control-static xb-signed-person" id="{}">{}</p>').format(
            escape(field.id), escape(text))


class SignedPersonField(QuerySelectField):
    """A "who did it" column: the signed-in user on add, the recorded person on edit.

    ``signed_role``: only a user of this staff role fills the column; for the others it is
    a choice (a consultation's other side). ``editing``: the field is on the edit form.
    ``stored``: loads the record being edited (FAB builds the posted edit form without it).
    """

    def __init__(self, label: Any = None, validators: Any = None, *,
                 signed_role: StaffRole | None = None, editing: bool = False,
                 stored: Callable[[], Any] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("widget", SignedPersonWidget())
        super().__init__(label, validators, **kwargs)
        self.signed_role = signed_role
        self.editing = editing
        self.stored = stored
        self.fixed = False
        self._signed: Any = None

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        if self.editing:
            recorded = self.object_data
            if recorded is None and self.stored is not None:
                item = self.stored()
                recorded = getattr(item, self.name, None) if item is not None else None
            self._signed, self.fixed = recorded, True
            return
        staff = signed_in_staff()
        if staff is None or self.signed_role is None or staff.role == self.signed_role:
            self._signed, self.fixed = staff, True

    # A fixed field's value is the session's (or the record's): whatever is posted, or set by
    # FAB from a URL filter (``_fill_form_exclude_cols``), is ignored.
    def _get_data(self) -> Any:
        return self._signed if self.fixed else super()._get_data()

    def _set_data(self, value: Any) -> None:
        if not self.fixed:
            super()._set_data(value)

    data = property(_get_data, _set_data)

    def pre_validate(self, form: Any) -> None:
        if not self.fixed:
            super().pre_validate(form)
        elif self._signed is None and not self.editing:
            raise StopValidation(str(NO_STAFF))

    def populate_obj(self, obj: Any, name: str) -> None:
        # Who did it is written once, when the record is made.
        if not self.editing:
            setattr(obj, name, self.data)


def signed_field(unbound: UnboundField, role: StaffRole | None, editing: bool,
                 stored: Callable[[], Any]) -> UnboundField:
    """FAB's select of a person column, turned into a ``SignedPersonField`` (same query,
    label and validators)."""
    kwargs = {key: value for key, value in unbound.kwargs.items() if key != "widget"}
    kwargs.update(allow_blank=True, blank_text=NOBODY, signed_role=role, editing=editing,
                  stored=stored)
    return UnboundField(SignedPersonField, *unbound.args, name=unbound.name, **kwargs)


def blank_person_select(unbound: Any) -> None:
    """A FAB select of a person opens on "—" (still required where the column is)."""
    if isinstance(unbound, UnboundField) and issubclass(unbound.field_class, QuerySelectField):
        unbound.kwargs.update(allow_blank=True, blank_text=NOBODY)
