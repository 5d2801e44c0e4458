"""A table cell's keep-in-frame box measured once per width, and drawn as measured (issue 16).

xhtml2pdf puts every ``<td>``'s content in a keep-in-frame box (``PmlKeepInFrame``, mode
"shrink"), and so does the grid (app/documents/grid.py) for its centred cells. ReportLab
asks the box its size when it lays out the rows, again at each page break and again when
it draws the cell; each time the box copies the document's frame and measures its content
again. And when it draws, it measures the content once more at its own width less
ReportLab's fuzz (1e-6 pt), a width no paragraph was broken at before: every cell's lines
were broken a second time for the drawing (87 of the 138 line breakings of a 委托协办申请表).

``install()`` changes ``PmlKeepInFrame`` (xhtml2pdf's class, so every document's cells):

- ``wrap``: a box that last fitted its content unshrunk at the same width, and whose content
  still fits the height on offer, has the same size: it is not measured again (its content
  is measured at an unbounded height, so only the fit depends on the height);
- ``drawOn``: an unshrunk box draws its content at the width it measured it at, so the
  paragraphs reuse the lines they were measured with (xhtml2pdf's paragraph keeps its last
  lines per width). The lines are the same; a centred line's offset differs by half the
  fuzz (5e-7 pt), below what the PDF records of a position in nearly every case.

A box holding one paragraph that fits is measured as KeepInFrame would, without its copy of
the document's frame (``_fit_paragraph``). A shrunk box (content wider or taller than the
cell) is measured and drawn as before.
This relies on ReportLab's ``KeepInFrame`` (``_scale``, ``_Container.drawOn``'s ``aW``) and
xhtml2pdf's ``PmlKeepInFrame`` as in reportlab 4 and xhtml2pdf 0.2.28;
tests/test_documents_cells.py holds the behaviour.
"""
from __future__ import annotations

import functools
from typing import Any


@functools.cache
def install() -> None:
    """Measure and draw xhtml2pdf's keep-in-frame boxes as above (once per process)."""
    from reportlab.platypus.flowables import _Container
    from reportlab.rl_config import _FUZZ
    from xhtml2pdf.xhtml2pdf_reportlab import PmlKeepInFrame

    measure = PmlKeepInFrame.wrap
    draw = PmlKeepInFrame.drawOn

    def wrap(self: Any, availWidth: float, availHeight: float) -> tuple[float, float]:
        fitted = self.__dict__.get("_fitted_at")  # (width, content's height), unshrunk
        if (fitted is not None and fitted[0] == availWidth
                and fitted[1] <= max(availHeight, 1.0) + _FUZZ):
            self.maxWidth, self.maxHeight = availWidth, self.setMaxHeight(availHeight)
            return self.width, self.height
        size = _fit_paragraph(self, availWidth, availHeight)
        if size is not None:
            return size
        size = measure(self, availWidth, availHeight)
        # (a box once shrunk keeps its scale in KeepInFrame: it stays on the way above)
        unshrunk = "_scale" not in self.__dict__ and self.mode == "shrink"
        self._fitted_at = (availWidth, self.height + _FUZZ) if unshrunk else None
        return size

    def drawOn(self: Any, canv: Any, x: float, y: float, _sW: float = 0) -> None:
        fitted = self.__dict__.get("_fitted_at")
        # only content as wide as the box (a paragraph), so the width it is drawn at is
        # what it was measured at and nothing else in it moves (an image's centring)
        if fitted is None or self.width != fitted[0] - _FUZZ:
            return draw(self, canv, x, y, _sW)
        _Container.drawOn(self, canv, x, y, _sW=_sW, aW=fitted[0])
        return None

    PmlKeepInFrame.wrap = wrap
    PmlKeepInFrame.drawOn = drawOn


def _fit_paragraph(box: Any, availWidth: float, availHeight: float) -> Any:
    """The size of ``box`` when it holds one paragraph that fits: what KeepInFrame.wrap and
    _listWrapOn make of it (the paragraph measured at the box's width and an unbounded
    height; its width at most the box's), without their copy of the document's frame,
    which only content that adds to the frame (footnotes, not a paragraph) needs. None
    otherwise (several flowables, space after, a box to shrink): KeepInFrame measures."""
    from reportlab.rl_config import _FUZZ
    from xhtml2pdf.reportlab_paragraph import Paragraph

    content = box._content
    if (len(content) != 1 or not isinstance(content[0], Paragraph) or box.mode != "shrink"
            or box.fakeWidth not in (None, 1, True) or "_scale" in box.__dict__
            or content[0].getSpaceAfter() != 0):
        return None
    width, height = max(availWidth, 1.0), max(availHeight, 1.0)
    box.maxWidth, box.maxHeight = width, box.setMaxHeight(height)
    max_height = float(min(box.maxHeight or height, height))
    w, h = content[0].wrapOn(box.canv, width, 0xfffffff)
    W, H = (0, 0) if h <= _FUZZ else (min(w, width), h)
    if W > width + _FUZZ or H > max_height + _FUZZ:
        return None
    box.width, box.height = W - _FUZZ, H - _FUZZ
    box._fitted_at = (availWidth, box.height + _FUZZ)
    return box.width, box.height
