"""The one-time notice on one screen (issue 14, item 5; R-6.5): the notice and all its lines
in one form — add and remove lines, pick each material from the checklist of the item it is
for, type the others — saved together and printed at once.

``NoticeLinesField`` is the lines' part of the notice's add and edit forms: a table whose
rows post as ``lines-<n>-<column>``; it reads them into ``one_time_notice.Line``s (the items
through the user's row scope, R-14.8), the form checks them with the domain's
``check_lines`` and saving writes them with ``set_lines`` — the one writer of notice lines.
The choices (the commission's items and their checklists) are rendered with the form when
the commission is known, and fetched from ``/lookup/checklist/<commission>`` when the clerk
picks it on the form (static/js/notice_form.js).
"""
from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _
from flask_login import current_user
from markupsafe import Markup
from wtforms import Field
from wtforms.utils import unset_value

from app import access, inputs
from app.choices import MaterialProblem
from app.domain.one_time_notice import Line, check_lines
from app.extensions import db
from app.models import Commission, CommissionItem, ItemMaterial

#: the most lines one notice takes from a form
MAX_LINES = 200
#: the submit button that saves and prints
SAVE_AND_PRINT = "_save_and_print"
_KEY = re.compile(r"^(?P<field>\w+?)-(?P<index>\d{1,4})-(?P<column>\w+)$")
BAD_CHOICE = _("The chosen record does not exist.")


def checklist(commission: Commission | None) -> list[tuple[CommissionItem, list[ItemMaterial]]]:
    """The commission's items (those the user may see) with their checklists, in order."""
    if commission is None:
        return []
    query = sa.select(CommissionItem).where(CommissionItem.commission_id == commission.id) \
        .order_by(CommissionItem.id)
    clause = access.row_scope(current_user, CommissionItem)
    if clause is not None:
        query = query.where(clause)
    items = list(db.session.scalars(query))
    ids = {item.approval_item_id for item in items}
    materials: dict[int, list[ItemMaterial]] = {}
    if ids:
        for material in db.session.scalars(
                sa.select(ItemMaterial).where(ItemMaterial.approval_item_id.in_(ids))
                .order_by(ItemMaterial.sort_order, ItemMaterial.id)):
            materials.setdefault(material.approval_item_id, []).append(material)
    return [(item, materials.get(item.approval_item_id, [])) for item in items]


def checklist_json(commission: Commission) -> dict[str, Any]:
    """The checklist as the form's script takes it."""
    return {"items": [{"id": item.id, "text": item_text(item),
                       "materials": [{"id": m.id, "name": m.name} for m in materials]}
                      for item, materials in checklist(commission)]}


def item_text(item: CommissionItem) -> str:
    """An item as the form names it: the catalogue item, and the attempt after the first."""
    name = item.approval_item.name if item.approval_item is not None else str(item)
    return name if (item.attempt or 1) == 1 else f"{name}（第{item.attempt}次）"


