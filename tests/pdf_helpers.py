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


def text_runs(data: bytes) -> list[tuple[int, float, float, float, str]]:
    """Every piece of text as drawn: (page, x, y, font size, text), to 0.01 pt."""
    runs: list[tuple[int, float, float, float, str]] = []
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        def visit(text, cm, tm, font_dict, font_size, number=number):
            if text.strip():
                runs.append((number, round(cm[4] + tm[4], 2), round(cm[5] + tm[5], 2),
                             round(font_size * cm[0], 2), text.strip()))
        page.extract_text(visitor_text=visit)
    return runs


def _times(a: list[float], b: list[float]) -> list[float]:
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def ruled_lines(data: bytes) -> list[dict[tuple, list[tuple[float, float]]]]:
    """The straight lines stroked on each page, as a reader sees them: per direction,
    position and width, the stretches they cover (lines drawn cell by cell or row by row
    come out the same), to 0.01 pt."""
    from pypdf.generic import ContentStream

    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        ctm, width, saved, point = [1.0, 0, 0, 1.0, 0, 0], 1.0, [], (0.0, 0.0)
        path: list[tuple[tuple[float, float], tuple[float, float]]] = []
        found: dict[tuple, list[list[float]]] = {}
        for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
            op = operator.decode() if isinstance(operator, bytes) else operator
            if op == "q":
                saved.append((ctm, width))
            elif op == "Q":
                ctm, width = saved.pop()
            elif op == "cm":
                ctm = _times([float(v) for v in operands], ctm)
            elif op == "w":
                width = float(operands[0])
            elif op in ("m", "l"):
                x, y = float(operands[0]), float(operands[1])
                to = (x * ctm[0] + y * ctm[2] + ctm[4], x * ctm[1] + y * ctm[3] + ctm[5])
                if op == "l":
                    path.append((point, to))
                point = to
            elif op in ("S", "s"):
                for (x0, y0), (x1, y1) in path:
                    across = abs(y0 - y1) < 0.01
                    key = ("-", round(y0, 2), width) if across else ("|", round(x0, 2), width)
                    ends = sorted((x0, x1) if across else (y0, y1))
                    found.setdefault(key, []).append(ends)
                path = []
            elif op == "n":
                path = []
        merged: dict[tuple, list[tuple[float, float]]] = {}
        for key, stretches in found.items():
            joined: list[list[float]] = []
            for low, high in sorted(stretches):
                if joined and low <= joined[-1][1] + 0.01:
                    joined[-1][1] = max(joined[-1][1], high)
                else:
                    joined.append([low, high])
            merged[key] = [(round(low, 2), round(high, 2)) for low, high in joined]
        pages.append(merged)
    return pages
