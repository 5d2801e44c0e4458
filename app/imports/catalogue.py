"""Importing the approval catalogue (审批事项), upserted on the item code (R-18.1).

An item is found by its code, or — for a catalogue entered before items had codes — by
its name, and then gets the code. Its department is recorded or on the workbook's
departments sheet. The material checklist is one cell, entries separated by "；" or new
lines ("?" before an optional one); an import adds missing entries and sets whether each
is required, and never drops one (notices may name it).

To import a new catalogue field, add its Column to ``COLUMNS`` (with ``attr``): the
template, notes, preview and report follow.
"""
from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from app.choices import InvestmentKind, Stage
from app.domain.planning import prerequisite_problem
from app.domain.validators import check_days
from app.imports import cells, departments
from app.imports.spec import (
    Column,
    Kind,
    Outcome,
    RowRefused,
    Sheet,
    assign,
    changed_outcome,
    relink,
)
from app.models import ApprovalItem, ItemMaterial

OPTIONAL_MARK = ("?", "？")
_SPLIT = re.compile(r"[；;\n]+")


def _fee_list(value: Any) -> str | None:
    """The statutory fee names of one cell (separated by "；" or new lines), stored one per
    line as the catalogue screen keeps them (R-3.1); None when the cell is empty."""
    names = [part.strip() for part in _SPLIT.split(cells.text(2000)(value) or "")]
    return "\n".join(name for name in names if name) or None


COLUMNS = (
    Column("code", _("Item code"), cells.text(40), required=True, attr="code",
           example="JC-S1-001", width=14,
           note=_("The item's key: an item with this code (or, without a code yet, this "
                  "name) is updated, otherwise created.")),
    Column("name", _("Item name"), cells.text(100), required=True, attr="name",
           example="企业投资项目备案", width=28),
    Column("stage", _("Approval stage"), cells.choice(Stage), required=True, attr="stage",
           example="第一阶段：立项用地规划许可", width=24),
    Column("department", _("Approval department"), cells.text(100), required=True,
           example="区示例审批局", width=22,
           note=_("A department already recorded, or one on this file's departments sheet.")),
    Column("promised_days", _("Promised limit (working days)"), cells.integer(check_days),
           required=True, attr="promised_days", example=5),
    Column("legal_days", _("Legal limit (working days)"), cells.integer(check_days),
           attr="legal_days", example=20),
    Column("limit_is_default", _("Limit is an unverified default"), cells.yes_no,
           attr="limit_is_default", default=False, example="否"),
    Column("is_intermediary", _("Intermediary service (not delegable)"), cells.yes_no,
           attr="is_intermediary", default=False, example="否"),
    Column("alternative_group", _("Group of alternatives"), cells.text(40),
           attr="alternative_group", example=None,
           note=_("Items with the same group name exclude each other (e.g. 备案 and 核准): a "
                  "commission delegates at most one of them.")),
    Column("investment_kind", _("Only for investment kind"), cells.choice(InvestmentKind),
           attr="investment_kind", example="社会投资",
           note=_("Leave empty when the item applies to every project.")),
    Column("statutory_fees", _("Statutory fees"), _fee_list, attr="statutory_fees",
           example="城市基础设施配套费；防空地下室易地建设费", width=24,
           note=_("The only fees a fee notice for this item may name, separated by "
                  "“；” or new lines; leave empty when the item has none.")),
    Column("description", _("Description"), cells.text(4000), attr="description",
           example="法定时限：20个工作日。"),
    Column("active", _("In use"), cells.yes_no, attr="active", default=True, example="是"),
    Column("sort_order", _("Sort order"), cells.integer(), attr="sort_order", default=0,
           example=10),
    Column("prerequisites", _("Prerequisite items"), cells.text(2000), width=20,
           example="JC-S1-000",
           note=_("Codes of the items decided before this one is submitted, separated by "
                  "“；”; recorded items or rows of this sheet.")),
    Column("materials", _("Material checklist"), cells.text(20000), width=40,
           example="备案申请表；营业执照；?项目情况说明",
           note=_("Entries separated by “；” or new lines; “?” before an optional one.")),
)


