"""R-18.1: importing units and projects from Excel — templates, the dry run, validators,
duplicates within the file, upsert on natural keys (a second import changes nothing), a
failed import changing nothing, the audit row and the command line."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.extensions import db
from app.imports import projects, units
from app.imports.cli import import_command
from app.imports.spec import Action
from app.imports.workbooks import write_report, write_template
from app.models import AuditLog, Project, Unit
from tests import factories as f
from tests.import_books import book, problems, run

CODE_A = "91441702MA4UA0000X"
CODE_B = "91441702MA4UB0000Y"


def _fix(code17: str) -> str:
    from app.domain.validators import credit_code_check_char

    return code17 + credit_code_check_char(code17)


GOOD_A, GOOD_B = _fix(CODE_A[:17]), _fix(CODE_B[:17])


def unit_row(**kw):
    row = {"name": "阳江市甲建设有限公司", "credit_code": GOOD_A, "address": "江城区东风路1号",
           "nature": "企业", "leader_name": "王总", "leader_phone": "13900139000",
           "handler_name": "陈经办", "handler_phone": "13700137000",
           "email": "jia@example.com"}
    row.update(kw)
    return row


def project_row(**kw):
    row = {"project_code": "2026-441702-70-03-012345", "name": "甲项目",
           "unit_credit_code": GOOD_A, "address": "江城区南恩路1号", "town": "南恩街道",
           "construction_kind": "新建", "investment_kind": "社会投资",
           "total_investment": 1200.5, "is_special_project": "否"}
    row.update(kw)
    return row


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_units_import_creates_then_second_import_changes_nothing(ctx):
    """R-18.1: good rows are created; importing the same file again changes nothing; a
    changed cell updates the unit found by its credit code."""
    data = book(units.KIND, {"units": [unit_row(), unit_row(name="乙公司", credit_code=GOOD_B)]})
    first = run(units.KIND, data)
    assert first.ok and first.committed
    assert first.counts["create"] == 2
    assert count(Unit) == 2
    again = run(units.KIND, data)
    assert again.counts["unchanged"] == 2 and again.counts["create"] == 0
    changed = run(units.KIND, book(units.KIND, {"units": [unit_row(handler_phone="13600136000")]}))
    assert changed.counts["update"] == 1
    assert changed.rows[0].detail  # names the changed column
    unit = db.session.scalar(sa.select(Unit).where(Unit.credit_code == GOOD_A))
    assert unit.handler_phone == "13600136000"


def test_units_dry_run_changes_nothing_and_is_audited(ctx):
    """R-18.1: a dry run checks every row and saves nothing; every run is audited with the
    file's hash and counts."""
    report = run(units.KIND, book(units.KIND, {"units": [unit_row()]}), dry_run=True)
    assert report.ok and not report.committed
    assert report.rows[0].action == Action.create
    assert count(Unit) == 0
    audit = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "import")).all()
    assert len(audit) == 1
    assert audit[0].detail["sha256"] == report.sha256
    assert audit[0].detail["counts"]["create"] == 1
    assert audit[0].detail["dry_run"] is True


@pytest.mark.parametrize("cells, column", [
    ({"credit_code": "91441702MA4UA00001"}, "统一社会信用代码"),
    ({"credit_code": "123"}, "统一社会信用代码"),
    ({"leader_phone": "12345"}, "联络方式"),
    ({"email": "not-an-address"}, "电子邮箱"),
    ({"nature": "公司"}, "单位性质"),
    ({"name": None}, "单位名称"),
    ({"address": "址" * 201}, "单位地址"),
    ({"leader_title": "长" * 51}, "职务"),
])
def test_units_bad_rows_refused_in_chinese_and_nothing_saved(ctx, cells, column):
    """R-18.1: each validator of the unit form refuses its cell, in Chinese, naming the
    column; with one refused row the import saves none of the rows (all or nothing)."""
    data = book(units.KIND, {"units": [unit_row(name="好单位", credit_code=GOOD_B),
                                       unit_row(**cells)]})
    report = run(units.KIND, data)
    assert not report.ok and not report.committed
    refused = report.refused
    assert [r.row for r in refused] == [3]
    assert any(column in p for p in refused[0].problems), refused[0].problems
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in p) for p in refused[0].problems)
    assert count(Unit) == 0