class NoticeLinesWidget:
    """The lines as a table with a row template; static/js/notice_form.js adds, removes and
    fills rows."""

    def __call__(self, field: "NoticeLinesField", **kwargs: Any) -> Markup:
        choices = checklist(field.commission)
        rows = field.rows or [{}]  # a new notice opens with one empty line
        body = Markup("").join(self._row(field, index, row, choices)
                               for index, row in enumerate(rows))
        template = self._row(field, "__index__", {}, choices)
        picker_items = Markup("").join(
            Markup('<option value="{}">{}</option>').format(item.id, item_text(item))
            for item, _materials in choices)
        labels = [_("Commission item"), _("Checklist material"), _("Material"), _("Problem"),
                  _("Requirement")]
        head = Markup("").join(Markup("<th>{}</th>").format(label) for label in labels)
        url = url_for("LookupView.checklist", pk=0).rsplit("/", 1)[0] + "/"
        return Markup(
            '<div class="xb-notice-lines" id="{id}" data-name="{name}" data-url="{url}" '
            'data-commission="{commission}">'
            '<table class="table table-condensed xb-notice-table"><thead><tr>{head}'
            '<th><span class="sr-only">{remove}</span></th></tr></thead>'
            '<tbody>{body}</tbody></table>'
            '<template class="xb-notice-template">{template}</template>'
            '<p><button type="button" class="btn btn-default btn-sm xb-line-add">'
            '<i class="fa fa-plus"></i> {add}</button></p>'
            '<div class="form-inline well well-sm xb-checklist-picker">'
            '<label for="{id}-picker">{pick}</label> '
            '<select id="{id}-picker" class="form-control input-sm xb-picker-item">'
            '<option value="">—</option>{picker_items}</select>'
            '<div class="xb-picker-materials"></div>'
            '<button type="button" class="btn btn-default btn-sm xb-picker-add">{add_checked}'
            '</button></div>'
            '<p><button type="submit" name="{print_name}" value="1" '
            'class="btn btn-primary xb-save-print"><i class="fa fa-print"></i> {save_print}'
            '</button></p></div>'
        ).format(id=field.id, name=field.name, url=url,
                 commission=field.commission.id if field.commission is not None else "",
                 head=head, remove=_("Remove"), body=body, template=template,
                 add=_("Add a line"), pick=_("From an item's checklist:"),
                 picker_items=picker_items, add_checked=_("Add the ticked materials"),
                 print_name=SAVE_AND_PRINT, save_print=_("Save and print"))

    def _row(self, field: "NoticeLinesField", index: Any, row: dict[str, Any],
             choices: list[tuple[CommissionItem, list[ItemMaterial]]]) -> Markup:
        def name(column: str) -> str:
            return f"{field.name}-{index}-{column}"

        def option(value: Any, text: Any, chosen: Any, **attrs: Any) -> Markup:
            extra = Markup("").join(Markup(' {}="{}"').format(k.replace("_", "-"), v)
                                    for k, v in attrs.items())
            selected = Markup(" selected") if str(value) == str(chosen or "") else Markup("")
            return Markup('<option value="{}"{}{}>{}</option>').format(value, extra, selected,
                                                                      text)

        items = Markup("").join(option(item.id, item_text(item), row.get("commission_item"))
                                for item, _materials in choices)
        groups = Markup("").join(
            Markup('<optgroup label="{}" data-item="{}">{}</optgroup>').format(
                item_text(item), item.id, Markup("").join(
                    option(m.id, m.name, row.get("material"), data_item=item.id)
                    for m in materials))
            for item, materials in choices if materials)
        problems = Markup("").join(option(p.value, p, row.get("problem") or "missing")
                                   for p in MaterialProblem)
        error = field.row_errors.get(index) if isinstance(index, int) else None
        return Markup(
            '<tr class="xb-notice-line{error_class}">'
            '<td><input type="hidden" name="{n_id}" value="{id}">'
            '<select name="{n_item}" class="form-control input-sm xb-line-item" '
            'aria-label="{l_item}" required><option value="">—</option>{items}</select>'
            '{error}</td>'
            '<td><select name="{n_material}" class="form-control input-sm xb-line-material" '
            'aria-label="{l_material}"><option value="">{other}</option>{groups}</select></td>'
            '<td><input type="text" name="{n_name}" value="{name}" maxlength="200" '
            'class="form-control input-sm xb-line-name" aria-label="{l_name}" '
            'placeholder="{name_hint}"></td>'
            '<td><select name="{n_problem}" class="form-control input-sm" '
            'aria-label="{l_problem}">{problems}</select></td>'
            '<td><input type="text" name="{n_note}" value="{note}" maxlength="500" '
            'class="form-control input-sm" aria-label="{l_note}"></td>'
            '<td><button type="button" class="btn btn-link btn-sm xb-line-remove" '
            'title="{remove}" aria-label="{remove}"><i class="fa fa-times"></i></button></td>'
            '</tr>'
        ).format(
            error_class=Markup(" danger") if error else Markup(""),
            error=Markup('<span class="help-block text-danger">{}</span>').format(error)
            if error else Markup(""),
            n_id=name("id"), id=row.get("id") or "", n_item=name("commission_item"),
            items=items, n_material=name("material"), groups=groups,
            other=_("(not on the checklist: type its name)"),
            n_name=name("material_name"), name=row.get("material_name") or "",
            name_hint=_("Name, if not on the checklist"),
            n_problem=name("problem"), problems=problems, n_note=name("note"),
            note=row.get("note") or "", remove=_("Remove this line"),
            l_item=_("Commission item"), l_material=_("Checklist material"),
            l_name=_("Material"), l_problem=_("Problem"), l_note=_("Requirement"))


