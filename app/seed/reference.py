"""Reference data: towns/streets, departments and the approval-item catalogue (R-1.3, R-2.1, R-2.4).

Loading is idempotent: rows are found by their business key (town code, department name,
item name) and only missing ones are added. Existing rows are left as supervisors edited
them; a catalogue item's material checklist is seeded only when the item itself is new.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.models import ApprovalItem, Department, ItemMaterial, Town
from app.seed.catalogue import (
    CATALOGUE,
    PREREQUISITES,
    STATUTORY_FEES,
    CatalogueEntry,
    material_rows,
)

DISTRICT_CODE = "441702"
WINDOW_DEPARTMENT = "区政务服务数据管理局"

# reference-data.md, "District": code = 441702 + suffix.
TOWNS: tuple[tuple[str, str], ...] = (
    ("001", "南恩街道"), ("002", "城南街道"), ("003", "城北街道"), ("004", "中洲街道"),
    ("006", "城东街道"), ("008", "岗列街道"), ("009", "城西街道"), ("011", "白沙街道"),
    ("102", "埠场镇"), ("103", "平冈镇"), ("105", "闸坡镇"), ("106", "双捷镇"),
)


@dataclass(frozen=True)
class DepartmentRow:
    """A department with its responsible contact (专人, R-2.4)."""

    name: str
    short_name: str
    contact_name: str
    contact_phone: str
    address: str


# reference-data.md, "Departments"; contacts and addresses are plausible placeholders.
DEPARTMENTS: tuple[DepartmentRow, ...] = (
    DepartmentRow(WINDOW_DEPARTMENT, "区政数局", "陈晓敏", "0662-3356601",
                  "阳江市江城区东风三路68号区政务服务中心"),
    DepartmentRow("区发展和改革局", "区发改局", "李振华", "0662-3356218", "阳江市江城区东风二路28号"),
    DepartmentRow("市自然资源局江城分局", "自然资源江城分局", "黄伟明", "0662-3387126",
                  "阳江市江城区新江北路112号"),
    DepartmentRow("市生态环境局江城分局", "生态环境江城分局", "梁嘉宝", "0662-3315530",
                  "阳江市江城区金山路36号"),
    DepartmentRow("区住房和城乡建设局", "区住建局", "林德胜", "0662-3329018", "阳江市江城区江城一路9号"),
    DepartmentRow("区农业农村和水利局", "区农水局", "陈永锋", "0662-3361275", "阳江市江城区石湾北路15号"),
    DepartmentRow("区人民防空办公室", "区人防办", "何志坚", "0662-3342206", "阳江市江城区东风二路28号"),
    DepartmentRow("区城市管理和综合执法局", "区城管执法局", "吴浩然", "0662-3379415",
                  "阳江市江城区漠阳路88号"),
    DepartmentRow("区气象局", "区气象局", "冯丽君", "0662-3224318", "阳江市江城区金山路气象路1号"),
    DepartmentRow("区城建档案馆", "区城建档案馆", "谢海燕", "0662-3329126", "阳江市江城区江城一路9号"),
    DepartmentRow("供水公司", "供水公司", "郑国强", "0662-3221196", "阳江市江城区东门南路56号"),
    DepartmentRow("供电局", "供电局", "邓建华", "0662-3238511", "阳江市江城区新江南路18号"),
    DepartmentRow("燃气公司", "燃气公司", "严志勇", "0662-3466290", "阳江市江城区二环路208号"),
    DepartmentRow("通信运营商", "通信运营商", "苏晓玲", "0662-3388100", "阳江市江城区东风三路1号"),
)


@dataclass
class ReferenceSummary:
    """How many rows the reference load added (0 everywhere on a second run)."""

    towns: int = 0
    departments: int = 0
    items: int = 0

    @property
    def added(self) -> int:
        return self.towns + self.departments + self.items


def seed_reference(session: Session) -> ReferenceSummary:
    """Add the missing towns, departments and catalogue items; flush, do not commit."""
    summary = ReferenceSummary()
    summary.towns = _seed_towns(session)
    departments, summary.departments = _seed_departments(session)
    summary.items = _seed_catalogue(session, departments)
    session.flush()
    return summary


def _seed_towns(session: Session) -> int:
    existing = set(session.scalars(sa.select(Town.code)))
    added = 0
    for suffix, name in TOWNS:
        code = DISTRICT_CODE + suffix
        if code not in existing:
            session.add(Town(code=code, name=name, active=True))
            added += 1
    return added


def _seed_departments(session: Session) -> tuple[dict[str, Department], int]:
    by_name = {d.name: d for d in session.scalars(sa.select(Department))}
    added = 0
    for order, row in enumerate(DEPARTMENTS, start=1):
        if row.name in by_name:
            continue
        department = Department(
            name=row.name, short_name=row.short_name, contact_name=row.contact_name,
            contact_phone=row.contact_phone, address=row.address,
            runs_window=row.name == WINDOW_DEPARTMENT, active=True, sort_order=order * 10,
        )
        session.add(department)
        by_name[row.name] = department
        added += 1
    return by_name, added


def _seed_catalogue(session: Session, departments: dict[str, Department]) -> int:
    by_name = {item.name: item for item in session.scalars(sa.select(ApprovalItem))}
    new: list[ApprovalItem] = []
    for order, entry in enumerate(CATALOGUE, start=1):
        if entry.name in by_name:
            continue
        item = _approval_item(entry, departments[entry.department], order * 10)
        session.add(item)
        by_name[entry.name] = item
        new.append(item)
    for item in new:  # a new item's prerequisites, by name
        item.prerequisites = [by_name[name] for name in PREREQUISITES.get(item.name, ())
                              if name in by_name]
    return len(new)


def _approval_item(entry: CatalogueEntry, department: Department, sort_order: int) -> ApprovalItem:
    item = ApprovalItem(
        name=entry.name, stage=entry.stage, department=department,
        promised_days=entry.promised_days, legal_days=entry.legal_days, limit_is_default=True,
        is_intermediary=entry.is_intermediary, description=entry.description, active=True,
        sort_order=sort_order, alternative_group=entry.alternative_group,
        investment_kind=entry.investment_kind,
        statutory_fees="\n".join(STATUTORY_FEES.get(entry.name, ())) or None,
    )
    for position, (name, required, copies) in enumerate(material_rows(entry), start=1):
        item.materials.append(
            ItemMaterial(name=name, required=required, copies=copies, sort_order=position)
        )
    return item
