"""Running an import (R-18.1): read the workbook, check every row, upsert, report.

The dry run and the import are the same run: every row is read with its columns' parsers,
duplicates within the file are refused, and each row is upserted on its natural key in the
session, so references to rows of the same file resolve as they will. A dry run then rolls
everything back; an import with any refused row (or a refusal by the database) rolls back
too — all rows or none. Only a clean import stays in the session, with its audit row, for
the caller to commit (app/views/transaction.py on the screen, the CLI itself).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Generator, Iterator

from flask_babel import force_locale
from flask_babel import lazy_gettext as _
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.audit import trail
from app.domain.errors import DomainError
from app.domain.workdays import WorkCalendar
from app.imports.spec import Action, CellError, Kind, RowResult, Sheet
from app.models.audit import AuditAction, AuditResult

log = logging.getLogger(__name__)

#: rows a sheet may hold (a district's records fit many times over)
MAX_ROWS = 100_000
#: progress is reported every this many rows
PROGRESS_EVERY = 200
NOTES_TITLE = _("Notes")
BAD_FILE = _("The file is not an Excel workbook (.xlsx) this system can read. Save it as "
             "“Excel 工作簿 (*.xlsx)” and upload it again; nothing was changed.")

REQUIRED = _("Fill in this column.")

Progress = Callable[[int, int], None]


class ImportFileError(DomainError):
    """The file as a whole cannot be imported (not a workbook, a sheet or column missing)."""


@dataclass
class Report:
    """What a run found and did: every row's result, and problems of the file itself."""

    kind: str
    filename: str
    sha256: str
    dry_run: bool
    headers: dict[str, list[str]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    rows: list[RowResult] = field(default_factory=list)
    file_problems: list[str] = field(default_factory=list)
    committed: bool = False

    @property
    def counts(self) -> dict[str, int]:
        """Rows by action code, every action present."""
        found = Counter(row.action.value for row in self.rows)
        return {action.value: found.get(action.value, 0) for action in Action}

    @property
    def refused(self) -> list[RowResult]:
        return [row for row in self.rows if row.action == Action.refuse]

    @property
    def ok(self) -> bool:
        """Nothing refused: the import may be (or was) carried out."""
        return not self.file_problems and not self.refused

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "filename": self.filename, "sha256": self.sha256,
                "dry_run": self.dry_run, "headers": self.headers, "titles": self.titles,
                "rows": [r.as_dict() for r in self.rows],
                "file_problems": self.file_problems, "committed": self.committed}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Report":
        report = cls(kind=data["kind"], filename=data["filename"], sha256=data["sha256"],
                     dry_run=data["dry_run"], headers=data["headers"], titles=data["titles"],
                     file_problems=list(data["file_problems"]), committed=data["committed"])
        report.rows = [RowResult.from_dict(r) for r in data["rows"]]
        return report


@dataclass
class ImportRun:
    """What an upsert may use: the session, who imports, today, the calendar, settings, and
    a cache per sheet (records by natural key, loaded once by the sheet's ``prepare``)."""

    session: Session
    actor: Any
    actor_name: str
    today: dt.date
    cal: WorkCalendar
    config: Any
    cache: dict[str, dict[Any, Any]] = field(default_factory=dict)
    #: the sheet row being upserted (for links a sheet's ``finish`` resolves)
    row: int = 0

    def table(self, name: str) -> dict[Any, Any]:
        """The cache ``name`` (created empty)."""
        return self.cache.setdefault(name, {})


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def header_text(value: Any) -> str:
    """A header cell as matched: stripped, without the template's required mark."""
    return str(value or "").strip().rstrip("*＊").strip()


def open_workbook(data: bytes) -> Any:
    """The workbook in ``data`` (read-only, values not formulas), or ImportFileError."""
    from openpyxl import load_workbook  # openpyxl only when importing

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # not a zip, not a workbook, a broken part: all the same to us
        log.info("import: unreadable workbook (%s)", exc)
        raise ImportFileError(BAD_FILE) from exc


def _find_sheet(workbook: Any, sheet: Sheet, kind: Kind) -> Any | None:
    with force_locale("zh"):
        wanted = {str(sheet.title), sheet.key}
        notes = str(NOTES_TITLE)
    for worksheet in workbook.worksheets:
        if worksheet.title.strip() in wanted:
            return worksheet
    required = [s for s in kind.sheets if not s.optional]
    data_sheets = [ws for ws in workbook.worksheets if ws.title.strip() != notes]
    # A kind of one sheet accepts a workbook of one sheet, whatever its name.
    if len(required) == 1 and required[0] is sheet and len(data_sheets) == 1:
        return data_sheets[0]
    return None


def run_import(session: Session, kind: Kind, data: bytes, *, progress: Progress | None = None,
               **options: Any) -> Report:
    """Check (and unless ``dry_run`` import) the workbook ``data`` as ``kind``.

    Leaves the session rolled back unless the import was clean and not a dry run; the audit
    row (file hash, counts) is added last, so the caller's commit writes it either way.
    ``options``: filename, actor, actor_name, today, cal, config, dry_run (``import_steps``).
    """
    for step in import_steps(session, kind, data, **options):
        if isinstance(step, Report):
            return step
        if progress is not None:
            progress(*step)
    raise AssertionError("import_steps ends with its report")


