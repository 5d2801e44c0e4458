"""A list page reads only the columns it shows, as plain rows (issue 16, item 4).

A list query loads whole rows by default: the commission list read 80 columns of four
tables (and the towns of its projects) to print seven cells. A view names what its cells
read (``list_reads``: relation path → columns, "" for the view's own model). Its page's
statement then selects those columns themselves (``row_reader``: each shown relation
outer-joined under its own alias), and each row becomes a ``ListedRow``: an object with
those attributes, the shown relations as nested ones (None where there is none), and the
model's properties and ``__str__``/``__repr__``, so the view's cells (FAB's values, the
view's formatters, the commission's deadline) read it as they read the model's object. The
ORM's objects (their identity, their state, a loader for each column left unread) had been
a fifth of the commission list's time; a page shows its rows and forgets them. A cell
reading what ``list_reads`` does not name would show blank: tests/test_list_loading.py
compares every cell of the commission list with the model's. The reader is made once per
model and reads, and so is each row class.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from sqlalchemy import inspect
from sqlalchemy.orm import aliased


class ListedRow:
    """One row of a list page: the columns read, the shown relations (ListedRow or None)."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.__dict__.update(values)


@functools.cache
def _row_class(model: type) -> type:
    """A ListedRow with ``model``'s properties and its ``__str__`` and ``__repr__``."""
    namespace: dict[str, Any] = {"__module__": __name__, "__qualname__": f"{model.__name__}Row"}
    for klass in reversed(model.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, property):
                namespace[name] = value
    for name in ("__str__", "__repr__"):
        method = getattr(model, name)
        if method is not getattr(object, name):
            namespace[name] = method
    return type(f"{model.__name__}Row", (ListedRow,), namespace)


@dataclass(frozen=True)
class RowReader:
    """What a list statement selects and joins (``columns``, ``joins``: relationship
    attributes to outer-join, each to its alias) and how a result row becomes a
    ListedRow (``make``)."""

    columns: tuple[Any, ...]
    joins: tuple[Any, ...]
    make: Callable[[Sequence[Any]], ListedRow]


def row_reader(model: type, reads: Mapping[str, Sequence[str]]) -> RowReader:
    """The RowReader of a list of ``model`` reading ``reads`` (made once)."""
    return _row_reader(model, tuple((path, tuple(names)) for path, names in reads.items()))


@functools.cache
def _row_reader(model: type, reads: tuple[tuple[str, tuple[str, ...]], ...]) -> RowReader:
    entities: dict[str, Any] = {"": model}
    models: dict[str, type] = {"": model}
    columns: list[Any] = []
    joins: list[Any] = []
    # (path, its class, its parent path, its name there, its column names, first index)
    parts: list[tuple[str, type, str, str, tuple[str, ...], int]] = []
    for path, names in sorted(reads, key=lambda read: len(read[0].split("."))
                              if read[0] else 0):
        parent, _, name = path.rpartition(".")
        if path:
            relation = getattr(entities[parent], name)
            target = relation.property.mapper.class_
            entities[path] = aliased(target, name="listed_" + path.replace(".", "_"))
            models[path] = target
            joins.append(relation.of_type(entities[path]))
        key = inspect(models[path]).primary_key[0].key
        read = (key, *(n for n in names if n != key))
        parts.append((path, _row_class(models[path]), parent, name, read, len(columns)))
        columns += [getattr(entities[path], n) for n in read]

    def make(row: Sequence[Any]) -> ListedRow:
        made: dict[str, ListedRow | None] = {}
        for path, cls, parent, name, read, first in parts:
            values = row[first:first + len(read)]
            made[path] = item = (cls(dict(zip(read, values)))
                                 if values[0] is not None or not path else None)
            if path and made[parent] is not None:
                setattr(made[parent], name, item)
        return made[""]  # type: ignore[return-value]

    return RowReader(tuple(columns), tuple(joins), make)