def test_cells_refuse_what_no_screen_accepts(ctx):
    """R-18.1 with R-14.9: a cell with a NUL or control character, a date out of range or a
    NaN amount is refused with the screens' message."""
    from app.domain.validators import check_amount
    from app.imports import cells
    from app.imports.spec import CellError

    for parse, value in ((cells.text(50), "东风路\x001号"), (cells.date, "1800-01-01"),
                         (cells.date, "2026-02-30"), (cells.amount(check_amount), "NaN"),
                         (cells.amount(check_amount), -1), (cells.integer(), "3.5"), (cells.integer(), 10**9),
                         (cells.yes_no, "也许")):
        with pytest.raises(CellError):
            parse(value)
    assert cells.date("2026年3月2日").isoformat() == "2026-03-02"


def test_units_duplicates_within_the_file_are_refused(ctx):
    """R-18.1: a credit code (or name) twice in the file: the second row is refused, naming
    the first."""
    report = run(units.KIND, book(units.KIND, {"units": [
        unit_row(), unit_row(name="另一个名称"), unit_row(credit_code=GOOD_B)]}))
    assert [r.row for r in report.refused] == [3, 4]
    assert "第 2 行" in report.refused[0].problems[0]
    assert count(Unit) == 0


def test_unit_credit_code_of_one_unit_and_name_of_another_is_refused(ctx):
    """R-18.1: upsert on the credit code never silently merges two recorded units."""
    f.unit(name="已有甲", credit_code=GOOD_A)
    f.unit(name="已有乙", credit_code=GOOD_B)
    db.session.commit()
    report = run(units.KIND, book(units.KIND, {"units": [unit_row(name="已有乙")]}))
    assert "已有甲" in problems(report)[0]


def test_template_has_headers_example_lists_and_notes_and_its_example_is_skipped(ctx, tmp_path):
    """R-18.1: the template has the Chinese headers (required ones marked), an example row,
    drop-down lists for enumerations and a notes sheet; imported untouched it creates
    nothing."""
    target = tmp_path / "units.xlsx"
    write_template(units.KIND, target)
    workbook = load_workbook(target)
    sheet = workbook["建设单位"]
    headers = [c.value for c in sheet[1]]
    assert "单位名称*" in headers and "统一社会信用代码" in headers
    assert sheet.cell(row=2, column=1).value == "阳江市示例建设有限公司"
    lists = [dv.formula1 for dv in sheet.data_validations.dataValidation]
    assert any("企业" in formula and "事业" in formula for formula in lists), lists
    assert "填写说明" in workbook.sheetnames
    notes = " ".join(str(c.value) for row in workbook["填写说明"].iter_rows() for c in row
                     if c.value)
    assert "统一社会信用代码" in notes and "试运行" in notes
    report = run(units.KIND, target.read_bytes())
    assert report.ok and report.counts["skip"] == 1 and count(Unit) == 0


def test_not_a_workbook_is_a_chinese_file_problem(ctx):
    """R-18.1: a file that is no .xlsx is refused as a whole, in Chinese; nothing changes."""
    report = run(units.KIND, b"PK\x03\x04 not really a zip")
    assert not report.ok
    assert "Excel" in report.file_problems[0] and "未作任何修改" in report.file_problems[0]


