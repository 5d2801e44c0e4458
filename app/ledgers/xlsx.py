"""Writing a ledger to an .xlsx file, row by row (R-13.6).

openpyxl's write-only workbook streams rows to disk as they are appended, so an export of
any size holds one batch of rows in memory (the caller iterates its query with yield_per).

Every text cell is made safe for spreadsheet programs: a value starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return would be read as a formula (CSV/formula injection,
e.g. a unit named ``=HYPERLINK(...)``); such values get a leading apostrophe and stay text.
Characters XML cannot hold (NUL, controls, U+FFFF: app/inputs.py) are dropped (R-14.9).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from app.inputs import clean_text
from app.labels import LabelledEnum, _
from app.ledgers.spec import NATIVE, Ledger
from app.timefmt import EXCEL_TIME_FORMAT, excel_time

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

Masker = Callable[[str], str]


def neutralise(text: str) -> str:
    """Text a spreadsheet will not evaluate: formula triggers get a leading apostrophe."""
    # openpyxl's own pattern misses U+FFFE/U+FFFF and surrogates, which break the save.
    text = clean_text(text)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def cell_value(value: Any, yes: str = "", no: str = "") -> Any:
    """The cell's value: numbers and dates as such, booleans 是/否, enums their label, text
    neutralised; None stays an empty cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return (yes or str(_("Yes"))) if value else (no or str(_("No")))
    if isinstance(value, LabelledEnum):
        return neutralise(str(value))
    if isinstance(value, dt.datetime):
        # Excel has no time zones: Beijing wall-clock time to the minute.
        return excel_time(value)
    if isinstance(value, NATIVE):
        return value
    return neutralise(str(value))


def write(ledger: Ledger, rows: Iterable[Any], target: Any, mask: Masker) -> int:
    """Write ``rows`` as ``ledger`` to ``target`` (a path or a binary file); return the count.

    ``mask`` turns a personal phone number into what the exporting user may see.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=neutralise(str(ledger.title))[:31])
    for index, column in enumerate(ledger.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header = []
    for column in ledger.columns:
        cell = WriteOnlyCell(sheet, value=neutralise(str(column.header)))
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        header.append(cell)
    sheet.append(header)
    yes, no = str(_("Yes")), str(_("No"))
    labels: dict[LabelledEnum, str] = {}  # each enum label translated once per file
    count = 0
    for row in rows:
        values = []
        for column in ledger.columns:
            value = column.get(row)
            if isinstance(value, LabelledEnum):
                if value not in labels:
                    labels[value] = cell_value(value)
                values.append(labels[value])
                continue
            if column.phone and value:
                value = mask(str(value))
            if isinstance(value, dt.datetime):
                # A real date-time (sortable, filterable) that reads like the screens.
                cell = WriteOnlyCell(sheet, value=excel_time(value))
                cell.number_format = EXCEL_TIME_FORMAT
                values.append(cell)
                continue
            values.append(cell_value(value, yes, no))
        sheet.append(values)
        count += 1
    book.save(target)
    return count
