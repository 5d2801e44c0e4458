"""Names found by pinyin: "jcq" or "jiangcheng" finds 江城区 (issue 14, item 4).

Clerks at a shared counter PC type pinyin initials faster than Chinese. Units, projects and
staff keep two search keys of their name beside it, each in an indexed column:

- ``name_pinyin``: the full pinyin, lower case, no tones or spaces ("jiangchengqu");
- ``name_initials``: the first letter of each syllable ("jcq").

Letters and digits that are not Chinese stay as they are in both keys ("a1dong" for A1栋);
punctuation is dropped. The keys are written by the ORM whenever a row is inserted or its
name changes (``PinyinNamed``: a mapper event), so every path that saves through the ORM
(screens, import, seed) keeps them; bulk loads that bypass it (the benchmark's) call
``keys()`` themselves.

A search term that looks like pinyin (``as_pinyin_term``) is matched by prefix first — a range
on the indexed column, answered from the index at any table size — and, when that finds too
few, anywhere in the keys (a scan of the short key columns: ~30 ms at 100,000 rows on SQLite).
"""
from __future__ import annotations

import functools
import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column

from app import pinyin_table

#: a run of Chinese characters (the table's ranges: CJK unified ideographs and extension A)
_HAN = re.compile("[" + "".join(f"{chr(first)}-{chr(last)}"
                                for first, last in pinyin_table.RANGES) + "]+")
#: what is kept of the rest: ASCII letters and digits
_KEEP = re.compile(r"[^0-9a-z]+")
#: a term searched by pinyin: letters (and digits) only, at most this long
_TERM = re.compile(r"^[a-z][a-z0-9]{0,59}$")
FULL_LENGTH = 600
INITIALS_LENGTH = 200


@functools.lru_cache(maxsize=8192)
def _syllables(han: str) -> tuple[str, ...]:
    """The pinyin syllables of a run of Chinese characters (phrases read as phrases: 重庆
    is chong qing), cached: names repeat their parts (阳江市江城区…). pypinyin's readings,
    from the table app/pinyin_table.py reads, not from pypinyin's 55 MiB of dictionaries."""
    return pinyin_table.syllables(han)


def keys(name: str | None) -> tuple[str, str]:
    """(full pinyin, initials) of ``name``, lower case, letters and digits only."""
    full: list[str] = []
    initials: list[str] = []
    text = (name or "").lower()
    position = 0
    for match in _HAN.finditer(text):
        other = _KEEP.sub("", text[position:match.start()])
        full.append(other)
        initials.append(other)
        for syllable in _syllables(match.group()):
            full.append(syllable)
            initials.append(syllable[:1])
        position = match.end()
    rest = _KEEP.sub("", text[position:])
    full.append(rest)
    initials.append(rest)
    return "".join(full)[:FULL_LENGTH], "".join(initials)[:INITIALS_LENGTH]


def as_pinyin_term(term: str) -> str | None:
    """``term`` as a pinyin search key ("JCQ" → "jcq", "jiang cheng" → "jiangcheng"), or
    None when it is not one (Chinese, a code with dashes, empty)."""
    folded = re.sub(r"[\s']+", "", (term or "").lower())
    return folded if _TERM.match(folded) else None


def _next_prefix(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix`` (ASCII)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def prefix_clause(model: Any, term: str) -> Any:
    """Rows whose name's pinyin or initials start with ``term`` (an index range on each)."""
    upper = _next_prefix(term)
    return sa.or_(sa.and_(model.name_pinyin >= term, model.name_pinyin < upper),
                  sa.and_(model.name_initials >= term, model.name_initials < upper))


def contains_clause(model: Any, term: str) -> Any:
    """Rows whose name's pinyin or initials contain ``term`` anywhere."""
    pattern = f"%{term}%"
    return sa.or_(model.name_pinyin.like(pattern), model.name_initials.like(pattern))


class PinyinNamed:
    """The pinyin keys of a model's ``name`` column (indexed), kept by the ORM."""

    name_pinyin: Mapped[str] = mapped_column(
        sa.String(FULL_LENGTH), default="", server_default="", index=True)
    name_initials: Mapped[str] = mapped_column(
        sa.String(INITIALS_LENGTH), default="", server_default="", index=True)
    #: bookkeeping derived from the name: not a change of its own in the audit trail
    __audit_ignore__ = ("name_pinyin", "name_initials")


def fill_keys(target: Any) -> None:
    """Set ``target``'s pinyin keys from its name."""
    target.name_pinyin, target.name_initials = keys(target.name)


@event.listens_for(PinyinNamed, "before_insert", propagate=True)
def _on_insert(mapper: Any, connection: Any, target: Any) -> None:
    fill_keys(target)


@event.listens_for(PinyinNamed, "before_update", propagate=True)
def _on_update(mapper: Any, connection: Any, target: Any) -> None:
    fill_keys(target)