def test_missing_required_column_is_a_file_problem(ctx):
    """R-18.1: a sheet without a required column is refused, naming the column."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["单位名称", "单位地址"])
    workbook.active.append(["某单位", "某地址"])
    out = io.BytesIO()
    workbook.save(out)
    report = run(units.KIND, out.getvalue())
    assert "单位性质" in report.file_problems[0]


def test_projects_reference_units_of_the_file_or_the_database(ctx):
    """R-18.1: a project names its unit by credit code or name, from the database or the
    file's units sheet; an unknown unit or town and a bad project code are refused; a
    second import changes nothing."""
    f.town()
    f.unit(name="库中单位", credit_code=GOOD_B)
    db.session.commit()
    data = book(projects.KIND, {
        "units": [unit_row()],
        "projects": [project_row(),
                     project_row(project_code="2026-441702-70-03-012346", name="乙项目",
                                 unit_credit_code=None, unit_name="库中单位")]})
    report = run(projects.KIND, data)
    assert report.ok, problems(report)
    assert report.counts["create"] == 3
    assert count(Project) == 2
    assert run(projects.KIND, data).counts["unchanged"] == 3
    bad = run(projects.KIND, book(projects.KIND, {"projects": [
        project_row(project_code="2026-44170-70-03-012345"),
        project_row(project_code="2026-441702-70-03-000001", unit_credit_code=None,
                    unit_name="不存在的单位"),
        project_row(project_code="2026-441702-70-03-000002", town="火星街道"),
        project_row(project_code="2026-441702-70-03-000003", investment_kind="外资"),
    ]}))
    texts = [" ".join(r.problems) for r in bad.refused]
    assert len(texts) == 4
    assert "项目代码" in texts[0]
    assert "不存在的单位" in texts[1]
    assert "火星街道" in texts[2]
    assert "投资" in texts[3]
    assert count(Project) == 2


def test_report_workbook_has_a_problems_column(ctx, tmp_path):
    """R-18.1: the dry run's report downloads as .xlsx: each row with its row number, its
    result and a problems column."""
    report = run(units.KIND, book(units.KIND, {"units": [unit_row(), unit_row(email="x")]}),
                 dry_run=True)
    target = tmp_path / "report.xlsx"
    write_report(report, target)
    sheet = load_workbook(target)["建设单位"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["行号", "处理结果", "变更内容", "问题"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == 2 and rows[0][1] == "新增"
    assert rows[1][0] == 3 and rows[1][1] == "拒绝" and "电子邮箱" in rows[1][3]


def test_cli_import_names_refused_rows_and_exits_non_zero(app, tmp_path):
    """R-18.1: `flask import units FILE --dry-run` prints the report naming refused rows by
    sheet row number and exits non-zero; `--template FILE` writes the template; a clean
    file imports."""
    runner = app.test_cli_runner()
    template = tmp_path / "t.xlsx"
    result = runner.invoke(import_command, ["units", "--template", str(template)])
    assert result.exit_code == 0 and template.exists()
    with app.app_context():
        bad = book(units.KIND, {"units": [unit_row(), unit_row(credit_code="X")]})
        good = book(units.KIND, {"units": [unit_row()]})
    (tmp_path / "bad.xlsx").write_bytes(bad)
    (tmp_path / "good.xlsx").write_bytes(good)
    result = runner.invoke(import_command, ["units", str(tmp_path / "bad.xlsx"), "--dry-run"])
    assert result.exit_code == 1
    assert "第3行" in result.output and "统一社会信用代码" in result.output
    result = runner.invoke(import_command, ["units", str(tmp_path / "good.xlsx")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert count(Unit) == 1


@pytest.mark.parametrize("key", ["units", "projects", "staff", "catalogue", "commissions"])
def test_every_template_reads_back_with_its_example_skipped(ctx, tmp_path, key):
    """R-18.1: each kind's template, uploaded untouched, is read without a file problem: its
    headers are the import's own and its example rows are skipped, nothing is created."""
    from app import imports

    kind = imports.kind(key)
    target = tmp_path / f"{key}.xlsx"
    write_template(kind, target)
    report = run(kind, target.read_bytes(), dry_run=True)
    assert not report.file_problems, report.file_problems
    assert {r.action for r in report.rows} == {Action.skip}, [
        (r.sheet, r.row, r.problems) for r in report.rows]
    assert len(report.rows) == len(kind.sheets)


def test_projects_and_commissions_duplicates_within_the_file(ctx):
    """R-18.1: a project code or an application number twice in one file: the second row is
    refused, naming the first; nothing is saved."""
    from app.imports import commissions

    f.town()
    f.unit(name="库中单位", credit_code=GOOD_B)
    db.session.commit()
    report = run(projects.KIND, book(projects.KIND, {"projects": [
        project_row(unit_credit_code=GOOD_B), project_row(unit_credit_code=GOOD_B)]}))
    assert [r.row for r in report.refused] == [3] and "第 2 行" in problems(report)[0]
    report = run(commissions.KIND, book(commissions.KIND, {"commissions": [
        {"application_no": "JCXB-2025-0001", "project_code": "2026-441702-70-03-012345",
         "state": "已受理", "applied_on": "2025-03-03"}] * 2}))
    assert 3 in [r.row for r in report.refused]
    assert count(Project) == 0
