"""A long table of plain text cells drawn straight with ReportLab (issue 16).

xhtml2pdf turns every ``<td>`` into its own CSS resolution, paragraph, keep-in-frame box and
nine table style commands, and measures every cell again at each page break and when it
draws it: the 审批进度计划表's table (about 270 cells) took two thirds of its time. A
template writes such a table as one tag instead::

    <pdf:grid data='{{ {"size": 10, "widths": [...], "header": [...], "center": [0, 7],
                       "rows": [[...], ...]}|tojson }}'/>

and ``GridTag`` makes ReportLab's table as xhtml2pdf would lay out
``<table class="grid small" repeat="1">`` (app/templates/documents/_base.html): the same
column widths, paddings, borders, repeated header and paragraphs (xhtml2pdf's own, so a cell's
Chinese lines are broken by app/documents/typesetting.py, R-15.5), with one style command
per rule for the whole table. The header's cells and the ``center`` columns are centred and
broken only where their text has a line feed (as ``th`` and ``td.label``); the others wrap
(``-pdf-word-wrap: CJK``). ``tests/test_documents_grid.py`` checks that the text lands where
the HTML table put it, line for line (the plan's and the application form's).

The 委托协办申请表 is drawn the same way (its HTML table: 255,000 Python calls of a render,
98,000 as a grid): a cell may span columns and rows (ReportLab's SPAN, the cells placed as
HTML places them), be a centred label, or leave room to write in when empty; the blank
form's taller rows are its ``padding``. A wrapping cell's line feeds are white space, as in
HTML; a label's break its lines.

``install()`` makes the tag known to xhtml2pdf (app/documents/render.py, once).
"""
from __future__ import annotations

import copy
import functools
import json
import re
from typing import Any
from xml.sax.saxutils import escape

from app.documents import textlines

#: ``table.grid td, table.grid th`` in _base.html: padding 4pt 3pt 2pt 3pt, 0.6pt black
PADDING = {"TOPPADDING": 4.0, "RIGHTPADDING": 3.0, "BOTTOMPADDING": 2.0, "LEFTPADDING": 3.0}
BORDER = 0.6


def _style(base: Any, size: float, leading: float, centred: bool) -> Any:
    """The paragraph style of a ``th`` or ``td.label`` (``centred``: centred, broken only at
    line feeds) or of a ``td`` (left, Chinese wrapping): the body's, at ``size``, with no
    box of its own (xhtml2pdf moves a cell's padding and border to the table)."""
    from reportlab.lib.enums import TA_CENTER, TA_LEFT

    style = copy.copy(base)
    style.fontSize, style.leading = size, leading
    style.alignment = TA_CENTER if centred else TA_LEFT
    style.wordWrap = "None" if centred else "CJK"
    for side in ("Top", "Bottom", "Left", "Right"):
        setattr(style, f"border{side}Style", None)
        setattr(style, f"border{side}Width", 0)
        setattr(style, f"border{side}Color", None)
        setattr(style, f"padding{side}", 0)
    style.backColor = None
    return style


#: the white space HTML collapses (not the no-break space of ``&nbsp;``, which xhtml2pdf keeps)
_SPACE = " \t\n\r\f"


def _collapsed(line: str) -> str:
    return " ".join(word for word in re.split(f"[{_SPACE}]+", line) if word)


def _cell(text: Any, style: Any, fragment: Any, twins: dict | None = None) -> Any:
    """One cell: a paragraph of ``text`` (a line feed breaks a centred one), its fragments
    cloned from ``fragment`` (the style's; a line break's are parsed). A centred cell's
    paragraph is in a keep-in-frame box, as xhtml2pdf puts every cell's, which shrinks a
    line wider than the cell; a wrapping cell's lines never are, and its paragraph stands
    alone. Cells of one table with the same text and style are ``twins`` (see
    ``_paragraph_class``)."""
    text = str(text)
    if not text.strip(_SPACE):  # an empty cell holds no paragraph
        return _box_class()(maxWidth=0, maxHeight=0, mode="shrink", content=[])
    centred = style.wordWrap != "CJK"
    # a wrapping cell's line feeds are white space, as in HTML (a stored text's lines)
    lines = [_collapsed(line) for line in (text.split("\n") if centred else [text])]
    if len(lines) == 1:
        frags = [fragment.clone(text=lines[0])]
    else:
        frags = _paragraph_class()("<br/>".join(escape(line) for line in lines), style).frags
    # xhtml2pdf ends every paragraph with an empty fragment (its lines are then always
    # made fragment by fragment)
    frags.append(frags[-1].clone(text=""))
    paragraph = _paragraph_class()(text, style, frags=frags)
    paragraph.autoLeading = "max"
    if twins is not None:
        paragraph._twins, paragraph._twin_key = twins, (id(style), text)
    if not centred:
        return paragraph
    return _box_class()(maxWidth=0, maxHeight=0, mode="shrink", content=[paragraph])


def _writing(height: float) -> Any:
    """An empty cell with room to write in by hand, ``height`` tall (``div.writing``)."""
    from reportlab.platypus import Spacer

    return Spacer(0, height)


def _placed(rows: list[list[Any]]) -> tuple[list[list[Any]], list[tuple]]:
    """The cells of ``rows`` at their places (a cell goes to the first column that no
    ``rowspan`` or ``colspan`` above or before it covers, as in HTML), "" where a span
    covers (None), and the SPAN commands."""
    placed: dict[tuple[int, int], Any] = {}
    covered: set[tuple[int, int]] = set()
    spans: list[tuple] = []
    for row, cells in enumerate(rows):
        col = 0
        for cell in cells:
            while (col, row) in covered:
                col += 1
            spec = cell if isinstance(cell, dict) else {}
            across, down = int(spec.get("colspan", 1)), int(spec.get("rowspan", 1))
            placed[col, row] = cell
            covered |= {(c, r) for c in range(col, col + across)
                        for r in range(row, row + down)}
            if (across, down) != (1, 1):
                spans.append(("SPAN", (col, row), (col + across - 1, row + down - 1)))
            col += across
    width = max(col + 1 for col, _row in covered)
    return [[placed.get((col, row)) for col in range(width)]
            for row in range(len(rows))], spans


