"""List pages that cost about the same on page 1 and on page 5,000 (100,000 rows).

FAB pages with OFFSET: the database walks and drops every row before the page, so the last
page of a long list is the slowest. Two changes, in the interface every screen uses:

- a page in the second half of the list is read from the other end: the order reversed,
  the offset counted from the end, the rows turned round. FAB adds the primary key to every
  order, so the reversed order is the exact mirror; the last page costs what the first does;
- a page still far from both ends finds its keys first, on the index alone (a narrow
  subquery of ids with the list's filters, order, offset and limit), then loads only those
  rows (a "deferred join"), instead of building every skipped row.
"""
from __future__ import annotations

from typing import Any

from flask_appbuilder.models.sqla.interface import SQLAInterface

#: below this offset a plain OFFSET is as cheap as the subquery of keys
DEFERRED_FROM = 1000


def paged(query: Any, pk: Any, offset: int, limit: int) -> Any:
    """``query`` (ordered) restricted to ``limit`` rows from ``offset``."""
    if offset < DEFERRED_FROM:
        return query.offset(offset or None).limit(limit)
    keys = query.with_entities(pk).offset(offset).limit(limit).subquery()
    return query.filter(pk.in_(keys.select())).limit(limit)


class PagingInterface(SQLAInterface):
    """FAB's ``query`` (count, then one page of rows) with the deep-page strategies above."""

    def query(self, filters: Any = None, order_column: str = "", order_direction: str = "",
              page: int | None = None, page_size: int | None = None,
              select_columns: list[str] | None = None,
              outer_default_load: bool = False) -> tuple[int, list[Any]]:
        pk = self.get_pk()
        if select_columns or pk is None or not page_size or page_size < 0:
            return super().query(filters, order_column, order_direction, page, page_size,
                                 select_columns, outer_default_load)
        base = self.session.query(self.obj)
        count = self.query_count(base, filters)
        offset, limit = (page or 0) * page_size, page_size
        reverse = bool(order_column) and offset > 0 and offset * 2 >= count
        if reverse:
            end = min(offset + page_size, count)
            offset, limit = count - end, end - offset
            order_direction = "asc" if order_direction != "asc" else "desc"
        if limit <= 0:
            return count, []
        query = self.apply_all(base, filters, order_column, order_direction,
                               outer_default_load=outer_default_load)
        rows = paged(query, pk, offset, limit).all()
        return count, rows[::-1] if reverse else rows
