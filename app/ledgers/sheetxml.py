"""A ledger's data rows as SpreadsheetML text, byte for byte what openpyxl writes for them
(issue 16 item 7).

openpyxl's write-only sheet makes a cell object per value and serialises it through lxml:
about 0.11 ms a row of the commission ledger, which alone keeps an export under 9,000 rows
a second. Here each row is one string, built from the values app/ledgers/xlsx.py gives
(``cell_value``: what a cell holds is decided there and only there), and ``splice`` puts
the rows into the workbook openpyxl writes around them (header row, column widths, frozen
pane, styles).

The text is what openpyxl 3.1 writes with lxml for the same values: ``<c r="B7"
t="inlineStr"><is><t>…</t></is></c>`` for text, ``t="n"`` for numbers and, in a date style,
for dates; XML escaped, every non-ASCII character a character reference.
tests/test_ledgers.py reads every kind of cell back with openpyxl.
"""
from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from typing import IO, Any, Callable

from openpyxl.cell import WriteOnlyCell
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

#: the longest text a cell holds (Excel's limit; openpyxl cuts longer text to it)
TEXT_MAX = 32767
#: characters XML text escapes (lxml writes a carriage return as a reference, as here)
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))
_SHEET_DATA_END = b"</sheetData>"


def text_cell(text: str) -> str:
    """The rest of a text cell after ``<c r="A1"``: ``text`` cut to TEXT_MAX, escaped."""
    text = text[:TEXT_MAX]
    if not text:
        return ' t="inlineStr"></c>'
    space = ' xml:space="preserve"' if text != text.strip() else ""
    for character, reference in _ESCAPES:
        if character in text:
            text = text.replace(character, reference)
    return f' t="inlineStr"><is><t{space}>{text}</t></is></c>'


class Rows:
    """The data rows of one sheet as XML: ``Rows(sheet, columns, ...).xml(row, n)``.

    ``columns``: per column a ``(getter, phone)`` pair, the getter reading the column's value
    of a row, ``phone`` whether that value's text goes through ``mask`` first; ``convert``: a
    column's value to the cell's content (app/ledgers/xlsx.py ``cell_value``), text, a
    number, a date or a date-time (which gets ``datetime_format``), or None for no cell. A
    value of a type of ``repeated`` (a few distinct values: enums, booleans, dates) is
    converted once per file.
    """

    def __init__(self, sheet: Any, columns: list[tuple[Callable[[Any], Any], bool]], *,
                 convert: Callable[[Any], Any], mask: Callable[[str], str],
                 repeated: tuple[type, ...], datetime_format: str) -> None:
        self.sheet = sheet
        self.columns = [(get_column_letter(index), get, phone)
                        for index, (get, phone) in enumerate(columns, start=1)]
        self.convert = convert
        self.mask = mask
        self.repeated = repeated
        self.datetime_format = datetime_format
        self.keeps: dict[type, bool] = {}  # per type of value: whether its cells are kept
        self.kept: dict[tuple[type, Any], str | None] = {}
        self.styles: dict[type, str] = {}

    def xml(self, row: Any, number: int) -> bytes:
        """Row ``number`` of the sheet: the cells of ``row``, ASCII-encoded."""
        parts = [f'<row r="{number}">']
        for letter, get, phone in self.columns:
            value = get(row)
            if value is None:
                continue
            if phone and value:
                value = self.mask(str(value))
            cell = self.cell(value)
            if cell is not None:
                parts.append(f'<c r="{letter}{number}"{cell}')
        parts.append("</row>")
        return "".join(parts).encode("ascii", "xmlcharrefreplace")

    def cell(self, value: Any) -> str | None:
        """The rest of ``value``'s cell after its reference; None for no cell."""
        kind = type(value)
        keep = self.keeps.get(kind)
        if keep is None:  # date-times are dates too, but hardly ever the same twice
            keep = self.keeps[kind] = issubclass(kind, self.repeated) and \
                not issubclass(kind, dt.datetime)
        if not keep:
            return self.content(self.convert(value))
        key = (kind, value)
        if key not in self.kept:
            self.kept[key] = self.content(self.convert(value))
        return self.kept[key]

    def content(self, value: Any) -> str | None:
        """The rest of the cell holding ``value`` (a converted value) after its reference."""
        if value is None:
            return None
        if isinstance(value, str):
            return text_cell(value)
        if isinstance(value, dt.date):  # dates and date-times: a number in a date style
            return f' s="{self.style(value)}" t="n"><v>{safe_string(to_excel(value))}</v></c>'
        return f' t="n"><v>{safe_string(value)}</v></c>'

    def style(self, moment: dt.date) -> str:
        """The style id of a ``moment`` cell, asked of openpyxl's own cell once per type
        (which registers its number format in the workbook, as openpyxl's writer would)."""
        kind = type(moment)
        if kind not in self.styles:
            cell = WriteOnlyCell(self.sheet, value=moment)
            if issubclass(kind, dt.datetime):
                cell.number_format = self.datetime_format
            self.styles[kind] = str(cell.style_id)
        return self.styles[kind]


def splice(envelope: IO[bytes], part: str, rows: IO[bytes], target: Any) -> None:
    """Write to ``target`` the workbook ``envelope`` (saved by openpyxl) with ``rows`` (XML
    rows, read from the start) appended to the sheet data of its part ``part``."""
    rows.seek(0, 2)
    size = rows.tell()
    rows.seek(0)
    with zipfile.ZipFile(envelope) as source, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename != part:
                out.writestr(info, data)
                continue
            head, end, tail = data.rpartition(_SHEET_DATA_END)
            if not end:
                raise ValueError(f"{part} has no sheet data to append to")
            info.file_size = len(data) + size  # a zip64 entry when it needs one
            with out.open(info, "w") as sheet:
                sheet.write(head)
                shutil.copyfileobj(rows, sheet, 1 << 20)
                sheet.write(end + tail)
