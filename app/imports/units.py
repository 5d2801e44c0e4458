"""Importing construction units (建设单位), upserted on 统一社会信用代码 (R-18.1).

A row names its unit by credit code; a unit without one (a government body may have none
on file) is named by its name. A credit code that names one unit and a name that names
another is refused rather than guessed.
"""
from __future__ import annotations

import dataclasses
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from app.choices import UnitNature
from app.domain.validators import check_credit_code, check_email, check_phone
from app.imports import cells
from app.imports.spec import Column, Kind, Outcome, RowRefused, Sheet, assign, changed_outcome
from app.models import Unit

COLUMNS = (
    Column("name", _("Unit name"), cells.text(200), required=True, attr="name",
           example="阳江市示例建设有限公司", width=30),
    Column("credit_code", _("Unified social credit code"),
           cells.text(18, check_credit_code, upper=True), attr="credit_code",
           example="91441702MA4UXXXX0A", width=22,
           note=_("18 digits or capital letters (GB 32100); the unit's key: a unit with this "
                  "code is updated, otherwise created.")),
    Column("address", _("Unit address"), cells.text(200), required=True, attr="address",
           example="阳江市江城区东风一路1号", width=30),
    Column("nature", _("Unit nature"), cells.choice(UnitNature), required=True, attr="nature",
           example="企业", width=12),
    Column("leader_name", _("Project leader"), cells.text(50), required=True,
           attr="leader_name", example="王建国"),
    Column("leader_title", _("Project leader's title"), cells.text(50), attr="leader_title",
           example="总经理"),
    Column("leader_phone", _("Project leader's contact"), cells.text(30, check_phone),
           required=True, attr="leader_phone", example="13800138000"),
    Column("handler_name", _("Project handler"), cells.text(50), required=True,
           attr="handler_name", example="陈经办"),
    Column("handler_title", _("Project handler's title"), cells.text(50),
           attr="handler_title", example="报建专员"),
    Column("handler_phone", _("Project handler's contact"), cells.text(30, check_phone),
           required=True, attr="handler_phone", example="13700137000"),
    Column("email", _("E-mail"), cells.text(120, check_email), attr="email",
           example="bj@example.com", width=24),
)


def prepare(run: Any) -> None:
    """Every unit by credit code and by name (one query; a district has thousands)."""
    by_code, by_name = run.table("unit_code"), run.table("unit_name")
    for unit in run.session.scalars(sa.select(Unit)):
        by_name[unit.name] = unit
        if unit.credit_code:
            by_code[unit.credit_code] = unit


def keys(values: dict[str, Any]) -> list[tuple[str, Any]]:
    found = [("name", values.get("name"))]
    if values.get("credit_code"):
        found.insert(0, ("credit_code", values["credit_code"]))
    return found


def find_unit(run: Any, credit_code: str | None, name: str | None) -> Unit | None:
    """The unit a row names (by credit code, else by name); RowRefused when they disagree."""
    by_code, by_name = run.table("unit_code"), run.table("unit_name")
    unit = by_code.get(credit_code) if credit_code else None
    named = by_name.get(name) if name else None
    if unit is not None and named is not None and named is not unit:
        raise RowRefused(_("The credit code names the unit “%(code_unit)s”, the name another "
                           "unit.", code_unit=unit.name))
    if unit is None and named is not None and credit_code and named.credit_code:
        raise RowRefused(_("A unit named “%(name)s” exists with another credit code "
                           "(%(code)s).", name=name, code=named.credit_code))
    return unit or named


def upsert(run: Any, values: dict[str, Any]) -> Outcome:
    unit = find_unit(run, values.get("credit_code"), values["name"])
    created = unit is None
    if created:
        unit = Unit()
        run.session.add(unit)
    old_name = unit.name
    changed = assign(unit, values, COLUMNS)
    by_code, by_name = run.table("unit_code"), run.table("unit_name")
    if old_name and old_name != unit.name:
        by_name.pop(old_name, None)
    by_name[unit.name] = unit
    if unit.credit_code:
        by_code[unit.credit_code] = unit
    return changed_outcome(created, changed)


SHEET = Sheet("units", _("Construction units"), COLUMNS, keys, upsert, prepare)


def optional_sheet() -> Sheet:
    """The units sheet as another kind's optional first sheet (e.g. beside the projects)."""
    return dataclasses.replace(SHEET, optional=True)

KIND = Kind("units", _("Construction units"), (SHEET,), notes=(
    _("One row per unit. A unit whose credit code (or, without one, whose name) is already "
      "recorded is updated; importing the same file again changes nothing."),
))
