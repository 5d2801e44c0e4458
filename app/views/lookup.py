"""Relation fields over large tables: a search endpoint and the form field that uses it.

FAB renders every row of a related table into a <select> (3.9 MB at city scale, see
architecture.md). For projects, units, commissions and commission items we render only the
current value and let the browser search ``/lookup/<kind>?q=`` as the user types.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import sqlalchemy as sa
from flask import abort, jsonify, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from markupsafe import Markup, escape
from wtforms import Field
from wtforms.widgets import html_params

from app.extensions import db
from flask_babel import lazy_gettext as _

from app.models import ApprovalItem, Commission, CommissionItem, PreReview, Project, Unit

PAGE = 20


@dataclass(frozen=True)
class Lookup:
    """How to search one model: the columns matched by ``q`` and the order of results."""

    model: type
    search: tuple[Callable[[], Any], ...]
    order: Callable[[], Any]
    joins: tuple[Callable[[], Any], ...] = ()


LOOKUPS: dict[str, Lookup] = {
    "unit": Lookup(Unit, (lambda: Unit.name, lambda: Unit.credit_code), lambda: Unit.name),
    "project": Lookup(
        Project, (lambda: Project.name, lambda: Project.project_code), lambda: Project.name
    ),
    "commission": Lookup(
        Commission, (lambda: Commission.application_no,), lambda: Commission.id.desc()
    ),
    "pre_review": Lookup(
        PreReview, (lambda: PreReview.enquirer_name,), lambda: PreReview.received_on.desc()
    ),
    "commission_item": Lookup(
        CommissionItem,
        (lambda: ApprovalItem.name, lambda: Commission.application_no),
        lambda: CommissionItem.id.desc(),
        joins=(lambda: CommissionItem.approval_item, lambda: CommissionItem.commission),
    ),
}


def search(kind: str, term: str, page: int = 1) -> tuple[list[dict[str, Any]], bool]:
    """Rows of ``kind`` matching ``term``: [{id, text}], and whether more pages exist."""
    lookup = LOOKUPS[kind]
    query = sa.select(lookup.model)
    for join in lookup.joins:
        query = query.join(join())
    if term:
        pattern = f"%{term}%"
        query = query.where(sa.or_(*(col().ilike(pattern) for col in lookup.search)))
    query = query.order_by(lookup.order()).offset((page - 1) * PAGE).limit(PAGE + 1)
    rows = db.session.scalars(query).all()
    return [{"id": row.id, "text": str(row)} for row in rows[:PAGE]], len(rows) > PAGE


class LookupView(BaseView):
    """``GET /lookup/<kind>?q=&page=``: JSON for the lookup fields."""

    route_base = "/lookup"
    default_view = "lookup"

    @expose("/<kind>")
    @has_access
    def lookup(self, kind: str):
        if kind not in LOOKUPS:
            abort(404)
        try:
            page = max(1, int(request.args.get("page", 1)))
        except ValueError:
            page = 1
        results, more = search(kind, request.args.get("q", "").strip()[:100], page)
        return jsonify({"results": results, "more": more})


class LookupWidget:
    """A <select> holding only the current value; lookup.js fills it by searching."""

    def __call__(self, field: "LookupField", **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        attrs = {
            "name": field.name,
            "class": "form-control xb-lookup",
            "data-url": url_for("LookupView.lookup", kind=field.kind),
            "data-placeholder": str(field.label.text),
            **kwargs,
        }
        if field.flags.required:
            attrs["required"] = True
        option = ""
        obj = field.data
        if obj is not None:
            option = f'<option value="{obj.id}" selected>{escape(str(obj))}</option>'
        else:
            option = '<option value=""></option>'
        return Markup(f"<select {html_params(**attrs)}>{option}</select>")


class LookupField(Field):
    """A many-to-one field over a large table; the data is the related object or None."""

    widget = LookupWidget()

    def __init__(self, label: object = None, validators: Any = None, kind: str = "",
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        if kind not in LOOKUPS:
            raise ValueError(f"unknown lookup kind {kind!r}")
        self.kind = kind

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        if valuelist and valuelist[0]:
            try:
                pk = int(valuelist[0])
            except ValueError:
                self.data = None
                return
            self.data = db.session.get(LOOKUPS[self.kind].model, pk)
            if self.data is None:
                self.process_errors.append(str(_("The chosen record does not exist.")))

    def _value(self) -> str:
        return str(self.data.id) if self.data is not None else ""


def register(appbuilder) -> None:
    """The lookup endpoint has no menu entry."""
    appbuilder.add_view_no_menu(LookupView)
