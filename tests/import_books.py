"""Building import workbooks for the R-18.1 tests: the kind's own headers, rows by key."""
from __future__ import annotations

import io
from typing import Any

from flask_babel import force_locale
from openpyxl import Workbook

from app.clock import office_today
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.imports.run import run_import


def book(kind: Any, sheets: dict[str, list[dict[str, Any]]], *, headers: dict | None = None
         ) -> bytes:
    """An .xlsx with a sheet per key of ``sheets`` (the kind's sheet keys), the Chinese
    headers of every column, and one row per dict (column key → cell value)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    with force_locale("zh"):
        for sheet in kind.sheets:
            if sheet.key not in sheets:
                continue
            worksheet = workbook.create_sheet(str(sheet.title))
            columns = list(sheet.columns)
            worksheet.append([str(c.header) for c in columns])
            for row in sheets[sheet.key]:
                unknown = set(row) - {c.key for c in columns}
                assert not unknown, unknown
                worksheet.append([row.get(c.key) for c in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(kind: Any, data: bytes, *, dry_run: bool = False, filename: str = "test.xlsx",
        cal: WorkCalendar | None = None):
    """Run the import as the screen does (admin-less, system actor) and commit."""
    from flask import current_app

    report = run_import(db.session, kind, data, filename=filename, actor=None,
                        actor_name="导入测试", today=office_today(), cal=cal or WorkCalendar(),
                        config=current_app.config, dry_run=dry_run)
    db.session.commit()
    return report


def problems(report) -> list[str]:
    """Every problem of every refused row, and the file's."""
    return report.file_problems + [p for r in report.refused for p in r.problems]