def prepare(run: Any) -> None:
    by_code, by_name = run.table("item_code"), run.table("item_name")
    for item in run.session.scalars(sa.select(ApprovalItem)):
        by_name[item.name] = item
        if item.code:
            by_code[item.code] = item
    departments.prepare(run)


def find_item(run: Any, code: str | None, name: str | None) -> ApprovalItem | None:
    """The catalogue item a row names: by code, else by name (an item without a code)."""
    if "item_name" not in run.cache:
        prepare(run)
    item = run.table("item_code").get(code) if code else None
    named = run.table("item_name").get(name) if name else None
    if item is not None and named is not None and named is not item:
        raise RowRefused(_("The item code names “%(item)s”, the name another item.",
                           item=item.name))
    if item is None and named is not None and code and named.code and named.code != code:
        raise RowRefused(_("An item named “%(name)s” exists with another code (%(code)s).",
                           name=name, code=named.code))
    return item or named


def keys(values: dict[str, Any]) -> list[tuple[str, Any]]:
    return [("code", values.get("code")), ("name", values.get("name"))]


def parse_materials(text: str | None) -> list[tuple[str, bool]]:
    """(name, required) of each checklist entry in the cell."""
    found = []
    for part in _SPLIT.split(text or ""):
        name = part.strip()
        required = not name.startswith(OPTIONAL_MARK)
        name = name.lstrip("?？").strip()
        if name:
            found.append((name[:200], required))
    return found


def _materials(run: Any, item: ApprovalItem, wanted: list[tuple[str, bool]]) -> bool:
    """Add the missing entries, set ``required``; True when anything changed."""
    existing = {m.name: m for m in item.materials} if item.id is not None else {}
    changed = False
    for order, (name, required) in enumerate(wanted, start=1):
        material = existing.get(name)
        if material is None:
            material = ItemMaterial(name=name, required=required, sort_order=order)
            item.materials.append(material)
            existing[name] = material
            changed = True
        elif material.required != required:
            material.required = required
            changed = True
    return changed


def upsert(run: Any, values: dict[str, Any]) -> Outcome:
    department = departments.find_department(run, values["department"])
    item = find_item(run, values["code"], values["name"])
    created = item is None
    if created:
        item = ApprovalItem()
        run.session.add(item)
    old_name = item.name
    changed = assign(item, values, COLUMNS)
    changed += relink(item, department=(department, _("Approval department")))
    if _materials(run, item, parse_materials(values.get("materials"))):
        changed.append(_("Material checklist"))
    if old_name and old_name != item.name:
        run.table("item_name").pop(old_name, None)
    run.table("item_name")[item.name] = item
    run.table("item_code")[item.code] = item
    if "prerequisites" in values:
        run.table("prerequisites")[run.row] = (item, _codes(values.get("prerequisites")))
    return changed_outcome(created, changed)


def _codes(text: str | None) -> list[str]:
    return [code.strip() for code in _SPLIT.split(text or "") if code.strip()]


def finish(run: Any) -> dict[int, tuple[str | None, str]]:
    """Prerequisites once every item is in (a row may name a later row): no unknown code,
    no circle (app/domain/planning.prerequisite_problem, as the catalogue screen)."""
    run.session.flush()  # ids for the circle check
    outcomes: dict[int, tuple[str | None, str]] = {}
    for row, (item, codes) in run.table("prerequisites").items():
        found = [run.table("item_code").get(code) for code in codes]
        unknown = [code for code, other in zip(codes, found) if other is None]
        if unknown:
            outcomes[row] = (str(_("No approval item with code %(codes)s is recorded or on "
                                   "this file.", codes="、".join(unknown))), "")
            continue
        problem = prerequisite_problem(item.id, found)
        if problem:
            outcomes[row] = (problem, "")
        elif set(found) != set(item.prerequisites):
            item.prerequisites = found
            outcomes[row] = (None, str(_("Prerequisite items")))
    return outcomes


SHEET = Sheet("items", _("Approval item catalogue"), COLUMNS, keys, upsert, prepare,
              finish=finish)

KIND = Kind("catalogue", _("Approval item catalogue"), (departments.SHEET, SHEET), notes=(
    _("One row per approval item. An item whose code is already recorded is updated; "
      "importing the same file again changes nothing."),
    _("The departments may come on the sheet “Approval departments” of the same file; "
      "they are imported first."),
))