def grid_table(data: dict[str, Any], base: Any) -> Any:
    """The table of ``data`` in the paragraph style ``base`` (the body's): font ``size``,
    column ``widths``, an optional ``header`` row (centred, repeated on every page unless
    ``repeat`` is false),
    ``rows``, the ``center`` columns, ``padding`` in place of PADDING's (``table.blank``).
    A cell is its text, or ``{"text": …, "label": true (centred), "colspan": n,
    "rowspan": n, "writing": height (when the text is empty)}``."""
    from reportlab.lib.colors import black
    from reportlab.platypus import Table, TableStyle

    size = float(data["size"])
    leading = size * base.leading / base.fontSize  # the body's line-height
    # each style with the fragment a paragraph of plain text in it is made of
    centred, wrapping = ((style, _paragraph_class()("x", style).frags[0])
                         for style in (_style(base, size, leading, c) for c in (True, False)))
    centre = set(data.get("center", ()))
    header = [data["header"]] if "header" in data else []
    placed, spans = _placed(header + list(data["rows"]))
    twins: dict = {}  # (style, text, width) → the paragraph measured so (a 计划表's dates)

    def flowable(cell: Any, row: int, col: int) -> Any:
        if cell is None:  # (under a span or past a short row, as xhtml2pdf leaves it)
            return ""
        spec = cell if isinstance(cell, dict) else {"text": cell}
        text = spec.get("text", "")
        if spec.get("writing") and not str(text).strip(_SPACE):
            return _writing(float(spec["writing"]))
        label = row < len(header) or col in centre or spec.get("label", False)
        return _cell(text, *(centred if label else wrapping), twins)

    rows = [[flowable(cell, r, c) for c, cell in enumerate(row)]
            for r, row in enumerate(placed)]
    line = (BORDER, black, 2, None, 1, 1, BORDER)  # (as xhtml2pdf draws a solid border)
    everything = ((0, 0), (-1, -1))
    style = [(op, *everything, *line)
             for op in ("LINEABOVE", "LINEBEFORE", "LINEAFTER", "LINEBELOW")]
    style += [(op, *everything, value)
              for op, value in {**PADDING, **data.get("padding", {})}.items()]
    style.append(("VALIGN", *everything, "MIDDLE"))
    return Table(rows, colWidths=list(data["widths"]),
                 repeatRows=len(header) if data.get("repeat", True) else 0,
                 hAlign="LEFT", style=TableStyle(style + spans))


@functools.cache
def install() -> None:
    """Make ``<pdf:grid data='…'/>`` known to xhtml2pdf (once per process)."""
    from xhtml2pdf import parser
    from xhtml2pdf.default import STRING, TAGS
    from xhtml2pdf.tags import pisaTag

    class GridTag(pisaTag):
        """``<pdf:grid data='…'/>``: the table of its JSON ``data``, in the body's font."""

        def start(self, c: Any) -> None:
            c.addPara()
            c.addStory(grid_table(json.loads(self.attr.data), c.toParagraphStyle(c.frag)))

    TAGS["pdfgrid"] = (0, {"data": (STRING, "{}")})
    parser.pisaTagPDFGRID = GridTag


#: what xhtml2pdf's paragraph records when it is measured (PmlParagraph.wrap), a twin's
#: to take: its lines (read, never changed, when drawn), size, and box (none in a grid)
_MEASURED = ("blPara", "width", "height", "deltaWidth", "deltaHeight", "borderWidthLeft",
             "borderWidthRight", "borderWidthTop", "borderWidthBottom")


@functools.cache
def _paragraph_class() -> type:
    """xhtml2pdf's paragraph, its lines broken once per width. The table measures each cell
    when it lays out the rows, again at each page break and again when it draws it, at the
    column's width and each time another height (the height left on the page, which a
    paragraph of text needs for nothing: its lines are the same). A cell with the text and
    style of one measured at the same width before in the table (its twin: a date, a
    department, a stage) takes the twin's lines: 130 of the 225 cells of a demo 计划表 are
    broken into lines, not 225."""
    from xhtml2pdf.xhtml2pdf_reportlab import PmlParagraph

    class GridParagraph(PmlParagraph):
        def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
            if self.__dict__.get("_measured_at") == availWidth:
                self.setMaxHeight(availHeight)  # (what wrap records of the page)
                return self.width, self.height
            twins = self.__dict__.get("_twins")
            key = (*self._twin_key, availWidth) if twins is not None else None
            twin = twins.get(key) if twins is not None else None
            if twin is not None:
                self.__dict__.update({name: twin.__dict__[name] for name in _MEASURED})
                self.setMaxHeight(availHeight)
            else:
                super().wrap(availWidth, availHeight)
                if twins is not None:
                    twins[key] = self
            self._measured_at = availWidth
            return self.width, self.height

        def draw(self) -> None:
            """Plain text lines straight (app/documents/textlines.py), else xhtml2pdf's."""
            if not textlines.draw_plain(self):
                super().draw()

    return GridParagraph


def _box_class() -> type:
    """xhtml2pdf's keep-in-frame box of a cell (measured once per width while what it holds
    fits, and drawn as measured: app/documents/cells.py)."""
    from xhtml2pdf.xhtml2pdf_reportlab import PmlKeepInFrame

    return PmlKeepInFrame
