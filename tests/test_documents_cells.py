"""A table cell's keep-in-frame box is measured once per width and drawn as measured
(app/documents/cells.py, issue 16). That every form prints the same text at the same places
is held by tests/test_documents_grid.py (the plan against its HTML table) and the other
document tests."""
from __future__ import annotations

import io

import pytest

from app.documents import render
from app.documents.content import PREFIX
from app.documents.fonts import find_font

#: cells whose content fits
FITTING = """{% extends "documents/_base.html" %}{% block content %}
<table class="grid">
  <tr><td class="label" width="20%">项目<br/>名称</td><td>滨海新区</td></tr>
  <tr><td class="label">单位</td><td>江城区建设投资公司</td></tr>
</table>{% endblock %}"""


def _render(app, source: str) -> bytes:
    from flask import render_template_string

    font = find_font()
    with app.test_request_context():
        html = render_template_string(source, font=font, prefix=PREFIX, heading="测试")
        return render.html_to_pdf(html, font)


def test_a_cell_is_measured_once_per_width(app, monkeypatch):
    """The second and later measurings of a cell that fits at its width, and its drawing,
    break its paragraph's lines no more (it was broken again for the drawing). A box that
    ReportLab shrinks, even by a hair (a label whose width it finds 2e-5 pt too wide), is
    measured at each scale it tries, as before."""
    from xhtml2pdf.reportlab_paragraph import Paragraph

    breaks: list[str] = []
    broken = Paragraph._brokenLines

    def counting(self, *args):
        cached = self.__dict__.get("_brokenLinesCache")
        lines = broken(self, *args)
        if cached is not None and cached[1] is not lines:
            breaks.append(self.getPlainText())
        return lines

    monkeypatch.setattr(Paragraph, "_brokenLines", counting)
    _render(app, FITTING)
    assert "滨海新区" not in breaks, breaks



@pytest.mark.parametrize(("text", "width", "height"),
                         [("滨海新区", 100, 500), ("江城区建设投资公司" * 6, 80, 500),
                          ("江城区建设投资公司" * 6, 80, 30), ("", 50, 50)])
def test_a_box_of_one_paragraph_is_the_size_keepinframe_makes_it(app, text, width, height):
    """cells._fit_paragraph gives a box of one paragraph the size ReportLab's KeepInFrame
    gives it when it fits, and leaves one that does not fit (shrunk) to KeepInFrame."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus.flowables import KeepInFrame
    from xhtml2pdf.xhtml2pdf_reportlab import PmlKeepInFrame, PmlParagraph

    with app.test_request_context():
        render.html_to_pdf("<p>x</p>", find_font())  # (xhtml2pdf, the font, cells set up)
    from app.documents import grid

    body = ParagraphStyle("body", fontName=find_font().family, fontSize=11, leading=15.95)
    style = grid._style(body, 11, 15.95, centred=False)  # (a cell's: no box of its own)
    canvas = Canvas(io.BytesIO())
    ours, theirs = (PmlKeepInFrame(maxWidth=0, maxHeight=0, mode="shrink",
                                   content=[PmlParagraph(text, style)] if text else [])
                    for _ in range(2))
    theirs.canv, theirs.maxWidth, theirs.maxHeight = canvas, width, height
    assert ours.wrapOn(canvas, width, height) == KeepInFrame.wrap(theirs, width, height)
    assert ("_scale" in ours.__dict__) == ("_scale" in theirs.__dict__) == (height == 30)
