"""The approval departments (审批部门) sheet, upserted on the department's name (R-18.1).

Not a kind of its own: the staff roster and the catalogue workbooks both carry it as an
optional first sheet, so that a roster or a catalogue can bring its departments along.
Other sheets find departments (recorded, or on this sheet) with ``find_department``.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from app.domain.validators import check_phone
from app.imports import cells
from app.imports.spec import Column, Outcome, RowRefused, Sheet, assign, changed_outcome
from app.models import Department

COLUMNS = (
    Column("name", _("Department name"), cells.text(100), required=True, attr="name",
           example="区示例审批局", width=24,
           note=_("The department's key: a department of this name is updated, otherwise "
                  "created.")),
    Column("short_name", _("Short name"), cells.text(40), attr="short_name", example="示例局"),
    Column("runs_window", _("Runs the assistance window"), cells.yes_no, attr="runs_window",
           default=False, example="否"),
    Column("contact_name", _("Responsible contact"), cells.text(50), required=True,
           attr="contact_name", example="李专人"),
    Column("contact_phone", _("Contact phone"), cells.text(30, check_phone), required=True,
           attr="contact_phone", example="0662-3312345"),
    Column("address", _("Address"), cells.text(200), attr="address", example="江城区政务服务中心"),
    Column("active", _("In use"), cells.yes_no, attr="active", default=True, example="是"),
    Column("sort_order", _("Sort order"), cells.integer(), attr="sort_order", default=0,
           example=10),
)


def prepare(run: Any) -> None:
    """Every department by name (a small table)."""
    table = run.table("department")
    if not table:
        for department in run.session.scalars(sa.select(Department)):
            table[department.name] = department


def find_department(run: Any, name: str | None) -> Department | None:
    """The department called ``name`` (recorded or on this file); RowRefused if unknown."""
    if not name:
        return None
    prepare(run)
    department = run.table("department").get(name)
    if department is None:
        raise RowRefused(_("No approval department “%(name)s” is recorded or on this file.",
                           name=name))
    return department


def keys(values: dict[str, Any]) -> list[tuple[str, Any]]:
    return [("name", values.get("name"))]


def upsert(run: Any, values: dict[str, Any]) -> Outcome:
    prepare(run)
    department = run.table("department").get(values["name"])
    created = department is None
    if created:
        department = Department()
        run.session.add(department)
        run.table("department")[values["name"]] = department
    return changed_outcome(created, assign(department, values, COLUMNS))


SHEET = Sheet("departments", _("Approval departments"), COLUMNS, keys, upsert, prepare,
              optional=True)
