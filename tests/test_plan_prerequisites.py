"""R-5.5: the plan follows prerequisites between catalogue items (within and across stages),
shows its critical path and the project's planned total in working days."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from app.choices import Stage
from app.documents import archive
from app.domain import planning
from app.domain.planning import catalogue_order, critical_path, plan_offsets
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.models import ApprovalItem, DocumentKind
from app.seed.catalogue import PREREQUISITES
from app.seed.reference import seed_reference
from app.states import CommissionState
from tests import factories as f
from tests.pdf_helpers import assert_in_order, pdf_text

D = dt.date.fromisoformat
CAL = WorkCalendar()


def _item(pk, name, stage, days, order, needs=()):
    item = ApprovalItem(id=pk, name=name, stage=stage, promised_days=days, sort_order=order)
    item.prerequisites = list(needs)
    return item


def _lay(items, fixed=None):
    offsets = plan_offsets(items, stage=lambda i: i.stage, days=lambda i: i.promised_days,
                           key=catalogue_order, fixed=fixed,
                           prerequisites=planning.catalogue_prerequisites)
    path = critical_path(offsets, stage=lambda i: i.stage,
                         prerequisites=planning.catalogue_prerequisites, fixed=fixed or {})
    return offsets, [i.name for i in path]


def test_items_start_after_their_prerequisites_within_and_across_stages():
    """R-5.5: 施工许可 starts the working day after 施工图审查's planned end (same stage),
    建设用地规划许可 after 用地预审; items without prerequisites keep the stage rule."""
    land = _item(1, "用地预审与选址意见书", Stage.s1, 10, 1)
    eia = _item(2, "环境影响报告表审批", Stage.s1, 7, 2)
    land_plan = _item(3, "建设用地规划许可证", Stage.s1, 5, 3, [land])
    design = _item(4, "建设工程设计方案审查", Stage.s2, 10, 1, [land_plan])
    works_plan = _item(5, "建设工程规划许可证", Stage.s2, 5, 2, [design])
    drawings = _item(6, "施工图联合审查", Stage.s3, 15, 1)
    lightning = _item(7, "雷电防护装置设计审核", Stage.s3, 5, 2)
    permit = _item(8, "建筑工程施工许可证核发", Stage.s3, 3, 3, [drawings, works_plan])
    water = _item(9, "供水报装", Stage.parallel, 3, 1)
    offsets, path = _lay([water, permit, lightning, drawings, works_plan, design, land_plan,
                          eia, land])
    assert list(offsets) == [land, eia, land_plan, design, works_plan, drawings, lightning,
                             permit, water]
    assert offsets[land] == (0, 10) and offsets[eia] == (0, 7)
    assert offsets[land_plan] == (11, 16)                    # after 用地预审, same stage
    assert offsets[design] == (17, 27) and offsets[works_plan] == (28, 33)
    assert offsets[drawings] == (34, 49) and offsets[lightning] == (34, 39)
    assert offsets[permit] == (50, 53)                       # after 施工图审查, not with it
    assert offsets[water] == (34, 37)                        # alongside stage 3
    assert path == ["用地预审与选址意见书", "建设用地规划许可证", "建设工程设计方案审查",
                    "建设工程规划许可证", "施工图联合审查", "建筑工程施工许可证核发"]


def test_a_prerequisite_outside_the_plan_is_ignored_and_a_decided_one_counts_as_planned():
    """R-5.5: a prerequisite the commission does not delegate does not hold the item back;
    one already decided holds it back to the day after its real end."""
    drawings = _item(1, "施工图联合审查", Stage.s3, 15, 1)
    permit = _item(2, "建筑工程施工许可证核发", Stage.s3, 3, 2, [drawings])
    offsets, path = _lay([permit])
    assert offsets[permit] == (0, 3) and path == ["建筑工程施工许可证核发"]
    offsets, path = _lay([drawings, permit], fixed={drawings: (0, 20)})
    assert offsets[permit] == (21, 24)
    assert path == ["施工图联合审查", "建筑工程施工许可证核发"]


def _commission_with(items, project=None):
    """Contacted on 2025-10-09 (accepted and assigned on 2025-09-30): ready for its plan."""
    return f.case(CommissionState.planning, items=items, project=project, on=D("2025-09-30"),
                  contacted_on=D("2025-10-09"))


def test_drafted_plan_stores_the_critical_path_and_the_planned_total(ctx):
    """R-5.5: a drafted plan version marks its critical steps and stores the planned total;
    the plan screen shows both."""
    drawings = f.approval_item(Stage.s3, 15, name="施工图联合审查", sort_order=1)
    fire = f.approval_item(Stage.s3, 10, name="特殊建设工程消防设计审查", sort_order=2)
    permit = f.approval_item(Stage.s3, 3, name="建筑工程施工许可证核发", sort_order=3)
    permit.prerequisites = [drawings, fire]
    commission = _commission_with([permit, fire, drawings])
    plan = planning.draft_plan(db.session, commission, start=D("2025-10-13"),
                               drafted_on=D("2025-10-09"), cal=CAL)
    steps = {s.approval_item.name: s for s in plan.steps}
    assert steps["施工图联合审查"].planned_submit_on == D("2025-10-13")
    assert steps["施工图联合审查"].planned_done_on == D("2025-11-03")
    assert steps["建筑工程施工许可证核发"].planned_submit_on == D("2025-11-04")
    assert steps["建筑工程施工许可证核发"].planned_done_on == D("2025-11-07")
    assert {n for n, s in steps.items() if s.critical} == {"施工图联合审查", "建筑工程施工许可证核发"}
    assert plan.total_days == CAL.between(D("2025-10-13"), D("2025-11-07")) == 19


def test_plan_screen_and_pdf_show_critical_path_and_total(app, client, tmp_path, monkeypatch):
    """R-5.5: the plan's screen and its 审批进度计划表 show the planned total in working days
    and the critical path."""
    monkeypatch.setitem(app.config, "DOCUMENTS_DIR", str(tmp_path / "documents"))
    with app.app_context():
        land = f.approval_item(Stage.s1, 10, name="用地预审与选址意见书", sort_order=1)
        land_plan = f.approval_item(Stage.s1, 5, name="建设用地规划许可证", sort_order=2)
        land_plan.prerequisites = [land]
        eia = f.approval_item(Stage.s1, 7, name="环境影响报告表审批", sort_order=3)
        commission = _commission_with([land, land_plan, eia])
        plan = planning.draft_plan(db.session, commission, start=D("2025-10-13"),
                                   drafted_on=D("2025-10-09"), cal=CAL)
        db.session.commit()
        assert plan.total_days == 16
        plan_id = plan.id
        document, _created = archive.issue(db.session, DocumentKind.approval_plan, commission,
                                           plan)
        db.session.commit()
        text = pdf_text(archive.file_of(document).read_bytes())
    assert_in_order(text, ["用地预审与选址意见书", "关键路径", "建设用地规划许可证", "关键路径",
                           "环境影响报告表审批", "计划总用时：16个工作日",
                           "关键路径：用地预审与选址意见书→建设用地规划许可证"])
    shown = client.get(f"/planversionview/show/{plan_id}").get_data(as_text=True)
    assert "16" in shown and ("计划总用时" in shown or "Planned total" in shown)


def test_seeded_catalogue_holds_the_real_prerequisites(ctx):
    """R-5.5: the reference seed links the real prerequisites (用地预审 → 用地规划许可; 设计方案
    审查 → 工程规划许可; 施工图审查 → 施工许可; 竣工联合验收 → 竣工验收备案; ...)."""
    seed_reference(db.session)
    items = {i.name: i for i in db.session.scalars(sa.select(ApprovalItem))}
    for item, before in [("建设用地规划许可证", "用地预审与选址意见书"),
                         ("建设工程规划许可证", "建设工程设计方案审查"),
                         ("建筑工程施工许可证核发", "施工图联合审查"),
                         ("竣工验收备案", "竣工联合验收")]:
        assert items[before] in items[item].prerequisites
    assert sum(len(i.prerequisites) for i in items.values()) == sum(
        len(v) for v in PREREQUISITES.values())


@pytest.mark.parametrize("loop", [1, 2])
def test_catalogue_screen_refuses_prerequisites_in_a_circle(app, client, loop):
    """R-5.5: an item cannot be its own prerequisite, directly or through a chain."""
    with app.app_context():
        first = f.approval_item(Stage.s1, 5, name="用地预审与选址意见书")
        second = f.approval_item(Stage.s1, 5, name="建设用地规划许可证")
        second.prerequisites = [first]
        db.session.commit()
        # loop 1: the item names itself; loop 2: 用地预审 after 用地规划许可, which needs it
        pk = first.id
        values = {"name": first.name, "stage": "s1", "department": str(first.department_id),
                  "promised_days": "5", "sort_order": "0",
                  "prerequisites": [str(first.id) if loop == 1 else str(second.id)]}
    response = client.post(f"/approvalitemview/edit/{pk}", data=values)
    assert response.status_code == 200
    assert "前置事项不能循环" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ApprovalItem, pk).prerequisites == []
