"""Write app/pinyin_table.txt, the readings app/pinyin_table.py gives Chinese names, from pypinyin.

pypinyin's dictionaries are about 55 MiB of Python objects once loaded; the app needs only
what ``lazy_pinyin`` (default style, no tones) makes of a run of Chinese characters. That is:

- each character's default reading (U+3400–U+4DBF, U+4E00–U+9FFF, the app's Chinese runs),
  as lines ``syllable<space>characters``; a character without one reads as itself;
- every phrase of pypinyin's phrase dictionary, sorted: the segmentation (forward maximum
  matching over those phrases) needs them all, the reading only where it is not the
  characters' defaults one by one (``银行<tab>yin hang``; 47,111 phrases, 3,437 readings
  in pypinyin 0.55.0).

Run it after upgrading pypinyin (``python scripts/pinyin_table.py``); tests/test_pinyin_table.py
fails while the shipped file differs from what the installed pypinyin gives, and proves that
app/pinyin.py's keys are pypinyin's. Build-time only: the app never imports pypinyin.
"""
from __future__ import annotations

import sys

from app.pinyin_table import RANGES, TABLE as TARGET


def _converter():
    from pypinyin.constants import Style
    from pypinyin.converter import DefaultConverter
    from pypinyin.utils import _remove_dup_and_empty

    converter = DefaultConverter()
    args = (Style.NORMAL, False, "default", True)

    def single(char: str) -> str:
        """What lazy_pinyin gives ``char`` when it is not a phrase of its own."""
        readings = converter._single_pinyin(char, *args)
        readings = converter.convert_styles(readings, char, *args)
        (reading,), = _remove_dup_and_empty(readings)
        return reading

    def phrase(words: str) -> list[str]:
        """What lazy_pinyin gives a phrase of its dictionary."""
        return [item[0] for item in converter.convert(words, *args)]

    return single, phrase


def table_text() -> str:
    """The file's text, from the installed pypinyin."""
    import pypinyin
    from pypinyin.constants import PHRASES_DICT

    single, phrase = _converter()
    by_reading: dict[str, list[str]] = {}
    for first, last in RANGES:
        for code in range(first, last + 1):
            char = chr(code)
            reading = single(char)
            if reading != char:
                assert reading.isascii() and reading.isalpha(), (char, reading)
                by_reading.setdefault(reading, []).append(char)
    default = {char: reading for reading, chars in by_reading.items() for char in chars}
    lines = [f"# pypinyin {pypinyin.__version__}'s readings for app/pinyin_table.py, written by "
             "scripts/pinyin_table.py: do not edit.", "@chars"]
    lines += [f"{reading} {''.join(chars)}" for reading, chars in sorted(by_reading.items())]
    lines.append("@phrases")
    for words in sorted(PHRASES_DICT):
        assert all(any(a <= ord(c) <= b for a, b in RANGES) for c in words), words
        reading = phrase(words)
        assert len(reading) == len(words) and all(r.isascii() and r.isalpha()
                                                  for r in reading), words
        own = reading != [default.get(char, char) for char in words]
        lines.append(f"{words}\t{' '.join(reading)}" if own else words)
    return "\n".join(lines) + "\n"


def main() -> None:
    TARGET.write_text(table_text(), encoding="utf-8")
    print(f"wrote {TARGET}", file=sys.stderr)


if __name__ == "__main__":
    main()
