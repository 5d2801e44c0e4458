"""What a page shows a reader, and the English words left in it (issue 14, item 3).

``visible_text`` keeps the text nodes a browser can show (not scripts or styles; hidden
dialogs are kept: they open on a click) and the attributes a reader sees (placeholders,
tooltips, button values, select2's placeholder). ``english_words`` finds the Latin words in
it that are not on the allow-list of proper nouns, codes and names the Chinese UI keeps.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

#: attributes whose text the reader sees
SHOWN_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label", "data-placeholder",
                    "data-original-title", "data-text")

#: words the Chinese UI keeps in Latin letters: formats, standards, product names, units;
#: "English" is the language switch naming that language in its own tongue
ALLOWED = frozenset(word.lower() for word in """
    PDF Excel API ID URL ZIP PNG JSON XML CSV HTTP HTTPS REST OpenAPI Swagger UI JWT SHA
    HMAC SMS AI GB MB KB Tab Esc Enter Ctrl Shift ECharts pinyin Pinyin
    FAB Flask AppBuilder SQLite PostgreSQL Chromium WeChat xlsx pdf zip png csv
    m km IP QR
    English JPG OFD DOC DOCX XLS XLSX EMS
""".split())

#: whole tokens kept as they are: login names and e-mail, web and file names
_TOKEN_KEPT = re.compile(
    r"""^(?:
        [\w.+-]+@[\w.-]+            # e-mail
      | https?://\S+                # URL
      | /\S*                        # a path
      | \S*\d\S*                    # anything with a digit: codes, numbers, dates
      | \S+\.(?:pdf|xlsx|zip|png|csv|json)  # a file name
    )$""", re.X | re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*(?:_[A-Za-z]+)*")


class _Text(HTMLParser):
    SKIP = {"script", "style", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
            return
        values = dict(attrs)
        for name in SHOWN_ATTRIBUTES:
            if values.get(name):
                self.parts.append(values[name])
        if tag == "input" and values.get("type") in ("submit", "button", "reset") \
                and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    """The pieces of text ``html`` shows a reader (text nodes and shown attributes)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return parser.parts


def english_words(pieces: list[str], also_allowed: frozenset[str] = frozenset()) -> list[str]:
    """The English words in ``pieces`` that neither ALLOWED nor ``also_allowed`` (lower
    case: user names, the app's own names) lets through, each with its piece of text."""
    found = []
    allowed = ALLOWED | {word.lower() for word in also_allowed}
    for piece in pieces:
        for token in piece.split():
            token = token.strip("()[]{}<>,.;:!?\"'“”‘’（）【】《》，。；：！？、|·•-–—«»")
            if not token or _TOKEN_KEPT.match(token) or token.lower() in allowed:
                continue
            for word in _WORD.findall(token):
                if len(word) > 1 and word.lower() not in allowed:
                    found.append(f"{word!r} in {piece[:80]!r}")
    return found
