"""Relation fields over large tables: a search endpoint and the form fields that use it.

FAB renders every row of a related table into a <select> (3.9 MB at city scale, see
architecture.md). For projects, units, commissions, commission items and revisits we render
only the current value(s) and let the browser search ``/lookup/<kind>?q=`` as the user
types: ``LookupField`` for a many-to-one relation, ``LookupMultipleField`` for many-to-many.
Both the search and the fields see only the rows the user may see (app.access, R-14.2): an
id of someone else's record is "does not exist". Units, projects and staff are also found by
the pinyin of their name, full or initials ("jcq" → 江城区, app/pinyin.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import sqlalchemy as sa
from flask import abort, jsonify, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from markupsafe import Markup, escape
from wtforms import Field
from wtforms.validators import StopValidation
from wtforms.widgets import html_params

from flask_babel import lazy_gettext as _
from flask_login import current_user

from app import access, inputs, pinyin
from app.choices import StaffRole
from app.extensions import db
from app.models import (
    ApprovalItem,
    Commission,
    CommissionItem,
    JointApproval,
    MaterialNotice,
    PlanVersion,
    PreReview,
    Project,
    Revisit,
    StaffMember,
    Termination,
    Unit,
    WorkLogEntry,
)

PAGE = 20


@dataclass(frozen=True)
class Lookup:
    """How to search one model: the columns matched by ``q`` and the order of results."""

    model: type
    search: tuple[Callable[[], Any], ...]
    order: Callable[[], Any]
    joins: tuple[Callable[[], Any], ...] = ()
    #: how a row reads in the field (default: the model's own str)
    text: Callable[[Any], str] = str
    #: the model keeps the pinyin keys of its name (app/pinyin.py): a term in pinyin
    #: matches them too
    by_pinyin: bool = False
    #: conditions every row meets (a kind of staff)
    where: tuple[Callable[[], Any], ...] = ()


LOOKUPS: dict[str, Lookup] = {
    "unit": Lookup(Unit, (lambda: Unit.name, lambda: Unit.credit_code), lambda: Unit.name,
                   by_pinyin=True),
    "project": Lookup(
        Project, (lambda: Project.name, lambda: Project.project_code), lambda: Project.name,
        by_pinyin=True,
    ),
    "staff": Lookup(StaffMember, (lambda: StaffMember.name,), lambda: StaffMember.name,
                    by_pinyin=True),
    "coordinator": Lookup(
        StaffMember, (lambda: StaffMember.name,), lambda: StaffMember.name, by_pinyin=True,
        where=(lambda: StaffMember.role == StaffRole.coordinator,),
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
    # A revisit is found by its commission's application number or the person reached.
    "revisit": Lookup(
        Revisit,
        (lambda: Commission.application_no, lambda: Revisit.person_reached),
        lambda: Revisit.visited_on.desc(),
        joins=(lambda: Revisit.commission,),
        text=lambda revisit: f"{revisit.commission} {revisit.visited_on} {revisit.rating}",
    ),
    # Records that grow with the commissions are found by the application number.
    "joint_approval": Lookup(
        JointApproval,
        (lambda: JointApproval.title, lambda: Commission.application_no),
        lambda: JointApproval.id.desc(),
        joins=(lambda: JointApproval.commission,),
        text=lambda joint: f"{joint.commission} {joint.title}",
    ),
    "work_log_entry": Lookup(
        WorkLogEntry,
        (lambda: Commission.application_no, lambda: WorkLogEntry.content),
        lambda: WorkLogEntry.id.desc(),
        joins=(lambda: WorkLogEntry.commission,),
        text=lambda entry: f"{entry.commission} {entry.logged_on} {entry.entry_type} "
                           f"{entry.content[:30]}",
    ),
    "material_notice": Lookup(
        MaterialNotice, (lambda: Commission.application_no,), lambda: MaterialNotice.id.desc(),
        joins=(lambda: MaterialNotice.commission,),
    ),
    "plan_version": Lookup(
        PlanVersion, (lambda: Commission.application_no,), lambda: PlanVersion.id.desc(),
        joins=(lambda: PlanVersion.commission,),
    ),
    "termination": Lookup(
        Termination, (lambda: Commission.application_no,), lambda: Termination.id.desc(),
        joins=(lambda: Termination.commission,),
    ),
}


def _scoped(model: type, query: Any, user: Any) -> Any:
    clause = access.row_scope(user, model)
    return query if clause is None else query.where(clause)


def find(kind: str, term: str, user: Any = None, *, offset: int = 0,
         limit: int = PAGE) -> list[Any]:
    """Rows of ``kind`` matching ``term`` that ``user`` (default: the logged-in user) may
    see, ``limit`` of them from ``offset``.

    A term in pinyin ("jcq") on a kind that keeps pinyin keys: the names whose keys start
    with it come first, from the keys' index; only when they do not fill the page are the
    names containing it anywhere looked for (a scan), after them.
    """
    lookup = LOOKUPS[kind]
    query = _scoped(lookup.model, sa.select(lookup.model),
                    current_user if user is None else user)
    for join in lookup.joins:
        query = query.join(join())
    query = query.where(*(condition() for condition in lookup.where))
    spelled = pinyin.as_pinyin_term(term) if lookup.by_pinyin else None
    matches = [col().ilike(f"%{term}%") for col in lookup.search] if term else []
    order = [lookup.order()]
    if spelled is not None:
        starts = pinyin.prefix_clause(lookup.model, spelled)
        first = db.session.scalars(query.where(starts).order_by(*order)
                                   .offset(offset).limit(limit)).all()
        if len(first) == limit:
            return list(first)
        matches += [starts, pinyin.contains_clause(lookup.model, spelled)]
        order.insert(0, sa.case((starts, 0), else_=1))
    if matches:
        query = query.where(sa.or_(*matches))
    return list(db.session.scalars(query.order_by(*order).offset(offset).limit(limit)))


def search(kind: str, term: str, page: int = 1,
           user: Any = None) -> tuple[list[dict[str, Any]], bool]:
    """Rows of ``kind`` matching ``term`` that ``user`` (default: the logged-in user) may
    see: [{id, text}], and whether more pages exist."""
    rows = find(kind, term, user, offset=(page - 1) * PAGE, limit=PAGE + 1)
    text = LOOKUPS[kind].text
    return [{"id": row.id, "text": text(row)} for row in rows[:PAGE]], len(rows) > PAGE


class LookupView(BaseView):
    """``GET /lookup/<kind>?q=&page=``: JSON for the lookup fields; ``/lookup/checklist/<pk>``:
    a commission's items and their material checklists, for the one-time notice's form."""

    route_base = "/lookup"
    default_view = "lookup"
    # The notice form's checklist is a lookup like the others: the same permission.
    method_permission_name = {"lookup": "lookup", "checklist": "lookup"}

    @expose("/checklist/<int:pk>")
    @has_access
    def checklist(self, pk: int):
        from app.views.notice_form import checklist_json

        commission = access.visible(current_user, Commission, pk)
        if commission is None:
            abort(404)
        return jsonify(checklist_json(commission))

    @expose("/<kind>")
    @has_access
    def lookup(self, kind: str):
        if kind not in LOOKUPS:
            abort(404)
        page = max(1, inputs.page_number(request.args.get("page", "1")))
        results, more = search(kind, request.args.get("q", "").strip()[:100], page)
        return jsonify({"results": results, "more": more})


class LookupWidget:
    """A <select> holding only the current value(s); lookup.js fills it by searching."""

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
        if field.multiple:
            attrs["multiple"] = True
        text = LOOKUPS[field.kind].text
        options = "".join(
            f'<option value="{obj.id}" selected>{escape(text(obj))}</option>'
            for obj in field.selected()
        )
        # A single select needs an empty option for Select2's placeholder and "clear".
        if not options and not field.multiple:
            options = '<option value=""></option>'
        return Markup(f"<select {html_params(**attrs)}>{options}</select>")


class LookupField(Field):
    """A many-to-one field over a large table; the data is the related object or None."""

    widget = LookupWidget()
    multiple = False

    def __init__(self, label: object = None, validators: Any = None, kind: str = "",
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        if kind not in LOOKUPS:
            raise ValueError(f"unknown lookup kind {kind!r}")
        self.kind = kind

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = None
        if valuelist and valuelist[0]:
            self.data = access.visible(current_user, LOOKUPS[self.kind].model, valuelist[0])
            if self.data is None:
                self.process_errors.append(str(_("The chosen record does not exist.")))

    def pre_validate(self, form: Any) -> None:
        # An unknown id is reported as such, not as "required" by the validators after us.
        if self.process_errors:
            raise StopValidation()

    def selected(self) -> list[Any]:
        """The objects the widget renders as chosen."""
        return [self.data] if self.data is not None else []

    def unchosen(self) -> bool:
        """Whether nothing is chosen (the markup is then the field's alone), known without
        loading a row."""
        return self.data is None

    def _value(self) -> str:
        return str(self.data.id) if self.data is not None else ""


class LookupMultipleField(LookupField):
    """A many-to-many field over a large table; the data is a list of related objects."""

    multiple = True

    def process_data(self, value: Any) -> None:
        # The edit form passes the relation's list; the add form passes None.
        self.data = list(value) if value is not None else []

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = []
        ids: list[int] = []
        for raw in valuelist:
            if not raw:
                continue
            pk = inputs.valid_id(raw)
            if pk is None:
                self.process_errors.append(str(_("The chosen record does not exist.")))
                return
            if pk not in ids:
                ids.append(pk)
        if not ids:
            return
        model = LOOKUPS[self.kind].model
        query = _scoped(model, sa.select(model).where(model.id.in_(ids)), current_user)
        with db.session.no_autoflush:
            found = {row.id: row for row in db.session.scalars(query)}
        # Keep the order the user chose; report ids that vanished or never existed.
        self.data = [found[pk] for pk in ids if pk in found]
        if len(found) < len(ids):
            self.process_errors.append(str(_("The chosen record does not exist.")))

    def populate_obj(self, obj: Any, name: str) -> None:
        setattr(obj, name, self.selected())

    def selected(self) -> list[Any]:
        # A related view's add form fills an excluded field with the one parent object.
        data = self.data if isinstance(self.data, list) else [self.data]
        return [row for row in data if row is not None]

    def _value(self) -> str:
        return ",".join(str(obj.id) for obj in self.selected())


def register(appbuilder) -> None:
    """The lookup endpoint has no menu entry."""
    appbuilder.add_view_no_menu(LookupView)
