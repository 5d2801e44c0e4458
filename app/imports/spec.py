"""What an import is made of (R-18.1): columns that read and check one cell, sheets of rows,
and kinds (units, projects, staff, catalogue, commissions) made of sheets.

A column reads its cell with a parser from app/imports/cells.py, which applies the same
rules as the screens (app/domain/validators.py, app/inputs.py); a sheet upserts one row on
its natural key through its ``upsert`` function and says what it did (``Outcome``). Adding
a field to an import is adding one ``Column`` (with ``attr`` when it is a plain column of
the record): the template, the notes, the preview and the report follow.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

from flask_babel import lazy_gettext as _

from app.domain.errors import DomainError
from app.labels import LabelledEnum

#: a cell parser: the raw cell value → the typed value (None when empty); raises CellError
Parser = Callable[[Any], Any]


class CellError(ValueError):
    """A cell that cannot be read; ``message`` is the translatable reason."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


class RowRefused(DomainError):
    """A row the import refuses; the message says why (in Chinese)."""


class Action(LabelledEnum):
    """What the import does with one row."""

    create = ("create", _("Create"))
    update = ("update", _("Update"))
    unchanged = ("unchanged", _("Unchanged"))
    refuse = ("refuse", _("Refused row"))
    skip = ("skip", _("Example row, skipped"))


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, how its cell is read and checked, its help."""

    key: str
    #: the header (Chinese in the template, English source string)
    header: Any
    parse: Parser
    required: bool = False
    #: the model attribute the value is written to by ``assign`` (None: the sheet decides)
    attr: str | None = None
    #: the value of an empty cell (e.g. 否 for a yes/no column)
    default: Any = None
    #: the example row's value, as typed in the template
    example: Any = None
    #: the note shown on the notes sheet
    note: Any = None
    width: int = 16

    def options(self) -> tuple[str, ...]:
        """The values the template's drop-down list offers (enumerations, 是/否), or ()."""
        offered = getattr(self.parse, "options", None)
        return tuple(offered()) if offered is not None else ()


@dataclass(frozen=True)
class Outcome:
    """What an upsert did with a row: the action and a short description (changed fields)."""

    action: Action
    detail: str = ""


@dataclass
class Sheet:
    """A sheet of a workbook: its columns, its natural keys and the upsert of one row."""

    key: str
    title: Any
    columns: tuple[Column, ...]
    #: row values → the natural keys naming the row (duplicates within the file are refused)
    keys: Callable[[dict[str, Any]], list[tuple[str, Any]]]
    #: (import run, row values) → Outcome; raises RowRefused / DomainError to refuse the row
    upsert: Callable[[Any, dict[str, Any]], Outcome]
    #: loads what the upserts look up (existing records by key), once per run
    prepare: Callable[[Any], None] | None = None
    #: a sheet a workbook may leave out (e.g. the departments beside the roster)
    optional: bool = False
    #: after every row: links between rows (e.g. prerequisites naming later rows); returns
    #: {row number: (problem or None, what changed or "")}
    finish: Callable[[Any], dict[int, tuple[str | None, str]]] | None = None

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass
class Kind:
    """One kind of import: its sheets in the order they are read, and its notes."""

    key: str
    label: Any
    sheets: tuple[Sheet, ...]
    notes: tuple[Any, ...] = ()
    #: the roles' permission to import it is the import screen's; nothing per kind


def assign(record: Any, values: dict[str, Any], columns: tuple[Column, ...]) -> list[Any]:
    """Write the values of the ``attr`` columns to ``record``; the headers of those changed
    (lazy strings: a created record's are never read).

    An empty optional cell leaves the recorded value alone only when it is None already:
    an import states the record, so an emptied cell empties the field.
    """
    changed: list[str] = []
    for column in columns:
        if column.attr is None or column.key not in values:
            continue
        value = values[column.key]
        if getattr(record, column.attr) != value:
            setattr(record, column.attr, value)
            changed.append(column.header)
    return changed


def relink(record: Any, **links: tuple[Any, Any]) -> list[Any]:
    """Point ``record``'s relations at the given records (``name=(target, header)``); the
    headers of those that changed."""
    changed = []
    for name, (target, header) in links.items():
        if getattr(record, name) is not target:
            setattr(record, name, target)
            changed.append(header)
    return changed


def changed_outcome(created: bool, changed: list[Any]) -> Outcome:
    """The Outcome of an upsert that created a record or changed the fields ``changed``."""
    if created:
        return Outcome(Action.create)
    if changed:
        return Outcome(Action.update, "、".join(str(header) for header in changed))
    return Outcome(Action.unchanged)


@dataclass
class RowResult:
    """One row of the preview and the report."""

    sheet: str
    row: int
    action: Action
    key: str = ""
    detail: str = ""
    problems: list[str] = field(default_factory=list)
    cells: list[Any] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "action": self.action.value,
                "key": self.key, "detail": self.detail, "problems": self.problems,
                "cells": [c.isoformat() if isinstance(c, dt.date) else c for c in self.cells]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RowResult":
        return cls(sheet=data["sheet"], row=data["row"], action=Action(data["action"]),
                   key=data["key"], detail=data["detail"], problems=list(data["problems"]),
                   cells=list(data["cells"]))
