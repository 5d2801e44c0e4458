"""The pinyin syllables of a run of Chinese characters, as pypinyin's ``lazy_pinyin`` gives them.

pypinyin's dictionaries take about 55 MiB of Python objects once loaded, in every process that
computes a key (each gunicorn worker, counted whole in its resident memory). What the app
needs of them is in app/pinyin_table.txt (0.6 MB), written from pypinyin by
scripts/pinyin_table.py: each character's default reading and pypinyin's phrases, sorted,
with their reading where it is not their characters' defaults. Loaded on first use it holds
about 0.7 MiB: one string of the phrases and an array of where each starts, bisected.

The phrases are found as pypinyin finds them (``pypinyin.seg.mmseg``, forward maximum
matching in its strict mode), so the syllables are the same: 重庆 is chong qing, 银行 yin
hang, 行长 hang zhang (tests/test_pinyin_table.py compares them over every phrase, character
and name the tests know).
"""
from __future__ import annotations

import bisect
import functools
from array import array
from pathlib import Path
from typing import Iterator

TABLE = Path(__file__).with_name("pinyin_table.txt")
#: the runs of Chinese app/pinyin.py keys: CJK unified ideographs, extension A and the main block
RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF))
FIRST, LAST = RANGES[0][0], RANGES[-1][1]
_NO_READING = 0xFFFF


class _Phrases:
    """pypinyin's phrases, sorted, one per line of one string (``phrase`` or
    ``phrase<tab>its reading``): a sequence of the phrases for ``bisect``."""

    def __init__(self, block: str) -> None:
        self._block = block
        starts = array("I", [0])
        position = block.find("\n")
        while position != -1:
            starts.append(position + 1)
            position = block.find("\n", position + 1)
        self._starts = starts

    def __len__(self) -> int:
        return len(self._starts) - 1

    def line(self, index: int) -> str:
        return self._block[self._starts[index]:self._starts[index + 1] - 1]

    def __getitem__(self, index: int) -> str:
        return self.line(index).partition("\t")[0]

    def find(self, words: str) -> tuple[bool, str | None]:
        """(whether some phrase starts with ``words``, ``words``' own reading line's tail —
        "" when it is a phrase read by its characters' defaults, None when no phrase)."""
        index = bisect.bisect_left(self, words)
        if index == len(self):
            return False, None
        phrase, _, reading = self.line(index).partition("\t")
        return phrase.startswith(words), (reading if phrase == words else None)


class _Table:
    """Each character's default reading and the phrases."""

    def __init__(self, text: str) -> None:
        chars, _, phrases = text.partition("\n@phrases\n")
        self.syllables: list[str] = []
        self.reading = array("H", [_NO_READING]) * (LAST - FIRST + 1)
        for line in chars.partition("@chars\n")[2].splitlines():
            syllable, _, members = line.partition(" ")
            for char in members:
                self.reading[ord(char) - FIRST] = len(self.syllables)
            self.syllables.append(syllable)
        self.phrases = _Phrases(phrases)

    def of_char(self, char: str) -> str:
        """``char``'s default reading (the character itself when it has none)."""
        code = ord(char) - FIRST
        index = self.reading[code] if 0 <= code <= LAST - FIRST else _NO_READING
        return char if index == _NO_READING else self.syllables[index]

    def segments(self, text: str) -> Iterator[tuple[str, str | None]]:
        """``text`` cut as pypinyin's strict forward maximum matching cuts it: the longest
        phrase at each place, else one character; each with its phrase reading (or None)."""
        remain = text
        while remain:
            longest, reading = 0, None
            for end in range(1, len(remain) + 1):
                prefix, own = self.phrases.find(remain[:end])
                if not prefix:
                    break
                if own is not None:
                    longest, reading = end, own
            else:
                if not longest:  # a prefix of phrases to its end, none of them whole
                    yield from ((char, None) for char in remain)
                    return
            if longest:
                yield remain[:longest], reading
                remain = remain[longest:]
            else:
                yield remain[0], None
                remain = remain[1:]


@functools.cache
def _table() -> _Table:
    return _Table(TABLE.read_text(encoding="utf-8"))


def load() -> None:
    """Read the table now (gunicorn's master, before it forks: app/ops/preload.py)."""
    _table()


def syllables(han: str) -> tuple[str, ...]:
    """The syllables of ``han``, a run of Chinese characters (U+3400–U+9FFF): lower case, no
    tones, ü as v, phrases read as phrases."""
    table = _table()
    found: list[str] = []
    for words, reading in table.segments(han):
        if reading:
            found.extend(reading.split(" "))
        else:
            found.extend(table.of_char(char) for char in words)
    return tuple(found)
