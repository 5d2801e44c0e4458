"""Filters a clerk sets in one or two clicks (issue 14, item 4): by coordinator, unit or
project on the commission and item lists, and the groups the dashboard counts (open
commissions, overdue items, ...), so that every figure links to the rows behind it.

A ``QuickFilter`` is declared on a screen (``AppModelView.quick_filters``) as a key, a label,
a value picker (a lookup searched as one types, R-14.8-scoped, or a short list of choices)
and the SQL clause a value selects. It behaves as one more column of FAB's filters:
``?_flt_0_<key>=<value>`` in the URL, in FAB's "add filter" menu, kept by the Excel export;
its clause comes from the one place that defines it (app/domain/definitions.py for "open"
and "overdue", R-13.7). The list page also shows the screen's quick filters as a bar above
the rows: choose a value and the list reloads with it (``templates/quick_filters.html``).

Relations to large tables are IN (subquery) clauses, answered from the foreign-key indexes
at any table size; ``check`` refuses a malformed value (R-14.9) before any SQL is run.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

import sqlalchemy as sa
from flask import request
from flask_appbuilder.models.filters import BaseFilter
from flask_babel import lazy_gettext as _
from flask_login import current_user
from wtforms import SelectField
from wtforms.validators import Optional

from app import access, inputs
from app.choices import Stage
from app.clock import office_today
from app.domain import dashboard
from app.domain import definitions as defs
from app.extensions import db
from app.models import ApprovalItem, Commission, CommissionItem, Department, Project
from app.views.lookup import LOOKUPS, LookupField
from app.views.pinyin_select import PinyinSelect2Widget

#: the name of the one operation a quick filter offers
IS = _("is")


@dataclass(frozen=True)
class QuickFilter:
    """One filter of a list screen that is not (or not only) a column of its model."""

    key: str
    label: Any
    #: the value (an id, or one of the choices' codes) → a SQL clause over the screen's model
    clause: Callable[[Any], Any]
    #: the lookup kind (app/views/lookup.py) whose rows the value names
    lookup: str | None = None
    #: else the codes and labels to choose from
    choices: Callable[[], list[tuple[str, Any]]] | None = None

    def check(self, raw: Any) -> Any:
        """The value as the clause takes it; BadInput when it is not one (R-14.9)."""
        text = str(raw).strip()
        if self.lookup is not None:
            pk = inputs.valid_id(text)
            if pk is None:
                raise inputs.BadInput(inputs.BAD_FILTER)
            return pk
        if text not in {code for code, _label in self.choices()}:
            raise inputs.BadInput(inputs.BAD_FILTER)
        return text

    def label_of(self, value: Any) -> str | None:
        """How a chosen value reads in the bar (None: not a value, or out of the reader's
        scope, R-14.8)."""
        if self.lookup is not None:
            pk = inputs.valid_id(value)
            row = access.visible(current_user, LOOKUPS[self.lookup].model, pk) \
                if pk is not None else None
            return LOOKUPS[self.lookup].text(row) if row is not None else None
        return next((str(label) for code, label in self.choices() if code == value), None)


class QuickFilterBase(BaseFilter):
    """FAB's filter of a quick filter (a subclass per quick filter: FAB instantiates filters
    again by their class)."""

    quick: QuickFilter

    def apply(self, query: Any, value: Any) -> Any:
        if value is None or not str(value).strip():
            return query  # the bar's "all"
        return query.filter(self.quick.clause(self.quick.check(value)))


_classes: dict[tuple[type, str], type[QuickFilterBase]] = {}


def filter_class(model: type, quick: QuickFilter) -> type[QuickFilterBase]:
    """The FAB filter class of ``quick`` on ``model``'s screens (made once)."""
    key = (model, quick.key)
    if key not in _classes:
        _classes[key] = type(f"Quick{model.__name__}_{quick.key}", (QuickFilterBase,),
                             {"quick": quick, "name": IS, "arg_name": f"xb_{quick.key}"})
    return _classes[key]


def active_values(key: str) -> list[str]:
    """The values of this request's filter arguments on column ``key``."""
    pattern = re.compile(rf"^_flt_\d_{re.escape(key)}$")
    return [value for name in request.args if pattern.match(name)
            for value in request.args.getlist(name)]


class FilterLookupField(LookupField):
    """A filter's value picker over a large table: FAB's filter row sets the value the URL
    holds, so the rows named there are rendered as options (if the user may see them)."""

    def selected(self) -> list[Any]:
        model = LOOKUPS[self.kind].model
        rows = [access.visible(current_user, model, pk)
                for pk in map(inputs.valid_id, active_values(self.name)) if pk is not None]
        return [row for row in rows if row is not None]

    def unchosen(self) -> bool:
        return not active_values(self.name)


def value_field(quick: QuickFilter) -> Any:
    """The (unbound) search-form field that picks a value of ``quick``."""
    if quick.lookup is not None:
        return FilterLookupField(quick.label, [Optional()], kind=quick.lookup)
    return SelectField(quick.label, choices=lambda: [("", "—"), *quick.choices()],
                       validators=[Optional()], widget=PinyinSelect2Widget())


