"""Reading one cell of an imported workbook (R-18.1) with the screens' own rules.

Each parser takes the raw cell value openpyxl gives (text, number, date, None) and returns
the typed value or raises CellError with the message the screens would show. The rules
themselves are not restated here: formats come from app/domain/validators.py, what any
value may hold (no NUL, dates in range, finite numbers) from app/inputs.py.
"""
from __future__ import annotations

import datetime as dt
import decimal
import re
from typing import Any, Callable

from flask_babel import force_locale
from flask_babel import lazy_gettext as _

from app import inputs
from app.imports.spec import CellError, Parser
from app.labels import LabelledEnum

YES_NO = ("是", "否")
YES = ("是", "yes", "y", "true", "1", "√")
NO = ("否", "no", "n", "false", "0", "×")
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def _raw_text(value: Any) -> str | None:
    """The cell as stripped text, None when empty (numbers keep no ``.0``)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    text = (value.isoformat() if isinstance(value, dt.date) else str(value)).strip()
    if inputs.has_illegal(text):
        raise CellError(inputs.BAD_TEXT)
    return text or None


def text(max_length: int, check: Callable[[str], Any] | None = None,
         upper: bool = False) -> Parser:
    """Text of at most ``max_length`` characters, checked by ``check`` (a validator)."""

    def parse(value: Any) -> str | None:
        raw = _raw_text(value)
        if raw is None:
            return None
        if upper:
            raw = raw.upper()
        if len(raw) > max_length:
            raise CellError(_("At most %(n)d characters.", n=max_length))
        problem = check(raw) if check is not None else None
        if problem is not None:
            raise CellError(problem)
        return raw

    return parse


def date(value: Any) -> dt.date | None:
    """A date cell, or text like 2026-03-02, 2026/3/2 or 2026年3月2日."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        raw = _raw_text(value) or ""
        match = _DATE_TEXT.fullmatch(raw)
        try:
            day = dt.date(*(int(g) for g in match.groups())) if match else None
        except ValueError:
            day = None
        if day is None:
            raise CellError(_("Enter the date as YYYY-MM-DD."))
    if not inputs.sane_date(day):
        raise CellError(inputs.BAD_DATE)
    return day


def integer(check: Callable[[int], Any] | None = None, minimum: int = -100_000,
            maximum: int = 100_000) -> Parser:
    """A whole number between ``minimum`` and ``maximum``, checked by ``check``."""

    def parse(value: Any) -> int | None:
        raw = _raw_text(value)
        if raw is None:
            return None
        try:
            number = int(raw)
        except ValueError:
            raise CellError(_("Enter a whole number.")) from None
        if not minimum <= number <= maximum:
            raise CellError(_("Enter a number between %(low)d and %(high)d.",
                              low=minimum, high=maximum))
        problem = check(number) if check is not None else None
        if problem is not None:
            raise CellError(problem)
        return number

    return parse


def amount(check: Callable[[Any], Any]) -> Parser:
    """A decimal amount (two places), checked by ``check`` (a validator)."""

    def parse(value: Any) -> decimal.Decimal | None:
        raw = _raw_text(value)
        if raw is None:
            return None
        try:
            number = decimal.Decimal(raw.replace(",", ""))
        except decimal.InvalidOperation:
            raise CellError(inputs.BAD_NUMBER) from None
        if not inputs.is_finite(number):
            raise CellError(inputs.BAD_NUMBER)
        problem = check(number)
        if problem is not None:
            raise CellError(problem)
        return number.quantize(decimal.Decimal("0.01"))

    return parse


def _yes_no_options() -> tuple[str, ...]:
    return YES_NO


def yes_no(value: Any) -> bool | None:
    """是 / 否 (also yes/no, 1/0)."""
    raw = _raw_text(value)
    if raw is None:
        return None
    if raw.lower() in YES:
        return True
    if raw.lower() in NO:
        return False
    raise CellError(_("Enter 是 or 否."))


yes_no.options = _yes_no_options  # type: ignore[attr-defined]


def zh_label(member: LabelledEnum) -> str:
    """The Chinese label of ``member``: what the template's lists offer."""
    with force_locale("zh"):
        return str(member.label)


def choice(enum_cls: type[LabelledEnum],
           allowed: tuple[LabelledEnum, ...] | None = None) -> Parser:
    """One member of ``enum_cls`` (or of ``allowed``), by its Chinese label or its code."""
    members = allowed or tuple(enum_cls)
    names: dict[str, LabelledEnum] = {}  # filled at the first cell (labels need the app)

    def parse(value: Any) -> LabelledEnum | None:
        raw = _raw_text(value)
        if raw is None:
            return None
        if not names:
            for member in members:
                names.update({member.value: member, zh_label(member): member})
        if raw in names:
            return names[raw]
        raise CellError(_("Choose one of: %(values)s",
                          values="、".join(zh_label(m) for m in members)))

    parse.options = lambda: tuple(zh_label(m) for m in members)  # type: ignore[attr-defined]
    return parse
