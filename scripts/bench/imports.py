"""The Excel import at scale (R-18.1): a workbook of ``rows`` units, checked (dry run) and
imported into an empty, migrated database, then imported again (nothing changes).

Times the whole run as the screen and ``flask import`` do it: reading the workbook in
openpyxl's read-only mode, every cell through the form validators, the upserts, the audit
row and the commit. The issue's bar: 20,000 units in under a minute on the build machine.
"""
from __future__ import annotations

import io
import time
from dataclasses import dataclass
from typing import Any

from bench import database


@dataclass
class ImportFigure:
    """Seconds for one workbook: dry run, import, and the same file imported again."""

    database: str
    rows: int
    size_bytes: int
    dry_run_s: float
    import_s: float
    again_s: float
    created: int
    unchanged_again: int


def units_workbook(rows: int) -> bytes:
    """``rows`` valid units (credit codes with their check character), Chinese headers."""
    from flask_babel import force_locale
    from openpyxl import Workbook

    from app.domain.validators import credit_code_check_char
    from app.imports import units

    workbook = Workbook(write_only=True)
    with force_locale("zh"):
        sheet = workbook.create_sheet(str(units.SHEET.title))
        sheet.append([str(c.header) for c in units.COLUMNS])
        for n in range(rows):
            first17 = f"91441702MA{n:07d}"
            sheet.append([f"阳江市江城区基准建设公司{n:06d}", first17 + credit_code_check_char(first17),
                          f"江城区东风路{n}号", "企业", "王总", "总经理", "13900139000",
                          "陈经办", None, "13700137000", f"u{n}@example.com"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(url: str, rows: int, kind: str = "sqlite", progress: Any = print) -> ImportFigure:
    """Time the import of ``rows`` units into the empty database of ``url`` (rebuilt)."""
    database._reset(url)
    app = database.make_app(url)
    with app.app_context():
        from flask_migrate import upgrade

        from app.clock import office_today
        from app.domain.workdays import load_calendar
        from app.extensions import db
        from app.imports import units
        from app.imports.run import run_import

        upgrade(revision="heads")
        data = units_workbook(rows)
        progress(f"  {rows:,} units, {len(data) / 1024 / 1024:.1f} MB workbook")

        def timed(dry_run: bool):
            started = time.perf_counter()
            report = run_import(db.session, units.KIND, data, filename="bench.xlsx",
                                actor=None, actor_name="bench", today=office_today(),
                                cal=load_calendar(db.session), config=app.config,
                                dry_run=dry_run)
            db.session.commit()
            assert report.ok, report.file_problems or report.refused[:3]
            return time.perf_counter() - started, report

        dry, _ = timed(True)
        first, report = timed(False)
        again, second = timed(False)
        db.session.remove()
        db.engine.dispose()
    return ImportFigure(kind, rows, len(data), dry, first, again, report.counts["create"],
                        second.counts["unchanged"])


def line(figure: ImportFigure) -> str:
    """The benchmark line (README)."""
    return (f"Excel import, {figure.rows:,} units ({figure.database}, "
            f"{figure.size_bytes / 1024 / 1024:.1f} MB): dry run {figure.dry_run_s:.1f} s, "
            f"import {figure.import_s:.1f} s ({figure.created:,} created), the same file "
            f"again {figure.again_s:.1f} s ({figure.unchanged_again:,} unchanged)")
