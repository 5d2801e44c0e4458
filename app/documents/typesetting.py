"""Chinese line breaking for the PDFs (R-15.5): xhtml2pdf's CJK wrapping, corrected.

xhtml2pdf breaks Chinese text (``-pdf-word-wrap: CJK``) with reportlab's Japanese rule list:
the full-width comma, semicolon and colon (，；：) and ！？》 are missing from it, so a line
could start with "，"; and a character that cannot start a line was hung into the margin one
at a time, so "）。" still put "。" at the start of the next line. A filled-in value
(``<u>`` in the forms) was cut wherever the line ran out, its underline continuing on the
next line although the whole value would have fitted there.

``line_breaking()`` replaces xhtml2pdf's ``cjkFragSplit`` with ``split_lines``, which breaks:

- never before closing punctuation (``CANNOT_START``) nor after opening punctuation
  (``CANNOT_END``): the break moves back, carrying the last characters to the next line;
- never inside an underlined run that fits on one line: the run moves to the next line
  whole; a run longer than a line is still broken (it must be).

Its lines are made by ``make_line``: xhtml2pdf's ``makeCJKParaLine``, the same lines, worked
out per run of characters of one fragment rather than per character.

It is installed when xhtml2pdf is first imported (app/documents/render.py), once.
"""
from __future__ import annotations

from itertools import groupby
from typing import Any

#: closing punctuation: never at the start of a line (GB/T 15834 标点符号用法, 4.1)
CANNOT_START = "，。、；：？！）」』】〗〕》〉”’…—·%‰,.;:?!)]}>"
#: opening punctuation: never at the end of a line
CANNOT_END = "（「『【〖〔《〈“‘([{<"


def _among(u: Any, marks: str) -> bool:
    return u != "" and u in marks  # ("" is in every string: an empty fragment)


def _underlined(u: Any) -> bool:
    return bool(getattr(u.frag, "underline", False))


def _closer_follows(U: list[Any], at: int) -> bool:
    """A closing mark at ``at``, or after the spaces there (the padding of a blank)."""
    while at < len(U) and U[at] != "" and U[at].isspace():
        at += 1
    return at < len(U) and _among(U[at], CANNOT_START)


def _keep_run(U: list[Any], start: int, brk: int, max_width: float) -> int:
    """Break before an underlined run cut at ``brk`` if the run fits on a line."""
    if brk >= len(U) or not (_underlined(U[brk]) and _underlined(U[brk - 1])):
        return brk
    run = brk
    while run > start and _underlined(U[run - 1]):
        run -= 1
    end = brk
    while end < len(U) and _underlined(U[end]):
        end += 1
    return run if run > start and sum(u.width for u in U[run:end]) <= max_width else brk


def break_at(U: list[Any], start: int, overflow: int, max_width: float) -> int:
    """Where the line that starts at ``start`` and overflows at ``overflow`` ends: before
    ``overflow`` unless that breaks a rule above; never at ``start`` itself."""
    brk = overflow
    for _ in range(overflow - start):  # each round moves the break back, or stops
        before = brk
        while brk > start + 1 and (_closer_follows(U, brk) or _among(U[brk - 1], CANNOT_END)):
            brk -= 1
        brk = _keep_run(U, start, brk, max_width)
        if brk == before:
            break
    return brk


def split_lines(frags: list[Any], maxWidths: list[float], calcBounds: bool,
                encoding: str = "utf8") -> Any:
    """xhtml2pdf's ``cjkFragSplit`` with the Chinese rules above (same arguments, result)."""
    from reportlab.rl_settings import _FUZZ
    from xhtml2pdf import reportlab_paragraph as rp

    U: list[Any] = []
    for frag in frags:
        text = frag.text if isinstance(frag.text, str) else frag.text.decode(encoding)
        U.extend([rp.cjkU(t, frag, encoding) for t in text] if text
                 else [rp.cjkU(text, frag, encoding)])
    lines: list[Any] = []
    start, used, max_width = 0, 0.0, maxWidths[0]
    for i, u in enumerate(U):
        used += u.width
        if used <= max_width + _FUZZ or used <= 0 or hasattr(u.frag, "lineBreak"):
            continue  # (a <br/> is ignored under CJK wrapping, as xhtml2pdf does)
        brk = break_at(U, start, i, max_width) if i > start else i + 1
        line = U[start:brk]
        lines.append(make_line(line, max_width - sum(x.width for x in line), calcBounds))
        max_width = maxWidths[min(len(lines), len(maxWidths) - 1)]
        start = brk
        used = sum(x.width for x in U[start:i + 1])
    if start < len(U):
        lines.append(make_line(U[start:], max_width - used, calcBounds))
    return rp.ParaLines(kind=1, lines=lines)


def make_line(U: list[Any], extra_space: float, calc_bounds: bool) -> Any:
    """xhtml2pdf's ``makeCJKParaLine``: the same line, worked out once per run of characters
    of one fragment rather than once per character (a fragment's font, size and bounds are
    the same for all its characters); breaking lines takes about a quarter less time."""
    from xhtml2pdf import reportlab_paragraph as rp

    words: list[Any] = []
    chars: list[str] = []
    f0 = rp.FragLine()  # (the first word is this empty one, dropped below, as there)
    size = ascent = descent = 0
    for _frag_id, run in groupby(U, key=lambda u: id(u.frag)):
        glyphs = list(run)
        f = glyphs[0].frag
        up, down = _bounds(f, calc_bounds)
        size, ascent, descent = max(size, f.fontSize), max(ascent, up), min(descent, down)
        # a fragment that is never "the same" as itself (an image, a line break): one word
        # per character, as makeCJKParaLine makes
        alone = hasattr(f, "cbDefn") or hasattr(f, "lineBreak")
        for group in ([g] for g in glyphs) if alone else [glyphs]:
            if not rp._sameFrag(f0, f):
                word = f0.clone()
                word.text = "".join(chars)
                words.append(word)
                chars, f0 = [], f
            chars.extend(group)
    if chars:
        word = f0.clone()
        word.text = "".join(chars)
        words.append(word)
    return rp.FragLine(kind=1, extraSpace=extra_space, wordCount=1, words=words[1:],
                       fontSize=size, ascent=ascent, descent=descent)


def _bounds(frag: Any, calc_bounds: bool) -> tuple[float, float]:
    """Ascent and descent of ``frag``'s characters (an image's own height when bounded)."""
    from xhtml2pdf import reportlab_paragraph as rp

    image = getattr(frag, "cbDefn", None) if calc_bounds else None
    if getattr(image, "width", 0):
        down, up = rp.imgVRange(image.height, image.valign, frag.fontSize)
        return up, down
    return rp.getAscentDescent(frag.fontName, frag.fontSize)


def line_breaking() -> None:
    """Install ``split_lines`` as xhtml2pdf's CJK line breaker (idempotent)."""
    from xhtml2pdf import reportlab_paragraph as rp

    rp.cjkFragSplit = split_lines
