"""Our Jinja templates (app/templates/documents/, escaped) to A4 PDFs with xhtml2pdf.

Rendering is two steps so the archive can tell an unchanged record from a changed one
before paying for the PDF: ``render_html`` (cheap, deterministic for the same data and
font) and ``html_to_pdf``. xhtml2pdf is imported on the first PDF, not at start-up.

xhtml2pdf parses its own default stylesheet and ours for every document; ``css_once``
keeps the first parse of each for the process.

xhtml2pdf 0.2.28 confines local reads to the working directory unless its resource policy
allows more: the policy here allows nothing (no network, no file); the font is registered
with ReportLab beforehand (app/documents/fonts.register), so no template reads a file.
"""
from __future__ import annotations

import functools
import gc
import io
import logging
from typing import Any

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _

from app.documents import cells, fonts, grid, typesetting
from app.documents.fonts import PdfFont
from app.domain.errors import DomainError
from app.inputs import clean_text

log = logging.getLogger(__name__)


class RenderError(DomainError):
    """A document could not be rendered; nothing was issued."""


def render_html(template: str, context: dict[str, Any], font: PdfFont) -> str:
    """The document's HTML: always in Chinese (the forms are the policy's), whatever the UI."""
    with force_locale("zh"):
        return render_template(f"documents/{template}", font=font, **context)


def _policy() -> Any:
    from xhtml2pdf.config.resources import ResourceAccessPolicy

    # base_dir=None: not even the working directory; no extra roots: the font is registered
    return ResourceAccessPolicy(allow_remote=False, base_dir=None, extra_roots=())


#: at most this many stylesheets kept parsed (one per font: each names its family)
KEPT_STYLESHEETS = 16


def css_once() -> None:
    """Have xhtml2pdf parse its default stylesheet, and ours, once per process rather than
    for every document (about 2 ms each, a tenth of a 终止单). A stylesheet with no at-rule
    (no "@") holds plain rules only, none of the @page, @font-face or @import rules that act
    on the document being parsed, so one parsed copy serves every document (each kind prints
    byte for byte as with a fresh parse). Ours is two <style> blocks for that
    (documents/_base.html): the @page, parsed by every document (it sets the page), and the
    rules. Idempotent."""
    from xhtml2pdf.context import pisaContext
    from xhtml2pdf.parser import DEFAULT_CSS_SOURCE

    parse = pisaContext._parseCSSSource
    if getattr(parse, "parsed", None) is not None:
        return
    parsed: dict[str, Any] = {}

    def parse_once(context: Any, text: str, source_name: str) -> Any:
        if text in parsed:
            return parsed[text]
        result = parse(context, text, source_name)
        if (source_name == DEFAULT_CSS_SOURCE or "@" not in text) and (
                len(parsed) < KEPT_STYLESHEETS):
            parsed[text] = result
        return result

    parse_once.parsed = parsed  # type: ignore[attr-defined]
    pisaContext._parseCSSSource = parse_once


@functools.cache
def settle_once() -> None:
    """After the first PDF of a process: collect, then freeze the collector's view, as
    app/ops/preload.py does at start-up for the app. xhtml2pdf, ReportLab, html5lib and
    segno are imported on the first PDF, after that freeze, and their objects (some
    100,000) stayed in the collector's sight: each full collection walked them, 15 to
    25 ms inside a print (the 委托协办申请表's and 纪要's p95 of two to three times their
    median in the benchmark). What the request that printed first holds at that moment is
    frozen with them (it is still freed when nothing refers to it)."""
    gc.collect()
    gc.freeze()


def html_to_pdf(html: str, font: PdfFont) -> bytes:
    """Render ``html`` to PDF bytes; RenderError (a DomainError) when xhtml2pdf fails."""
    # Stored text may hold characters XML cannot (from before the input guard, or from
    # imports): xhtml2pdf's parser would fail on them.
    html = clean_text(html)
    try:
        from xhtml2pdf import pisa

        typesetting.line_breaking()
        grid.install()
        cells.install()
        css_once()
        fonts.register(font)

        out = io.BytesIO()
        result = pisa.CreatePDF(html, dest=out, encoding="utf-8",
                                resource_policy=_policy())
    except Exception as exc:  # xhtml2pdf raises anything from parsing to font files
        log.exception("rendering a document failed")
        raise RenderError(_("The document could not be produced; nothing was issued. "
                            "Ask the administrator to check the server log.")) from exc
    settle_once()
    if result.err:
        log.error("xhtml2pdf reported %s error(s): %s", result.err, result.log[-3:])
        raise RenderError(_("The document could not be produced; nothing was issued. "
                            "Ask the administrator to check the server log."))
    return out.getvalue()


def render_pdf(template: str, context: dict[str, Any], font: PdfFont) -> bytes:
    """HTML then PDF, in one call (the blank form, the benchmark)."""
    return html_to_pdf(render_html(template, context, font), font)
