"""The one place that decides which Chinese font the PDFs use (R-15.1).

Text must print and copy correctly on any machine, so a TrueType face (``.ttf``/``.ttc``
with ``glyf`` outlines; OTF/CFF faces such as Noto CJK are refused by xhtml2pdf) is
embedded. It is looked for in PDF_FONT_PATH (config), then in the usual system places.
Where none exists, reportlab's built-in ``STSong-Light`` is used: the text is still
correct and extractable, but not embedded, so a reader without the font substitutes one.
That is logged once and ``font_warning()`` says so on the dashboard.

The embedded face is registered with ReportLab once per process (``register``), under a
family name of its own per file, and the templates name that family: no ``@font-face``,
which made xhtml2pdf 0.2.28 re-read and MD5-hash the 17 MB collection on every PDF.
"""
from __future__ import annotations

import hashlib
import logging
import os
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _

log = logging.getLogger(__name__)

#: reportlab's built-in CID font: always there, never embedded
FALLBACK_FONT = "STSong-Light"
#: the family name the templates use for an embedded face
EMBEDDED_FAMILY = "xbcjk"


def _windows_fonts() -> Path:
    return Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"


#: Searched in this order after PDF_FONT_PATH: Debian/Ubuntu packages, then Windows.
SYSTEM_FONTS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),        # fonts-wqy-zenhei
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),      # fonts-wqy-microhei
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),          # fonts-arphic-uming
    Path("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"),
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),          # Fedora/RHEL
    _windows_fonts() / "simsun.ttc",                             # Windows SimSun
    _windows_fonts() / "simhei.ttf",
)


@dataclass(frozen=True)
class PdfFont:
    """The font a document is drawn with: an embedded file, or the built-in fallback."""

    family: str
    path: Path | None = None

    @property
    def embedded(self) -> bool:
        return self.path is not None

    @property
    def name(self) -> str:
        """What the archive records: the file's name, or the fallback's."""
        return self.path.name if self.path is not None else self.family


def has_truetype_outlines(path: Path) -> bool:
    """True when ``path`` is a TrueType font or collection whose (first) face has ``glyf``.

    Reads only the table directory, so a 20 MB collection costs microseconds.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
            offset = 0
            if head[:4] == b"ttcf":
                fh.seek(12)
                (offset,) = struct.unpack(">I", fh.read(4))
                fh.seek(offset)
                head = fh.read(12)
            if head[:4] not in (b"\x00\x01\x00\x00", b"true"):
                return False  # "OTTO": CFF outlines
            (tables,) = struct.unpack(">H", head[4:6])
            directory = fh.read(16 * tables)
    except (OSError, struct.error):
        return False
    tags = {directory[i:i + 4] for i in range(0, len(directory), 16)}
    return b"glyf" in tags


def _configured() -> str | None:
    if not has_app_context():
        return None
    return current_app.config.get("PDF_FONT_PATH") or None


@lru_cache(maxsize=8)
def _lookup(configured: str | None) -> PdfFont:
    candidates = ([Path(configured)] if configured else []) + list(SYSTEM_FONTS)
    for path in candidates:
        if path.is_file() and has_truetype_outlines(path):
            log.info("PDF documents embed the font %s", path)
            path = path.resolve()
            # one family name per font file (its name and size: the same wherever the
            # file is installed), so two configured fonts in one process never mix
            tag = hashlib.sha1(f"{path.name}:{path.stat().st_size}".encode()).hexdigest()[:8]
            return PdfFont(f"{EMBEDDED_FAMILY}{tag}", path)
        if configured and path == Path(configured):
            log.warning("PDF_FONT_PATH %s is not a TrueType font file (.ttf/.ttc with "
                        "TrueType outlines); looking in the system places", path)
    log.warning("No TrueType Chinese font found (PDF_FONT_PATH, %s): PDF documents use the "
                "built-in %s, which is not embedded. Install fonts-wqy-zenhei or set "
                "PDF_FONT_PATH.", ", ".join(str(p) for p in SYSTEM_FONTS), FALLBACK_FONT)
    return PdfFont(FALLBACK_FONT)


@lru_cache(maxsize=8)
def register(font: PdfFont) -> None:
    """Make ``font`` known to ReportLab and xhtml2pdf, once per process and font.

    The file is read and parsed here once (about 70 ms for a CJK collection); every PDF after
    that draws with the registered face, which ReportLab subsets and embeds per document.
    """
    if not font.embedded:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from xhtml2pdf import default

    face = TTFont(font.family, str(font.path))
    glyphs_in_place(face.face)
    pdfmetrics.registerFont(face)
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(font.family, bold, italic, font.family)
    # every xhtml2pdf document starts from a copy of this table of known families
    default.DEFAULT_FONT[font.family] = font.family


class _TableInPlace:
    """A table of a font file read where it lies: a slice of it is copied, not the table."""

    def __init__(self, data: bytes, start: int, length: int) -> None:
        self.data, self.start, self.length = data, start, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, part: slice) -> bytes:
        first, last, _step = part.indices(self.length)
        return self.data[self.start + first:self.start + max(first, last)]


def glyphs_in_place(face: Any) -> None:
    """Make ReportLab's subsetting read the glyphs of ``face`` in the font file it holds.

    For every document (and every 256 characters of it) ReportLab copies the whole ``glyf``
    table to read the glyphs the document uses: 10 MB for WenQuanYi Zen Hei, some 7 ms of
    each PDF (more under memory pressure), for a few hundred glyphs. The subset it makes
    is the same byte for byte (tests/test_documents.py)."""
    copy_table = face.get_table

    def get_table(tag: str) -> Any:
        if tag != "glyf":
            return copy_table(tag)
        start, length = face.get_table_pos(tag)
        return _TableInPlace(face._ttf_data, start, length)

    face.get_table = get_table


def find_font() -> PdfFont:
    """The font the PDFs use now (the search runs once per configured path)."""
    return _lookup(_configured())


def font_warning() -> object | None:
    """For the dashboard: a translated warning when documents fall back to STSong-Light."""
    if find_font().embedded:
        return None
    return _("No Chinese TrueType font was found: documents are printed with the built-in "
             "STSong-Light font, which is not embedded and may print differently on other "
             "machines. Install fonts-wqy-zenhei or set PDF_FONT_PATH.")
