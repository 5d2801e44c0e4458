"""What a ledger (台账) is: a title, the model it lists and its columns, as data."""
from __future__ import annotations

import datetime as dt
import decimal
import functools
import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

Getter = Callable[[Any], Any]


class Record(dict):
    """One row read as plain columns (app/ledgers/reading.py): the values by dotted path
    (``"project.unit.name"``), the model's own columns also as attributes, so a getter of a
    loaded object (``decided_on_time(item)``) reads a record as well."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def path(dotted: str) -> Getter:
    """A getter following attributes (``"project.unit.name"``); None where a link is empty.
    On a ``Record`` it reads the column of that path."""
    names = dotted.split(".")

    def get(row: Any) -> Any:
        if type(row) is Record:
            return row[dotted]
        value = row
        for name in names:
            value = getattr(value, name, None)
            if value is None:
                return None
        return value

    get.dotted = dotted  # type: ignore[attr-defined]  # what it reads (tests/test_ledgers.py)
    get.reads = (dotted,)  # type: ignore[attr-defined]
    return get


def reads(*dotted: str) -> Callable[[Getter], Getter]:
    """Declares the columns a computed getter reads, so that its ledger can be read as plain
    columns (``@reads("decided_on", "due_on")``); a getter declaring none is read from
    loaded objects, and so is its whole ledger."""
    def mark(get: Getter) -> Getter:
        @functools.wraps(get)  # a new function: the one given (a domain rule) stays as it is
        def reading(row: Any) -> Any:
            return get(row)

        reading.reads = dotted  # type: ignore[attr-defined]
        return reading
    return mark


def joined(dotted: str, attr: str | None = None, sep: str = "、") -> Getter:
    """A getter listing a to-many relation's members (their ``attr``, or their text)."""
    get_many = path(dotted)

    def get(row: Any) -> str:
        members = get_many(row) or ()
        return sep.join(str(getattr(m, attr) if attr else m) for m in members)

    return get


@dataclass(frozen=True)
class ScreenLabel:
    """A header that is a screen's label: ``label_columns[column]`` of the FAB view
    ``app.views.<module>.<view>``, read when the file is written (the views import the
    ledgers, so not at import time). A ledger and its screens then say the same thing."""

    module: str
    view: str
    column: str

    def label(self) -> Any:
        """The screen's lazy msgid (KeyError if the screen has no such column)."""
        view = getattr(importlib.import_module(f"app.views.{self.module}"), self.view)
        return view.label_columns[self.column]

    def __str__(self) -> str:
        return str(self.label())


def screen(module: str, view: str) -> Callable[[str], ScreenLabel]:
    """The labels of one screen: ``COMMISSION = screen("commission", "CommissionView")``,
    then ``COMMISSION("application_no")`` is that screen's header of the column."""
    return lambda column: ScreenLabel(module, view, column)


@dataclass(frozen=True)
class Column:
    """One column: its Chinese header, how to read it, how to show it.

    The header is a screen's label (``ScreenLabel``) where a screen shows the value, a lazy
    msgid of its own only where none does.

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
    #: (for a ledger read from loaded objects: one with a to-many column)
    options: tuple[Any, ...] = field(default=())

    @property
    def paths(self) -> tuple[str, ...] | None:
        """The dotted paths its columns read, in order, once each; None when a column does
        not say (then rows are loaded as objects)."""
        found: dict[str, None] = {}
        for column in self.columns:
            declared = getattr(column.get, "reads", None)
            if declared is None:
                return None
            found.update(dict.fromkeys(declared))
        return tuple(found)


#: Python values written as they are (dates as dates, numbers as numbers); the rest as text.
NATIVE = (int, float, decimal.Decimal, dt.date, dt.datetime)
