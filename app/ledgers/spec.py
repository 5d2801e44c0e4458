"""What a ledger (台账) is: a title, the model it lists and its columns, as data."""
from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass, field
from typing import Any, Callable

Getter = Callable[[Any], Any]


def path(dotted: str) -> Getter:
    """A getter following attributes (``"project.unit.name"``); None where a link is empty."""
    names = dotted.split(".")

    def get(row: Any) -> Any:
        value = row
        for name in names:
            value = getattr(value, name, None)
            if value is None:
                return None
        return value

    return get


def joined(dotted: str, attr: str | None = None, sep: str = "、") -> Getter:
    """A getter listing a to-many relation's members (their ``attr``, or their text)."""
    get_many = path(dotted)

    def get(row: Any) -> str:
        members = get_many(row) or ()
        return sep.join(str(getattr(m, attr) if attr else m) for m in members)

    return get


@dataclass(frozen=True)
class Column:
    """One column: its Chinese header (a lazy msgid), how to read it, how to show it.

    ``phone``: the value is a personal phone number, masked for users who do not handle
    the case (R-14.5).
    """

    header: Any
    get: Getter
    width: float = 14
    phone: bool = False


@dataclass(frozen=True)
class Ledger:
    """An exportable ledger: ``key`` is what list views declare (``ledger = "<key>"``)."""

    key: str
    title: Any  # the sheet name and the file name's stem, e.g. 委托协办台账
    model: type
    columns: tuple[Column, ...]
    #: loader options (selectinload of to-many relations) so a batch costs a few queries
    options: tuple[Any, ...] = field(default=())


#: Python values written as they are (dates as dates, numbers as numbers); the rest as text.
NATIVE = (int, float, decimal.Decimal, dt.date, dt.datetime)
