"""Reading a ledger's rows (issue 16 item 7): as plain columns where it can, streamed.

A ledger whose every column says what it reads (``spec.path`` and ``spec.reads``) is read by
one select of exactly those columns: the list's own statement (its filters, row-level access
and order) with its entity replaced by the columns, each to-one link outer-joined once under
an alias. No ORM object is built; each row is a ``spec.Record``. A ledger with a to-many
column (the meetings') is read as objects with its loader options, as before. Both stream in
batches of ``BATCH`` rows, so memory stays bounded whatever the size.
"""
from __future__ import annotations

from typing import Any, Iterator

from sqlalchemy.orm import Session, aliased

from app.ledgers.spec import Ledger, Record

#: rows fetched per round trip while streaming (memory stays bounded by one batch)
BATCH = 500


def columns_of(ledger: Ledger, statement: Any) -> Any | None:
    """``statement`` (a select of ``ledger.model``) selecting the ledger's columns instead,
    labelled in the order of ``ledger.paths``; None when the ledger is read as objects."""
    paths = ledger.paths
    if paths is None:
        return None
    model = ledger.model
    entities: dict[str, Any] = {"": model}
    joins: list[Any] = []
    columns = []
    for index, dotted in enumerate(paths):
        *links, name = dotted.split(".")
        prefix = ""
        for link in links:
            key = f"{prefix}.{link}" if prefix else link
            if key not in entities:
                relation = getattr(entities[prefix], link)
                if relation.property.uselist:
                    return None  # a to-many link: one row per member, not per record
                entities[key] = aliased(relation.property.mapper.class_)
                joins.append(relation.of_type(entities[key]))
            prefix = key
        columns.append(getattr(entities[prefix], name).label(f"c{index}"))
    selected = statement.with_only_columns(*columns).select_from(model)
    for join in joins:
        selected = selected.outerjoin(join)
    return selected


def rows(session: Session, ledger: Ledger, statement: Any) -> Iterator[Any]:
    """The rows of ``statement`` for ``ledger``: ``Record``s, or loaded objects for a ledger
    that cannot be read as columns. Closing the iterator closes the cursor."""
    selected = columns_of(ledger, statement)
    if selected is None:
        result = session.scalars(statement.options(*ledger.options)
                                 .execution_options(yield_per=BATCH))
        try:
            yield from result
        finally:
            result.close()
        return
    paths = ledger.paths
    result = session.execute(selected.execution_options(yield_per=BATCH))
    try:
        for row in result:
            yield Record(zip(paths, row))
    finally:
        result.close()
