"""A grid cell's paragraph of plain text in one style, drawn as text lines (issue 16).

xhtml2pdf draws a paragraph through its box (background, four borders, a translation by
its padding) and its general line drawing (inline images, boxes, links, underlines, letter
and word spacing, per word): about a third of the 审批进度计划表's drawing, for cells that
hold a few lines of one font, size and colour and none of those. ``draw_plain`` draws such
a paragraph's lines itself, each at the place xhtml2pdf's ``drawPara`` puts it: the first
baseline at the paragraph's height less the first line's ascent, the next ones a leading
lower (the "max" leading of ``_maxLeadingExtent``, the same for lines of one font), a
centred line moved right by half its extra space. Anything else (several fragments on a
line, a line break, a different leading, a decoration) is left to xhtml2pdf: ``False``.

tests/test_documents_grid.py compares the positions of every piece of text with the HTML
tables xhtml2pdf draws itself. Relies on xhtml2pdf 0.2.28's paragraph (``blPara``,
``FragLine``, ``_maxLeadingExtent``).
"""
from __future__ import annotations

from typing import Any

#: what a fragment carries when it is more than plain text
_DECORATIONS = ("underline", "strike", "link", "backColor", "cbDefn", "lineBreak", "rise",
                "us_lines")


def _text_of(line: Any, first: Any) -> str | None:
    """The line's text when it is one plain word in ``first``'s font (empty words aside)."""
    texts = [word.text for word in line.words if word.text]
    if len(texts) != 1:
        return None
    for word in line.words:
        if (word.fontName != first.fontName or word.fontSize != first.fontSize
                or word.textColor != first.textColor
                or any(getattr(word, name, None) for name in _DECORATIONS)):
            return None
    return texts[0]


def draw_plain(paragraph: Any) -> bool:
    """Draw ``paragraph`` (wrapped, on its canvas) as plain text lines; False when it is not
    plain (then nothing was drawn)."""
    from reportlab.lib.enums import TA_CENTER, TA_LEFT
    from xhtml2pdf.reportlab_paragraph import _maxLeadingExtent, setXPos

    style = paragraph.style
    blPara = getattr(paragraph, "blPara", None)
    if (blPara is None or blPara.kind != 1 or not blPara.lines
            or style.alignment not in (TA_LEFT, TA_CENTER)
            or getattr(paragraph, "autoLeading", None) != "max"
            or style.leftIndent or style.rightIndent or style.firstLineIndent
            or style.backColor or getattr(paragraph, "_offsets", None)
            or paragraph.bulletText or getattr(paragraph, "outline", False)
            or style.letterSpacing != "normal"
            or getattr(style, "wordSpacing", "normal") != "normal"):
        return False
    lines = blPara.lines
    first = next((word for word in lines[0].words if word.text), None)
    if first is None:
        return False
    extent = _maxLeadingExtent(lines[0], style.leading)
    texts = []
    for line in lines:
        text = _text_of(line, first)
        if text is None or _maxLeadingExtent(line, style.leading) != extent:
            return False
        texts.append(text)
    canvas = paragraph.canv
    tx = canvas.beginText(0, paragraph.height - lines[0].ascent)
    tx.setFont(first.fontName, first.fontSize, extent[0] + extent[1])
    tx.setFillColor(first.textColor)
    centred = style.alignment == TA_CENTER
    for line, text in zip(lines, texts, strict=True):
        offset = 0.5 * line.extraSpace if centred else 0
        setXPos(tx, offset)  # (as xhtml2pdf moves a centred line: nothing for a tiny one)
        tx.textLine(text)
        setXPos(tx, -offset)
    canvas.drawText(tx)
    return True
