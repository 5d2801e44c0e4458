"""Exact row counts kept by the database itself (issue 16): the commission list shows how many
records it holds, and on PostgreSQL ``count(*)`` visits every index entry (100,000 of them
on every page).

One row per count: ``commission`` (every commission) and ``commission:<state>`` (those in
that state). Triggers of the commission table (migration 4a7d2c9e1f63) add and subtract in
the writing transaction, so a count is exact for every reader at once, whichever worker or
server wrote, whatever wrote (a step, an import, SQL by hand); PostgreSQL's triggers take
a statement's rows together (a COPY of 100,000 rows is one update per count) and lock the
counts in name order (no deadlock between two state changes). Nothing else writes here.

Where a list's filter is none or one state, app/views/paging.py reads its count from here.
A SQLite migration that rebuilds the commission table (``batch_alter_table`` in "recreate"
mode) drops the table's triggers: such a migration creates them again as 4a7d2c9e1f63 does;
tests/test_row_count.py checks they are there at head.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_appbuilder import Model
from sqlalchemy.orm import Mapped, mapped_column

#: the counted table and the column its rows are also counted by
COUNTED = {"commission": "state"}


class RowCount(Model):
    __tablename__ = "row_count"

    name: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    total: Mapped[int] = mapped_column(sa.BigInteger, default=0)


def count_name(table: str, value: str | None = None) -> str:
    """The name of the count of ``table``'s rows (with its counted column = ``value``)."""
    return table if value is None else f"{table}:{value}"
