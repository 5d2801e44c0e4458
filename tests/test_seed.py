"""The seed command and loaders: reference data, idempotence, determinism, the CLI.

The demo district's contents are checked in test_seed_demo.py on one shared load.
"""
from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from app.domain.validators import check_phone
from app.extensions import db
from app.models import (
    ApprovalItem,
    Commission,
    CommissionItem,
    Department,
    Project,
    StaffMember,
    Town,
    Unit,
    metadata,
)
from app.seed import DEMO_ANCHOR, seed_demo, seed_reference
from app.seed.catalogue import CATALOGUE

ANCHOR = DEMO_ANCHOR


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def all_rows(model) -> list:
    return list(db.session.scalars(sa.select(model)))


def table_counts() -> dict[str, int]:
    """Rows per domain table (FAB's ab_* tables excluded)."""
    return {
        t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t))
        for t in metadata.sorted_tables if not t.name.startswith("ab_")
    }


# ---------------------------------------------------------------- reference data
def test_reference_seed_towns_departments_catalogue(ctx):
    """R-1.3, R-2.1, R-2.4, R-1.4: 12 towns, 14 departments with contacts, the catalogue."""
    summary = seed_reference(db.session)
    assert (summary.towns, summary.departments) == (12, 14)
    towns = all_rows(Town)
    assert len(towns) == 12 and all(re.fullmatch(r"441702\d{3}", t.code) for t in towns)
    assert {"南恩街道", "闸坡镇", "双捷镇"} <= {t.name for t in towns}

    departments = all_rows(Department)
    assert len(departments) == 14
    assert all(d.contact_name and check_phone(d.contact_phone) is None for d in departments)
    window = [d for d in departments if d.runs_window]
    assert [d.name for d in window] == ["区政务服务数据管理局"]

    items = all_rows(ApprovalItem)
    assert len(items) == len(CATALOGUE) == 37
    assert all(i.limit_is_default and i.promised_days >= 0 for i in items)
    assert all(2 <= len(i.materials) <= 5 for i in items)
    by_name = {i.name: i for i in items}
    assert by_name["建筑工程施工许可证核发"].department.name == "区住房和城乡建设局"
    assert by_name["建筑工程施工许可证核发"].promised_days == 3
    assert by_name["建筑工程施工许可证核发"].legal_days == 7
    assert by_name["特殊建设工程消防设计审查"].legal_days == 15
    assert by_name["环境影响报告书审批"].legal_days == 60
    assert by_name["企业投资项目核准"].legal_days == 20


def test_reference_intermediary_services_are_not_delegable(ctx):
    """R-1.4: the 4 intermediary services are in the catalogue, marked, not delegable."""
    from app.domain.scope import delegable_items

    seed_reference(db.session)
    intermediary = db.session.scalars(
        sa.select(ApprovalItem.name).where(ApprovalItem.is_intermediary.is_(True))).all()
    assert set(intermediary) == {"环境影响评价文件编制", "施工图设计文件审查（审图机构）", "工程勘察", "测绘"}
    assert not set(intermediary) & {i.name for i in delegable_items(db.session)}
    assert len(delegable_items(db.session)) == 33


def test_reference_seed_is_idempotent_and_keeps_edits(ctx):
    """Running the reference seed again adds nothing and leaves edited rows alone."""
    seed_reference(db.session)
    item = db.session.scalars(sa.select(ApprovalItem).where(ApprovalItem.name == "供水报装")).one()
    item.promised_days, item.limit_is_default = 2, False
    db.session.flush()
    before = table_counts()
    assert seed_reference(db.session).added == 0
    assert table_counts() == before
    assert (item.promised_days, item.limit_is_default) == (2, False)


# ---------------------------------------------------------------- idempotence
def test_demo_is_idempotent_and_deterministic(ctx):
    """Running the demo seed twice changes nothing; a fresh run gives the same data."""
    assert seed_demo(db.session, ANCHOR) is True
    before = table_counts()
    snapshot = _snapshot()
    assert seed_demo(db.session, ANCHOR) is False
    assert table_counts() == before

    db.session.rollback()
    assert count(Commission) == 0
    assert seed_demo(db.session, ANCHOR) is True
    assert _snapshot() == snapshot


def _snapshot() -> list[tuple]:
    """The facts that must come out the same from the same anchor."""
    commissions = db.session.execute(
        sa.select(Project.project_code, Unit.credit_code, Commission.application_no,
                  Commission.state, Commission.applied_on, Commission.contacted_on,
                  Commission.completed_on, Commission.terminated_on, StaffMember.name)
        .join(Project, Commission.project_id == Project.id).join(Unit)
        .outerjoin(StaffMember, Commission.coordinator_id == StaffMember.id)
        .order_by(Project.project_code, Commission.applied_on, Commission.application_no)
    )
    items = db.session.execute(
        sa.select(Project.project_code, ApprovalItem.name, CommissionItem.attempt,
                  CommissionItem.state, CommissionItem.due_on, CommissionItem.decided_on)
        .join(Commission, CommissionItem.commission_id == Commission.id)
        .join(Project, Commission.project_id == Project.id).join(ApprovalItem)
        .order_by(Project.project_code, ApprovalItem.name, CommissionItem.attempt,
                  CommissionItem.due_on)
    )
    return [tuple(r) for r in commissions] + [tuple(r) for r in items]


# ---------------------------------------------------------------- the command
def test_seed_command(app):
    """`flask seed`, `--demo` (twice: idempotent) and `--if-empty` through the CLI runner."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "reference data ready" in result.output
    with app.app_context():
        assert (count(Town), count(Department), count(Commission)) == (12, 14, 0)

    result = runner.invoke(args=["seed", "--demo", "--if-empty"])
    assert result.exit_code == 0 and "demo district created" in result.output
    with app.app_context():
        before = table_counts()
        assert before["commission"] == 60

    result = runner.invoke(args=["seed", "--demo"])
    assert result.exit_code == 0 and "already present" in result.output
    result = runner.invoke(args=["seed", "--demo", "--if-empty"])
    assert result.exit_code == 0 and result.output == ""
    with app.app_context():
        assert table_counts() == before


def test_demo_with_another_anchor(ctx):
    """Any anchor works: a Sunday in another year gives a consistent demo before it."""
    from app.domain.sweep import mark_overdue, recompute_deadlines
    from app.domain.workdays import load_calendar
    from app.models import CommissionStateChange, WorkLogEntry

    anchor = dt.date(2027, 5, 9)   # a Sunday, in a year chinesecalendar does not cover
    assert seed_demo(db.session, anchor) is True
    db.session.flush()
    latest = db.session.scalar(sa.select(sa.func.max(WorkLogEntry.logged_on)))
    assert latest <= anchor
    changed = db.session.scalar(sa.select(sa.func.max(CommissionStateChange.changed_at)))
    assert changed.date() <= anchor
    assert count(Commission) == 60
    assert recompute_deadlines(db.session, today=anchor, cal=load_calendar(db.session)) == 0
    assert mark_overdue(db.session, anchor) == (0, 0)