class NoticeLinesField(Field):
    """The lines of a one-time notice; ``data`` is a list of ``one_time_notice.Line``."""

    widget = NoticeLinesWidget()

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        #: the notice's commission (set by the screen before the form is shown)
        self.commission: Commission | None = None
        #: the rows as entered (for showing the form again)
        self.rows: list[dict[str, Any]] = []
        self.row_errors: dict[int, Any] = {}
        self._rows_of: list[int] = []

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.process_errors = []
        self.row_errors = {}
        if formdata is not None and any(_KEY.match(key) and key.startswith(f"{self.name}-")
                                        for key in formdata):
            self.rows = self._posted(formdata)
        else:
            stored = [] if data is unset_value or data is None else list(data)
            self.rows = [{"id": line.id, "commission_item": line.commission_item_id,
                          "material": line.material_id, "material_name": line.material_name,
                          "problem": line.problem.value if line.problem else "",
                          "note": line.note or ""} for line in stored]
        lines = [self._line(index, row) for index, row in enumerate(self.rows)]
        if any(line is None for line in lines):
            self.process_errors.append(str(BAD_CHOICE))
        #: the row each line of ``data`` came from (a row that named no record is left out)
        self._rows_of = [index for index, line in enumerate(lines) if line is not None]
        self.data = [line for line in lines if line is not None]

    def _posted(self, formdata: Any) -> list[dict[str, Any]]:
        rows: dict[int, dict[str, Any]] = {}
        for key in formdata:
            match = _KEY.match(key)
            if match and match.group("field") == self.name:
                rows.setdefault(int(match.group("index")), {})[match.group("column")] = \
                    (formdata.get(key) or "").strip()
        shown = [rows[index] for index in sorted(rows)[:MAX_LINES]]
        # a row left empty is no line
        return [row for row in shown if any(row.get(col) for col in (
            "commission_item", "material", "material_name"))]

    def _line(self, index: int, row: dict[str, Any]) -> Line | None:
        item = material = None
        if row.get("commission_item"):
            item = access.visible(current_user, CommissionItem, row["commission_item"])
            if item is None:
                self.row_errors[index] = BAD_CHOICE
                return None
        if row.get("material"):
            pk = inputs.valid_id(row["material"])
            material = db.session.get(ItemMaterial, pk) if pk is not None else None
            if material is None:
                self.row_errors[index] = BAD_CHOICE
                return None
        try:
            problem = MaterialProblem(row.get("problem")) if row.get("problem") else None
        except ValueError:
            self.row_errors[index] = BAD_CHOICE
            return None
        return Line(commission_item=item, material=material,
                    material_name=row.get("material_name") or "", problem=problem,
                    note=row.get("note") or None, id=inputs.valid_id(row.get("id") or ""))

    def check(self, commission: Commission | None) -> Any:
        """The domain's rules on the lines, each problem shown on its row; the field's own
        message (None when all is well)."""
        if self.process_errors:
            return None  # a line names no record: said already
        problems = check_lines(commission, self.data)
        for index, message in problems.items():
            if index >= 0:
                self.row_errors.setdefault(self._rows_of[index], message)
        if not problems:
            return None
        return problems.get(-1) or _("Some lines need correcting (marked in red below).")

    def populate_obj(self, obj: Any, name: str) -> None:
        from app.domain.one_time_notice import set_lines

        set_lines(obj, self.data)

    def _value(self) -> str:
        return ""
