"""A list page loads only the columns it shows (issue 16, item 4).

A list query loads whole rows by default: the commission list read 80 columns of four
tables (and the towns of its projects) to print seven cells. A view names what its cells
read (``list_reads``: relation path → columns, "" for the view's own model); the list query
then loads only those of each model on the path, and the relations of a joined model that
no path follows are left unloaded (read on access, one statement each: the query-count
tests catch a cell that reads one). The view's own relations keep their loading
(app/views/base.AppInterface: joined into the list query).

The options are built once per model and reads and reused by every page: SQLAlchemy's
loader options are immutable, and the same objects keep their memoized cache keys, so a
page neither rebuilds them nor walks them again to find its compiled statement.
"""
from __future__ import annotations

import functools
from typing import Any, Mapping, Sequence

from sqlalchemy import inspect
from sqlalchemy.orm import defaultload, load_only


def _children(path: str, paths: Sequence[str]) -> set[str]:
    """The relations followed from ``path`` by any of ``paths``."""
    depth = len(path.split(".")) if path else 0
    return {other.split(".")[depth] for other in paths
            if other != path and (not path or other.startswith(path + "."))}


def only_read(model: type, reads: Mapping[str, Sequence[str]]) -> tuple[Any, ...]:
    """Loader options for a list query of ``model`` reading only ``reads`` (made once)."""
    return _only_read(model, tuple((path, tuple(names)) for path, names in reads.items()))


@functools.cache
def _only_read(model: type, reads: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[Any, ...]:
    options: list[Any] = []
    paths = [path for path, _names in reads]
    for path, names in reads:
        target, loader = model, None
        for name in filter(None, path.split(".")):
            attr = getattr(target, name)
            loader = defaultload(attr) if loader is None else loader.defaultload(attr)
            target = attr.property.mapper.class_
        columns = [getattr(target, name) for name in names]
        options.append(load_only(*columns) if loader is None else loader.load_only(*columns))
        if loader is None:
            continue  # the view's own relations: AppInterface loads them
        followed = _children(path, paths)
        options += [loader.lazyload(getattr(target, rel.key))
                    for rel in inspect(target).relationships if rel.key not in followed]
    return tuple(options)
