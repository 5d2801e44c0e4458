"""After the first PDF of a process the collector's view is frozen (render.settle_once), so a
full collection inside a later print does not walk the PDF libraries' objects (issue 16)."""
from __future__ import annotations

import gc

from app.documents import render
from app.documents.fonts import find_font


def test_the_pdf_libraries_are_out_of_the_collectors_sight_after_a_pdf(app):
    font = find_font()
    with app.test_request_context():
        render.html_to_pdf("<html><body><p>测试</p></body></html>", font)
    import xhtml2pdf.parser

    assert gc.get_freeze_count() > 0
    # (the collector's generations no longer hold the module's namespace)
    assert all(o is not xhtml2pdf.parser.__dict__ for o in gc.get_objects())