def import_steps(session: Session, kind: Kind, data: bytes, *, filename: str, actor: Any,
                 actor_name: str, today: dt.date, cal: WorkCalendar, config: Any,
                 dry_run: bool) -> Iterator[tuple[int, int] | Report]:
    """``run_import`` as it goes: (rows read, rows in the file) every PROGRESS_EVERY rows,
    then the Report (for a screen that shows the progress of thousands of rows)."""
    report = Report(kind=kind.key, filename=filename, sha256=sha256(data), dry_run=dry_run)
    run = ImportRun(session=session, actor=actor, actor_name=actor_name, today=today, cal=cal,
                    config=config)
    try:
        workbook = open_workbook(data)
        with force_locale("zh"):
            yield from _run_sheets(run, kind, workbook, report)
        if report.ok:
            session.flush()
    except ImportFileError as exc:
        report.file_problems.append(str(exc))
    except DBAPIError as exc:
        log.warning("import refused by the database: %s", exc)
        from app.views.transaction import refusal_message  # the one wording of refusals

        report.file_problems.append(refusal_message(exc) or str(exc))
    keep = report.ok and not dry_run
    if not keep:
        session.rollback()
    report.committed = keep
    trail.record(
        AuditAction.data_import, object_type=f"import:{kind.key}",
        result=AuditResult.ok if report.ok else AuditResult.failed,
        detail={"kind": kind.key, "file": filename, "sha256": report.sha256,
                "dry_run": dry_run, "imported": keep, "counts": report.counts,
                "file_problems": report.file_problems[:5]},
        user=actor, session=session)
    yield report


def _run_sheets(run: ImportRun, kind: Kind, workbook: Any,
                report: Report) -> Iterator[tuple[int, int]]:
    found = [(sheet, _find_sheet(workbook, sheet, kind)) for sheet in kind.sheets]
    for sheet, worksheet in found:
        if worksheet is None and not sheet.optional:
            raise ImportFileError(_("The workbook has no sheet “%(title)s”; use the template.",
                                    title=str(sheet.title)))
    total = sum((ws.max_row or 0) for _sheet, ws in found if ws is not None)
    done = 0
    for sheet, worksheet in found:
        if worksheet is None:
            continue
        done = yield from _run_sheet(run, sheet, worksheet, report, done, total)
    yield total, total


def _columns_of(sheet: Sheet, header_row: tuple[Any, ...]) -> list[Any]:
    """The column (or None) of each header cell; ImportFileError for a missing column."""
    by_header: dict[str, Any] = {}
    for column in sheet.columns:
        by_header[str(column.header)] = column
        by_header[column.key] = column
    columns = [by_header.get(header_text(cell)) for cell in header_row]
    present = {c.key for c in columns if c is not None}
    missing = [str(c.header) for c in sheet.columns if c.required and c.key not in present]
    if missing:
        raise ImportFileError(_("Sheet “%(title)s” lacks the column(s) %(columns)s; use the "
                                "template.", title=str(sheet.title),
                                columns="、".join(missing)))
    return columns


def _run_sheet(run: ImportRun, sheet: Sheet, worksheet: Any, report: Report, done: int,
               total: int) -> Generator[tuple[int, int], None, int]:
    rows = worksheet.iter_rows(values_only=True)
    header_row = next(rows, None) or ()
    columns = _columns_of(sheet, header_row)
    report.headers[sheet.key] = [str(c) if c is not None else "" for c in header_row]
    report.titles[sheet.key] = str(sheet.title)
    example = tuple(c.example for c in columns if c is not None)
    seen: dict[tuple[str, Any], int] = {}
    if sheet.prepare is not None:
        sheet.prepare(run)
    for number, cells in enumerate(rows, start=2):
        done += 1
        if done % PROGRESS_EVERY == 0:
            yield done, total
        if number > MAX_ROWS + 1:
            raise ImportFileError(_("A sheet holds at most %(n)d rows; split the file.",
                                    n=MAX_ROWS))
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        run.row = number
        report.rows.append(_run_row(run, sheet, columns, cells, number, example, seen))
    if sheet.finish is not None and not report.refused:
        _finish(run, sheet, report)
    return done


def _finish(run: ImportRun, sheet: Sheet, report: Report) -> None:
    """The sheet's links between rows, once every row is in: refusals and changes."""
    outcomes = sheet.finish(run)
    for row in report.rows:
        if row.sheet != sheet.key or row.row not in outcomes:
            continue
        problem, changed = outcomes[row.row]
        if problem:
            row.action = Action.refuse
            row.problems.append(problem)
        elif changed:
            if row.action == Action.unchanged:
                row.action = Action.update
            row.detail = "、".join(part for part in (row.detail, changed) if part)


def _shown(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _run_row(run: ImportRun, sheet: Sheet, columns: list[Any], cells: tuple[Any, ...],
             number: int, example: tuple[Any, ...], seen: dict[tuple[str, Any], int]
             ) -> RowResult:
    result = RowResult(sheet=sheet.key, row=number, action=Action.refuse,
                       cells=[_shown(c) for c in cells])
    given = tuple(_shown(c) for column, c in zip(columns, cells) if column is not None)
    if given == example[:len(given)] and any(v is not None for v in given):
        result.action = Action.skip
        return result
    values: dict[str, Any] = {}
    for column, cell in zip(columns, cells):
        if column is None:
            continue
        try:
            value = column.parse(cell)
            values[column.key] = column.default if value is None else value
        except CellError as exc:
            result.problems.append(f"{column.header}：{exc.message}")
            continue
        if column.required and values[column.key] is None:
            result.problems.append(f"{column.header}：{REQUIRED}")
    keys = sheet.keys(values) if not result.problems else []
    result.key = " / ".join(str(value) for _name, value in keys)
    for name, value in keys:
        first = seen.get((name, value))
        if first is not None:
            result.problems.append(str(_("Row %(first)d of this sheet already has %(value)s.",
                                         first=first, value=value)))
    if result.problems:
        return result
    for name, value in keys:
        seen[(name, value)] = number
    try:
        outcome = sheet.upsert(run, values)
    except DomainError as exc:
        result.problems.append(str(exc))
        return result
    result.action, result.detail = outcome.action, outcome.detail
    return result
