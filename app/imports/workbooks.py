"""The workbooks an import hands out (R-18.1): the template of a kind and the run's report.

The template has one sheet per sheet of the kind, with the Chinese headers (required ones
marked *), an example row the import skips while it is left as it is, drop-down lists
(data validation) for enumerations and 是/否, and a notes sheet explaining every column.
The report is the uploaded rows again, each with its row number, what the import does with
it and a problems column.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from app.imports.run import NOTES_TITLE, Report
from app.imports.spec import Action, Kind
from app.ledgers.xlsx import neutralise

_HEADER_FONT = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_EXAMPLE_FONT = Font(italic=True, color="808080")
_REFUSED_FILL = PatternFill("solid", fgColor="F8CBAD")
#: rows the drop-down lists cover
VALIDATED_ROWS = 20_000


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise(value)
    return value


def write_template(kind: Kind, target: Any) -> None:
    """Write the template of ``kind`` to ``target`` (a path or a binary file)."""
    with force_locale("zh"):
        workbook = Workbook()
        workbook.remove(workbook.active)
        for sheet in kind.sheets:
            _template_sheet(workbook, sheet)
        _notes_sheet(workbook, kind)
        workbook.save(target)


def _template_sheet(workbook: Workbook, sheet: Any) -> None:
    worksheet = workbook.create_sheet(str(sheet.title))
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        header = worksheet.cell(row=1, column=index,
                                value=str(column.header) + ("*" if column.required else ""))
        header.font = _HEADER_FONT
        header.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        example = column.example
        cell = worksheet.cell(row=2, column=index, value=example)
        cell.font = _EXAMPLE_FONT
        if isinstance(example, dt.date):
            cell.number_format = "yyyy-mm-dd"
        worksheet.column_dimensions[letter].width = column.width
        options = column.options()
        if options:
            listed = DataValidation(type="list", formula1='"' + ",".join(options) + '"',
                                    allow_blank=not column.required, showErrorMessage=True)
            listed.error = str(_("Choose a value from the list."))
            listed.prompt = "、".join(options)
            worksheet.add_data_validation(listed)
            listed.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
    worksheet.freeze_panes = "A2"


def _notes_sheet(workbook: Workbook, kind: Kind) -> None:
    notes = workbook.create_sheet(str(NOTES_TITLE))
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 28
    notes.column_dimensions["C"].width = 10
    notes.column_dimensions["D"].width = 70
    notes.append([str(_("Import of %(kind)s", kind=str(kind.label)))])
    notes["A1"].font = Font(bold=True, size=14)
    for line in (*kind.notes, *GENERAL_NOTES):
        notes.append([str(line)])
    notes.append([])
    notes.append([str(_("Sheet")), str(_("Column")), str(_("Required column")), str(_("How to fill"))])
    for cell in notes[notes.max_row]:
        cell.font = _HEADER_FONT
    for sheet in kind.sheets:
        for column in sheet.columns:
            options = column.options()
            how = [str(column.note)] if column.note else []
            if options:
                how.append(str(_("One of: %(values)s", values="、".join(options))))
            notes.append([str(sheet.title), str(column.header),
                          str(_("Yes")) if column.required else "", "；".join(how)])
            notes.cell(row=notes.max_row, column=4).alignment = Alignment(wrap_text=True)


GENERAL_NOTES = (
    _("Row 1 holds the headers (* marks a required column); do not rename them. Row 2 is an "
      "example: it is skipped while it is left unchanged; overwrite or delete it."),
    _("Dates as YYYY-MM-DD. Drop-down columns accept only the listed values."),
    _("Upload the file for a dry run first: every row is checked and the preview says what "
      "will be created, updated or refused and why. Nothing is saved until you confirm, and "
      "then all rows are saved or none."),
)


def write_report(report: Report, target: Any) -> None:
    """Write ``report`` as a workbook: per sheet the rows as uploaded, with row number,
    action, what changes and the problems."""
    with force_locale("zh"):
        workbook = Workbook()
        workbook.remove(workbook.active)
        action_labels = {action.value: str(action.label) for action in Action}
        for key, title in report.titles.items():
            worksheet = workbook.create_sheet(title[:31])
            extra = [str(_("Row")), str(_("Import result")), str(_("Changes")), str(_("Problems"))]
            worksheet.append(extra + [_cell(h) for h in report.headers.get(key, [])])
            for cell in worksheet[1]:
                cell.font = _HEADER_FONT
                cell.fill = _HEADER_FILL
            for row in report.rows:
                if row.sheet != key:
                    continue
                worksheet.append([row.row, action_labels[row.action.value], _cell(row.detail),
                                  _cell("；".join(row.problems))]
                                 + [_cell(c) for c in row.cells])
                if row.action == Action.refuse:
                    worksheet.cell(row=worksheet.max_row, column=4).fill = _REFUSED_FILL
            worksheet.column_dimensions["D"].width = 60
            worksheet.freeze_panes = "E2"
        if report.file_problems or not report.titles:
            worksheet = workbook.create_sheet(str(_("File")))
            worksheet.append([str(_("Problems"))])
            for problem in report.file_problems:
                worksheet.append([_cell(problem)])
        workbook.save(target)