def bar(view: Any) -> list[dict[str, Any]]:
    """The quick filters of ``view``'s list as the bar renders them: key, label, the
    argument name, the chosen value and how it reads, the choices or the lookup's URL."""
    shown = []
    for quick in view.quick_filters:
        values = active_values(quick.key)
        value = values[0] if values else ""
        shown.append({"key": quick.key, "label": quick.label, "arg": f"_flt_0_{quick.key}",
                      "value": value, "text": quick.label_of(value) if value else None,
                      "lookup": quick.lookup,
                      "choices": quick.choices() if quick.choices else None})
    return shown


def kept_args(view: Any) -> list[tuple[str, str]]:
    """The list's other arguments (filters on other columns, order), kept when the bar
    changes one quick filter; the page number starts again."""
    keys = {quick.key for quick in view.quick_filters}
    pattern = re.compile(r"^_flt_\d_(.+)$")
    kept = []
    for name in request.args:
        match = pattern.match(name)
        if (match and match.group(1) in keys) or name.startswith("page_"):
            continue
        kept += [(name, value) for value in request.args.getlist(name)]
    return kept


# ---- the case lists' quick filters ---------------------------------------------------------
def _commissions(*where: Any) -> Any:
    """The ids of the commissions meeting ``where`` (an IN list, from the indexes)."""
    return sa.select(Commission.id).where(*where)


def _projects_of(unit_id: int) -> Any:
    return sa.select(Project.id).where(Project.unit_id == unit_id)


def _stage_choices() -> list[tuple[str, Any]]:
    return [(stage.value, stage.label) for stage in dashboard.STAGE_ORDER] + \
        [(NO_OPEN_ITEM, _("No open item yet"))]


def _at_stage(code: str) -> Any:
    return dashboard.at_stage(None if code == NO_OPEN_ITEM else Stage(code))


def _department_choices() -> list[tuple[str, Any]]:
    return [(str(pk), name) for pk, name in db.session.execute(
        sa.select(Department.id, Department.name).order_by(Department.sort_order,
                                                            Department.name))]


NO_OPEN_ITEM = "none"
COORDINATOR, UNIT, PROJECT = _("Coordinator"), _("Construction unit"), _("Project")

#: the commission list (委托协办)
COMMISSION_FILTERS = (
    QuickFilter("coordinator", COORDINATOR, lambda pk: Commission.coordinator_id == pk,
                lookup="coordinator"),
    QuickFilter("unit", UNIT, lambda pk: Commission.project_id.in_(_projects_of(pk)),
                lookup="unit"),
    QuickFilter("project", PROJECT, lambda pk: Commission.project_id == pk, lookup="project"),
    QuickFilter("open", _("Open or closed"),
                lambda code: defs.open_commission() if code == "open"
                else ~defs.open_commission(),
                choices=lambda: [("open", _("Open commissions")),
                                 ("closed", _("Closed commissions"))]),
    QuickFilter("stage", _("Current stage"), _at_stage, choices=_stage_choices),
)

#: the item list (协办事项)
ITEM_FILTERS = (
    QuickFilter("coordinator", COORDINATOR, lambda pk: CommissionItem.commission_id.in_(
        _commissions(Commission.coordinator_id == pk)), lookup="coordinator"),
    QuickFilter("unit", UNIT, lambda pk: CommissionItem.commission_id.in_(
        _commissions(Commission.project_id.in_(_projects_of(pk)))), lookup="unit"),
    QuickFilter("project", PROJECT, lambda pk: CommissionItem.commission_id.in_(
        _commissions(Commission.project_id == pk)), lookup="project"),
    QuickFilter("department", _("Approval department"), lambda pk: CommissionItem
                .approval_item_id.in_(sa.select(ApprovalItem.id)
                                      .where(ApprovalItem.department_id == int(pk))),
                choices=_department_choices),
    QuickFilter("overdue", _("Deadline"),
                lambda code: defs.overdue_item_alone(office_today()),
                choices=lambda: [("overdue", _("Overdue items"))]),
)


# ---- links to filtered lists ---------------------------------------------------------------
def filter_arg(view_name: str, column: str, flt: type) -> str | None:
    """The URL argument (``_flt_<n>_<column>``) of filter class ``flt`` on ``column`` of the
    registered screen ``view_name`` (None: no such filter)."""
    from flask import current_app

    view = next((v for v in current_app.appbuilder.baseviews
                 if type(v).__name__ == view_name), None)
    flts = view._filters._all_filters.get(column, []) if view is not None else []
    index = next((i for i, f in enumerate(flts) if isinstance(f, flt)), None)
    return None if index is None else f"_flt_{index}_{column}"


def list_url(view_name: str, *conditions: tuple[str, type | None, Any]) -> str | None:
    """The list of ``view_name`` under ``conditions`` — (column, FAB filter class, value);
    None as the class: the column's quick filter — or None when the signed-in user may not
    open that list."""
    from flask import current_app, url_for

    if not current_app.appbuilder.sm.has_access("can_list", view_name):
        return None
    args: dict[str, list[str]] = {}
    for column, flt, value in conditions:
        name = f"_flt_0_{column}" if flt is None else filter_arg(view_name, column, flt)
        if name is None:
            return None
        args.setdefault(name, []).append(str(value))
    return url_for(f"{view_name}.list", **args)
