"""Importing projects (工程建设项目), upserted on 项目代码 (R-18.1).

A project names its unit by credit code or by name: a unit of the database, or a row of
the workbook's optional 建设单位 sheet (the units import's own sheet, read first), so one
file can bring a district's units and projects together. Its town is one of the district's.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _

from app.choices import (
    ConstructionKind,
    FundSource,
    InvestmentKind,
    KeyProjectLevel,
    LandNature,
    Stage,
)
from app.domain.validators import check_amount, check_credit_code, check_project_code
from app.imports import cells, units
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
from app.models import Project, Town

COLUMNS = (
    Column("project_code", _("Project code"), cells.text(28, check_project_code),
           required=True, attr="project_code", example="2026-441702-70-03-012345", width=28,
           note=_("The national project code: the project's key (a project with this code is "
                  "updated, otherwise created).")),
    Column("name", _("Project name"), cells.text(200), required=True, attr="name",
           example="江城区示例商住楼项目", width=30),
    Column("unit_credit_code", _("Unit's credit code"),
           cells.text(18, check_credit_code, upper=True), example="91441702MA4UXXXX0A",
           width=22, note=_("The construction unit, by its credit code (or give its name).")),
    Column("unit_name", _("Construction unit"), cells.text(200),
           example="阳江市示例建设有限公司", width=30,
           note=_("A unit already recorded, or one on this file's units sheet.")),
    Column("address", _("Project address"), cells.text(200), required=True, attr="address",
           example="阳江市江城区南恩路88号", width=30),
    Column("town", _("Town or street"), cells.text(30), example="南恩街道",
           note=_("One of the district's towns and streets (reference data).")),
    Column("construction_kind", _("Construction kind"), cells.choice(ConstructionKind),
           required=True, attr="construction_kind", example="新建"),
    Column("investment_kind", _("Investment kind"), cells.choice(InvestmentKind),
           required=True, attr="investment_kind", example="社会投资"),
    Column("total_investment", _("Total investment (10,000 yuan)"),
           cells.amount(check_amount), attr="total_investment", example=12000),
    Column("fund_source", _("Fund source"), cells.choice(FundSource), attr="fund_source",
           example="民资"),
    Column("floor_area", _("Total floor area (m²)"), cells.amount(check_amount),
           attr="floor_area", example=35000),
    Column("land_nature", _("Land nature"), cells.choice(LandNature), attr="land_nature",
           example="出让"),
    Column("key_level", _("Key project level"), cells.choice(KeyProjectLevel),
           attr="key_level", example="区级"),
    Column("is_special_project", _("Special project"), cells.yes_no,
           attr="is_special_project", default=False, example="否"),
    Column("is_major_infrastructure", _("Major transport, water or energy project"),
           cells.yes_no, attr="is_major_infrastructure", default=False, example="否"),
    Column("current_stage", _("Current approval stage"), cells.choice(Stage),
           attr="current_stage", example="第一阶段：立项用地规划许可", width=24),
    Column("brief", _("Project brief"), cells.text(4000), attr="brief", example="商住楼两栋"),
    Column("progress", _("Current progress"), cells.text(4000), attr="progress",
           example="已取得用地"),
)


def prepare(run: Any) -> None:
    """Projects by code, towns by name, and the units (also those of the units sheet)."""
    by_code = run.table("project_code")
    for project in run.session.scalars(sa.select(Project).where(Project.project_code.is_not(None))):
        by_code[project.project_code] = project
    towns = run.table("town")
    for town in run.session.scalars(sa.select(Town)):
        towns[town.name] = town
    if "unit_name" not in run.cache:
        units.prepare(run)


def keys(values: dict[str, Any]) -> list[tuple[str, Any]]:
    return [("project_code", values.get("project_code"))]


def upsert(run: Any, values: dict[str, Any]) -> Outcome:
    code, name = values.get("unit_credit_code"), values.get("unit_name")
    if not code and not name:
        raise RowRefused(_("Name the construction unit (credit code or name)."))
    unit = units.find_unit(run, code, name)
    if unit is None:
        raise RowRefused(_("No construction unit “%(unit)s” is recorded or on this file.",
                           unit=code or name))
    town = None
    if values.get("town"):
        town = run.table("town").get(values["town"])
        if town is None or not town.active:
            raise RowRefused(_("“%(town)s” is not a town or street of the district.",
                               town=values["town"]))
    project = run.table("project_code").get(values["project_code"])
    created = project is None
    if created:
        project = Project()
        run.session.add(project)
        run.table("project_code")[values["project_code"]] = project
    changed = assign(project, values, COLUMNS)
    changed += relink(project, unit=(unit, _("Construction unit")),
                      town=(town, _("Town or street")))
    return changed_outcome(created, changed)


SHEET = Sheet("projects", _("Projects"), COLUMNS, keys, upsert, prepare)

KIND = Kind("projects", _("Projects"), (units.optional_sheet(), SHEET), notes=(
    _("One row per project. A project whose code is already recorded is updated; importing "
      "the same file again changes nothing."),
    _("The units may come on the sheet “Construction units” of the same file (as in the "
      "units template); they are imported first."),
))
