"""What input the application accepts at all (R-14.9): the one home of the limits.

Every screen, step form, filter, lookup, export and API call reads its values through
these rules (the request guard and form checks in app/views/input_guard.py, the Excel and
PDF writers), so that a value no column or file format can hold is refused with a clear
message before it reaches the database, the workbook or the PDF, never with a 500:

- ids are positive 64-bit integers (PostgreSQL ``bigint``, SQLite's INTEGER): a larger
  number names no record;
- numbers are finite (``NaN`` and infinities compare with nothing and break sums);
- dates lie between ``DATE_MIN`` and ``DATE_MAX`` (working-day arithmetic on 9999-12-20
  runs past the calendar's end);
- text holds no character XML 1.0 forbids (NUL, most C0 controls, U+FFFE/U+FFFF, lone
  surrogates): PostgreSQL refuses NUL in text, and the .xlsx and PDF writers cannot store
  the others. Writers strip them from stored text (``clean_text``); input is refused.
"""
from __future__ import annotations

import datetime as dt
import decimal
import math
import re
from typing import Any

from flask_babel import lazy_gettext as _
from werkzeug.exceptions import BadRequest

#: the largest id any table can hold (signed 64-bit)
ID_MAX = 2**63 - 1
#: the range of dates the application accepts (the policy's records are of this century)
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
#: the largest page number and page size a list accepts
PAGE_MAX = 1_000_000
PAGE_SIZE_MAX = 100

#: characters XML 1.0 cannot hold (its Char production), NUL included
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

BAD_TEXT = _("The input contains a character that cannot be stored (for example a NUL "
             "byte or a control character). Remove it and try again; nothing was changed.")
BAD_ID = _("The chosen record does not exist.")
BAD_NUMBER = _("Enter a finite number.")
BAD_DATE = _("Enter a date between %(first)s and %(last)s.",
             first=DATE_MIN.isoformat(), last=DATE_MAX.isoformat())
BAD_PAGE = _("The page number or page size in the address is not valid; nothing was changed.")
BAD_FILTER = _("A search filter in the address is not valid; nothing was changed.")


class BadInput(BadRequest):
    """A value the application refuses; ``message`` is the translatable reason.

    An HTTP 400, so that code which turns unknown exceptions into a 500 (FAB's REST API)
    answers it as a bad request.
    """

    def __init__(self, message: Any) -> None:
        super().__init__(description=str(message))
        self.message = message


def has_illegal(text: str) -> bool:
    """True when ``text`` holds a character no XML document (or PostgreSQL text) can hold."""
    return XML_ILLEGAL.search(text) is not None


def clean_text(text: str) -> str:
    """``text`` without the characters XML cannot hold (for writers of stored text)."""
    return XML_ILLEGAL.sub("", text)


def valid_id(value: Any) -> int | None:
    """``value`` as a record id (a positive 64-bit integer), or None when it cannot be one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not text.isascii() or not text.isdigit() or len(text) > 19:
            return None
        number = int(text)
    return number if 0 < number <= ID_MAX else None


def is_finite(value: Any) -> bool:
    """False for NaN and infinities (float or Decimal); True for everything else."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, decimal.Decimal):
        return value.is_finite()
    return True


def sane_date(value: Any) -> bool:
    """False for a date or moment outside ``DATE_MIN`` … ``DATE_MAX``; True otherwise."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return DATE_MIN <= value <= DATE_MAX
    return True


def value_problem(value: Any) -> Any | None:
    """The message for a typed value the application refuses (text, number, date), or None."""
    if isinstance(value, str):
        return BAD_TEXT if has_illegal(value) else None
    if not is_finite(value):
        return BAD_NUMBER
    if not sane_date(value):
        return BAD_DATE
    return None


def page_number(raw: str, size: bool = False) -> int:
    """A list's ``page_``/``psize_`` argument as an int; BadInput when it is not one."""
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 7:
        raise BadInput(BAD_PAGE)
    number = int(text)
    if size and not 1 <= number <= PAGE_SIZE_MAX or not size and number > PAGE_MAX:
        raise BadInput(BAD_PAGE)
    return number
