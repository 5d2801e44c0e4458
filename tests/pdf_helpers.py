"""Reading issued PDFs back in tests: their text, its order, page sizes and fonts."""
from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    """The text of every page, whitespace removed (line breaks fall anywhere in Chinese)."""
    reader = PdfReader(io.BytesIO(data))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def assert_in_order(text: str, parts: list[str]) -> None:
    """Every part appears in ``text``, each after the previous one."""
    position = 0
    for part in parts:
        wanted = "".join(str(part).split())
        found = text.find(wanted, position)
        assert found >= 0, (f"{wanted!r} not found after …{text[max(0, position - 40):position]}"
                            f"｜{text[position:position + 80]}…")
        position = found + len(wanted)


def page_sizes(data: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of every page."""
    return [(float(p.mediabox.width), float(p.mediabox.height))
            for p in PdfReader(io.BytesIO(data)).pages]


def font_files(data: bytes) -> set[str]:
    """The kinds of embedded font program found (/FontFile, /FontFile2, /FontFile3)."""
    found: set[str] = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"].get_object().get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            descriptors = [font.get("/FontDescriptor")]
            descriptors += [d.get_object().get("/FontDescriptor")
                            for d in font.get("/DescendantFonts") or []]
            for descriptor in descriptors:
                if descriptor is None:
                    continue
                found |= {key for key in descriptor.get_object()
                          if key.startswith("/FontFile")}
    return found


def base_fonts(data: bytes) -> set[str]:
    """The /BaseFont names of every font used."""
    names: set[str] = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"].get_object().get("/Font") or {}
        names |= {str(ref.get_object().get("/BaseFont")) for ref in fonts.values()}
    return names
