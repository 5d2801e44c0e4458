"""R-18.1: importing the approval catalogue (with its departments) from Excel."""
from __future__ import annotations

import sqlalchemy as sa

from app.choices import InvestmentKind, Stage
from app.extensions import db
from app.imports import catalogue
from app.models import ApprovalItem, Department, ItemMaterial
from tests import factories as f
from tests.import_books import book, problems, run


def dept_row(**kw):
    row = {"name": "区发展和改革局", "contact_name": "李专人", "contact_phone": "0662-3312345",
           "runs_window": "否"}
    row.update(kw)
    return row


def item_row(**kw):
    row = {"code": "S1-001", "name": "企业投资项目备案", "stage": "第一阶段：立项用地规划许可",
           "department": "区发展和改革局", "promised_days": 1, "legal_days": 5,
           "alternative_group": "立项", "investment_kind": "社会投资",
           "materials": "备案申请表；营业执照\n?项目情况说明"}
    row.update(kw)
    return row


def test_catalogue_import_with_departments_and_materials_is_idempotent(ctx):
    """R-18.1: departments and items are created (materials with their required flag), a
    second import of the same file changes nothing."""
    data = book(catalogue.KIND, {"departments": [dept_row()],
                                 "items": [item_row(), item_row(code="S1-002", name="核准",
                                                                materials=None)]})
    report = run(catalogue.KIND, data)
    assert report.ok, problems(report)
    assert report.counts["create"] == 3
    item = db.session.scalar(sa.select(ApprovalItem).where(ApprovalItem.code == "S1-001"))
    assert item.stage == Stage.s1 and item.department.name == "区发展和改革局"
    assert item.alternative_group == "立项" and item.investment_kind == InvestmentKind.social
    assert [(m.name, m.required) for m in item.materials] == [
        ("备案申请表", True), ("营业执照", True), ("项目情况说明", False)]
    again = run(catalogue.KIND, data)
    assert again.counts["unchanged"] == 3, [(r.row, r.detail) for r in again.rows]


def test_catalogue_item_without_code_gets_it_and_updates(ctx):
    """R-18.1: an item recorded before codes existed is found by name and gets its code."""
    dept = f.department(name="区发展和改革局")
    f.approval_item(name="企业投资项目备案", dept=dept, days=3)
    db.session.commit()
    report = run(catalogue.KIND, book(catalogue.KIND, {"items": [item_row()]}))
    assert report.ok, problems(report)
    assert report.counts["update"] == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApprovalItem)) == 1
    item = db.session.scalar(sa.select(ApprovalItem))
    assert item.code == "S1-001" and item.promised_days == 1


def test_catalogue_bad_rows_refused_and_nothing_saved(ctx):
    """R-18.1: an unknown department, a negative limit, an unknown stage, a duplicate code
    and a bad phone on the departments sheet are refused; nothing is saved."""
    report = run(catalogue.KIND, book(catalogue.KIND, {
        "departments": [dept_row(), dept_row(name="区气象局", contact_phone="123")],
        "items": [item_row(), item_row(code="S1-002", name="乙", department="不存在局"),
                  item_row(code="S1-003", name="丙", promised_days=-1),
                  item_row(code="S1-004", name="丁", stage="第九阶段"),
                  item_row(name="戊")]}))
    found = {(r.sheet, r.row): " ".join(r.problems) for r in report.refused}
    assert set(found) == {("departments", 3), ("items", 3), ("items", 4), ("items", 5),
                          ("items", 6)}
    assert "不存在局" in found[("items", 3)]
    assert "工作日" in found[("items", 4)]
    assert "第 2 行" in found[("items", 6)]
    for model in (Department, ApprovalItem, ItemMaterial):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0


def test_catalogue_prerequisites_may_name_later_rows_and_circles_are_refused(ctx):
    """R-18.1 with R-5.5: prerequisites are item codes, of the database or of any row of the
    file; an unknown code or a circle is refused (the catalogue screen's own check)."""
    data = book(catalogue.KIND, {"departments": [dept_row()], "items": [
        item_row(code="S3-001", name="施工许可", prerequisites="S2-001；S2-002"),
        item_row(code="S2-001", name="施工图审查", prerequisites=None),
        item_row(code="S2-002", name="工程规划许可", prerequisites=None)]})
    report = run(catalogue.KIND, data)
    assert report.ok, problems(report)
    item = db.session.scalar(sa.select(ApprovalItem).where(ApprovalItem.code == "S3-001"))
    assert sorted(p.code for p in item.prerequisites) == ["S2-001", "S2-002"]
    assert run(catalogue.KIND, data).counts["unchanged"] == 4
    circle = run(catalogue.KIND, book(catalogue.KIND, {"items": [
        item_row(code="S2-001", name="施工图审查", prerequisites="S3-001"),
        item_row(code="S2-002", name="工程规划许可", prerequisites="X-404")]}))
    texts = " ".join(problems(circle))
    assert "循环" in texts and "X-404" in texts
    db.session.expire_all()
    assert item.prerequisites and not db.session.scalar(
        sa.select(ApprovalItem).where(ApprovalItem.code == "S2-001")).prerequisites


def test_catalogue_statutory_fees_import_one_per_line_R_18_1_R_3_1(ctx):
    """R-18.1, R-3.1: the statutory fee names come in one cell ("；" or new lines) and are
    kept one per line, as the catalogue screen keeps them; the fee notice reads them; an
    emptied cell empties the list, and a re-import of the same list changes nothing."""
    fees = "城市基础设施配套费；防空地下室易地建设费\n 水土保持补偿费 "
    report = run(catalogue.KIND, book(catalogue.KIND, {
        "departments": [dept_row()], "items": [item_row(statutory_fees=fees)]}))
    assert report.ok, problems(report)
    item = db.session.scalar(sa.select(ApprovalItem).where(ApprovalItem.code == "S1-001"))
    assert item.statutory_fees == "城市基础设施配套费\n防空地下室易地建设费\n水土保持补偿费"
    assert item.fee_types == ["城市基础设施配套费", "防空地下室易地建设费", "水土保持补偿费"]
    again = run(catalogue.KIND, book(catalogue.KIND, {"items": [item_row(statutory_fees=fees)]}))
    assert again.counts["unchanged"] == 1, [(r.row, r.detail) for r in again.rows]
    emptied = run(catalogue.KIND, book(catalogue.KIND, {"items": [item_row(statutory_fees=None)]}))
    assert emptied.ok and emptied.counts["update"] == 1
    db.session.expire_all()
    item = db.session.scalar(sa.select(ApprovalItem).where(ApprovalItem.code == "S1-001"))
    assert item.statutory_fees is None and item.fee_types == []
