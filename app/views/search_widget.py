"""The list's filter menu (FAB's search widget), its fixed markup rendered once (issue 16).

FAB's SearchWidget renders the form field of every searchable column on every list page (its
script copies that markup into a filter row when the user adds one), and translates every
column's filter operators. On the commission list that was a fifth of the page's time.

A field whose markup depends only on the language -- a text or date box, a select of fixed
choices, a look-up over units or projects with nothing chosen -- is rendered once per
language, choices and value, and the markup is kept; so are the operator names of a screen's
filters. Fields whose markup depends on other rows (a look-up showing the rows a filter
names, selects of related rows) are rendered every time, as FAB does.
"""
from __future__ import annotations

from typing import Any

from flask_appbuilder.widgets import RenderTemplateWidget, SearchWidget
from flask_babel import get_locale
from wtforms import (BooleanField, DateField, DateTimeField, DecimalField, FloatField,
                     IntegerField, SelectField, StringField)

from app.security import KEPT_LIMIT, keep
from app.views.lookup import LookupField

#: fields whose markup is theirs alone (a SelectField also by its choices)
_FIXED = (StringField, DateField, DateTimeField, IntegerField, DecimalField, FloatField,
          BooleanField, SelectField)

#: (field signature) → markup; (filters, language) → {column: operator names}
_kept_fields: dict[tuple, Any] = {}
_kept_operators: dict[tuple, dict[str, list[str]]] = {}


def signature(field: Any, language: str) -> tuple | None:
    """What ``field``'s markup depends on, or None if that is not known here."""
    choices: tuple = ()
    if isinstance(field, LookupField):
        if not field.unchosen():
            return None
        choices = (field.kind, field.multiple)
    elif not isinstance(field, _FIXED):
        return None
    if isinstance(field, SelectField):
        if not isinstance(field.choices, (list, tuple)):  # grouped choices: not kept
            return None
        choices = tuple((str(choice[0]), str(choice[1])) for choice in field.choices)
    return (type(field), type(field.widget), field.id, field.name, repr(field.data),
            str(field.label.text), repr(sorted((field.render_kw or {}).items())),
            field.flags.required, language, choices)


def field_markup(field: Any, language: str) -> Any:
    """``field`` rendered, kept where its markup depends on nothing else."""
    key = signature(field, language)
    if key is None:
        return field()
    markup = _kept_fields.get(key)
    return markup if markup is not None else keep(_kept_fields, key, field(), KEPT_LIMIT)


class KeptSearchWidget(SearchWidget):
    """FAB's search widget (the same template and arguments), fixed markup kept."""

    def __call__(self, **kwargs: Any) -> Any:
        language = str(get_locale())
        form = self.template_args["form"]
        columns = self.template_args["include_cols"]
        kwargs["label_columns"] = {col: str(form[col].label.text) for col in columns}
        kwargs["form_fields"] = {col: field_markup(form[col], language) for col in columns}
        kwargs["search_filters"] = self._operators(columns, language)
        kwargs["active_filters"] = self.filters.get_filters_values_tojson()
        return RenderTemplateWidget.__call__(self, **kwargs)

    def _operators(self, columns: list[str], language: str) -> dict[str, list[str]]:
        key = (id(self.filters), tuple(columns), language)
        names = _kept_operators.get(key)
        if names is None:
            offered = self.filters.get_search_filters()
            names = keep(_kept_operators, key,
                         {col: [str(flt.name) for flt in offered[col]] for col in columns},
                         KEPT_LIMIT)
        return names
