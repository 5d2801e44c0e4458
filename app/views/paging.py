"""List pages that cost about the same on page 1 and on page 5,000 (100,000 rows).

FAB pages with OFFSET: the database walks and drops every row before the page, so the last
page of a long list is the slowest. Two changes, in the interface every screen uses:

- a page in the second half of the list is read from the other end: the order reversed,
  the offset counted from the end, the rows turned round. FAB adds the primary key to every
  order, so the reversed order is the exact mirror; the last page costs what the first does;
- a page still far from both ends finds its keys first, on the index alone (a narrow
  subquery of ids with the list's filters, order, offset and limit), then loads only those
  rows (a "deferred join"), instead of building every skipped row. So does every page of
  the commission list filtered by one state, on the (state, id) index.

And the row count (issue 16 item 4): on PostgreSQL ``count(*)`` visits every index entry
(9 ms for 100,000 rows, on every page; on SQLite 0.4 ms, still a twentieth of the page).
The commission list, unfiltered or filtered by one state, for a user who sees every row,
reads the database's own exact count (app/models/row_count.py: one row, kept by triggers),
so its first, filtered and last pages cost the same. Any other list the user has not
filtered keeps its count
once it reaches LIST_COUNT_KEPT_FROM rows, for LIST_COUNT_KEPT_SECONDS, in the app's cache
(Redis when configured, so every worker shows the same number); adding or deleting a row
of the table drops the kept counts at once. Below that size, with a filter of the user's,
and on a page near the end (where the reversed read needs the exact number) the count is
exact.

The first page of such a list (its rows with the database's count, in one statement) is the
one most often asked for: its statement is built once per order and page size and kept
(``_first_page``), not built and keyed again on every request.
"""
from __future__ import annotations

import logging
import uuid
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context, has_request_context
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_login import current_user
from sqlalchemy.orm import Session

from app import access
from app.extensions import cache
from app.models.row_count import COUNTED, RowCount, count_name
from app.security import keep
from app.views.list_loading import row_reader
from app.views.scoping import RowScopeFilter

log = logging.getLogger(__name__)

#: below this offset a plain OFFSET is as cheap as the subquery of keys
DEFERRED_FROM = 1000
#: first-page statements kept per list (states × orders × page sizes; emptied beyond):
#: about 32 KiB each with SQLAlchemy's compiled form, so at most 2 MiB a worker
KEPT_FIRST_PAGES = 64


def paged(query: Any, pk: Any, offset: int, limit: int, keys_first: bool = False,
          keys_from: Any = None) -> Any:
    """``query`` (ordered) restricted to ``limit`` rows from ``offset``; with ``keys_first``
    (or far from the start) the rows' keys are found first, by ``keys_from`` (the same
    rows, without what ``query`` joins only to show them) or ``query``."""
    if offset < DEFERRED_FROM and not keys_first:
        return query.offset(offset or None).limit(limit)
    return page_keys_first(query, pk, offset, limit, keys_from)


def page_keys_first(query: Any, pk: Any, offset: int, limit: int, keys_from: Any = None) -> Any:
    """``query``'s rows whose keys a narrow subquery of ``keys_from`` (default ``query``)
    finds (a "deferred join"): the subquery can be read on an index alone, the rows are
    then built for these keys only. The subquery's LIMIT is written into the statement:
    under a plan made for any parameters (psycopg prepares a statement run five times),
    PostgreSQL takes an unknown LIMIT to keep a tenth of the rows and walks the table's
    newest rows again instead."""
    keys = ((query if keys_from is None else keys_from).with_entities(pk)
            .offset(offset or None)
            .limit(sa.literal(limit, sa.Integer, literal_execute=True)).subquery())
    return query.filter(pk.in_(keys.select())).limit(limit)


def _generation_key(table: str) -> str:
    return f"list-count-generation:{table}"


def base_filter(flt: Any) -> Any:
    """Mark ``flt`` as a view's own filter (row scope, fixed conditions), not the user's."""
    flt.xb_base = True
    return flt


def user_filtered(filters: Any) -> bool:
    """Whether ``filters`` hold a filter the user chose (or a parent page's)."""
    return any(not getattr(flt, "xb_base", False)
               for flt in (filters.filters if filters is not None else ()))


def _kept_count_key(table: str, filters: Any, dialect: str) -> str | None:
    """The cache key of this list's kept count; None where counts are not kept."""
    config = current_app.config
    if not config.get("LIST_COUNT_KEPT_FROM") or user_filtered(filters):
        return None
    if dialect not in config["LIST_COUNT_KEPT_DIALECTS"]:
        return None
    scoped = filters is not None and filters.filters
    # A view's own filters (the row scope) depend on who asks: each user keeps their own.
    who = (current_user.get_id() if has_request_context() and current_user.is_authenticated
           else None) if scoped else None
    generation = cache.get(_generation_key(table)) or "0"
    names = ",".join(f"{flt.column_name}:{type(flt).__name__}" for flt in filters.filters) \
        if scoped else ""
    return f"list-count:{table}:{generation}:{who}:{names}"


def _kept_total(name: str) -> Any:
    """The database's count ``name``, as a value a statement can select."""
    return sa.select(RowCount.total).where(RowCount.name == name).scalar_subquery()


def kept_by_database(model: type, filters: Any) -> str | None:
    """The name of the database's own count of this list's rows (app/models/row_count.py):
    the whole table, or one value of its counted column chosen by the user; None for any
    other filter, and for a view's own filters unless it is a row scope that leaves this
    user every row (an administrator, a supervisor)."""
    table = model.__table__.name
    if table not in COUNTED:
        return None
    chosen = []
    for flt, value in zip(filters.filters, filters.values) if filters is not None else ():
        if getattr(flt, "xb_base", False):
            if isinstance(flt, RowScopeFilter) and _sees_every_row(model):
                continue
            return None
        chosen.append((flt, value))
    if not chosen:
        return count_name(table)
    if len(chosen) == 1:
        flt, value = chosen[0]
        if isinstance(value, list) and len(value) == 1:  # FAB keeps each argument's values
            value = value[0]
        if (type(flt) is FilterEqual and flt.column_name == COUNTED[table]
                and isinstance(value, str)):
            return count_name(table, value)
    return None


def one_value_chosen(model: type, name: str | None) -> bool:
    """Whether ``name``, what :func:`kept_by_database` answered for a list of ``model``, is
    the count of one value of its counted column (the user chose one state, say), not of
    the whole table, nor (None) of rows no count is kept of."""
    return name is not None and name != count_name(model.__table__.name)


def _sees_every_row(model: type) -> bool:
    return (has_request_context() and current_user.is_authenticated
            and access.row_scope(current_user, model) is None)


def _rows_added_or_deleted(session: Session, _context) -> None:
    """After a flush adding or deleting rows: the kept counts of their tables are dropped."""
    tables = {obj.__table__.name for obj in (*session.new, *session.deleted)
              if hasattr(obj, "__table__")}
    if not tables or not has_app_context():
        return
    try:
        for table in tables:
            cache.set(_generation_key(table), uuid.uuid4().hex, timeout=0)
    except Exception:  # the cache unreachable: kept counts expire on their own
        log.warning("kept list counts of %s not dropped", sorted(tables), exc_info=True)


sa.event.listen(Session, "after_flush", _rows_added_or_deleted)


class PagingInterface(SQLAInterface):
    """FAB's ``query`` (count, then one page of rows) with the deep-page strategies above,
    reading only what the list's cells read, as plain rows, where the view says
    (app/views/list_loading.py).
    """

    #: relation path → the columns the list's cells read ({}: whole rows)
    list_reads: dict[str, tuple[str, ...]] = {}

    def query(self, filters: Any = None, order_column: str = "", order_direction: str = "",
              page: int | None = None, page_size: int | None = None,
              select_columns: list[str] | None = None,
              outer_default_load: bool = False) -> tuple[int, list[Any]]:
        pk = self.get_pk()
        if select_columns or pk is None or not page_size or page_size < 0:
            return super().query(filters, order_column, order_direction, page, page_size,
                                 select_columns, outer_default_load)
        offset, limit = (page or 0) * page_size, page_size
        name = kept_by_database(self.obj, filters)
        if name is not None and offset == 0:
            # The first page: the database's count comes with the rows, one statement.
            statement = self._first_page(filters, name, order_column, order_direction,
                                         limit, outer_default_load)
            found = self.session.execute(statement).all()
            return (found[0][-1] or 0) if found else 0, self._items(found)
        base = self.session.query(self.obj)
        # Filtered by one state: the page's keys are read first, on the (state, id) index
        # (PostgreSQL's planner would walk the newest rows of every state for them).
        by_state = one_value_chosen(self.obj, name)
        count, exact = self.list_count(base, filters)
        if not exact and (offset + page_size) * 2 >= count:
            count = self.query_count(base, filters)  # near the end: the exact number
        reverse = bool(order_column) and offset > 0 and offset * 2 >= count
        if reverse:
            end = min(offset + page_size, count)
            offset, limit = count - end, end - offset
            order_direction = "asc" if order_direction != "asc" else "desc"
        if limit <= 0:
            return count, []
        query = self._page(base, filters, order_column, order_direction, outer_default_load)
        rows = self._items(paged(self._selecting(query), pk, offset, limit,
                                 keys_first=by_state, keys_from=query).all())
        return count, rows[::-1] if reverse else rows

    def _first_page(self, filters: Any, name: str, order_column: str, order_direction: str,
                    limit: int, outer_default_load: bool) -> Any:
        """The statement of a first page that reads the database's count ``name`` with its
        rows, built once per shape and kept: building it (the query, then the key SQLAlchemy
        finds its compiled SQL by) was 14-15 % of the commission list's processor time.
        Such a list (:func:`kept_by_database`) is filtered by nothing but the one value its
        count names, or by a row scope that leaves this user every row and so adds no
        condition: the key below (with what the cells read) is all its statement depends
        on. Kept statements are immutable; a list filtered any other way, or for a user who
        sees only some rows, is built for its request (``_page``)."""
        kept = self.__dict__.setdefault("_kept_first_pages", {})
        key = (name, order_column, order_direction, limit, outer_default_load,
               tuple(self.list_reads.items()))
        statement = kept.get(key)
        if statement is None:
            query = self._page(self.session.query(self.obj), filters, order_column,
                               order_direction, outer_default_load)
            statement = (paged(self._selecting(query), self.get_pk(), 0, limit,
                               keys_first=one_value_chosen(self.obj, name), keys_from=query)
                         .add_columns(_kept_total(name)).statement)
            keep(kept, key, statement, KEPT_FIRST_PAGES)
        return statement

    def _page(self, base: Any, filters: Any, order_column: str, order_direction: str,
              outer_default_load: bool) -> Any:
        """The list's query: filtered, ordered."""
        return self.apply_all(base, filters, order_column, order_direction,
                              outer_default_load=outer_default_load)

    def _selecting(self, query: Any) -> Any:
        """``query`` selecting what the list's cells read, where the view names it
        (app/views/list_loading.py), with the shown relations joined."""
        if not self.list_reads:
            return query
        reader = row_reader(self.obj, self.list_reads)
        for join in reader.joins:
            query = query.outerjoin(join)
        return query.with_entities(*reader.columns)

    def _items(self, found: list[Any]) -> list[Any]:
        """The page's items from its statement's rows: ListedRows where the view names what
        its cells read, else the model's objects."""
        if self.list_reads:
            make = row_reader(self.obj, self.list_reads).make
            return [make(row) for row in found]
        return [row[0] if isinstance(row, sa.Row) else row for row in found]

    def list_count(self, base: Any, filters: Any) -> tuple[int, bool]:
        """The list's row count and whether it is exact (see the module's docstring)."""
        name = kept_by_database(self.obj, filters)
        if name is not None:
            return self.session.scalar(sa.select(_kept_total(name))) or 0, True
        key = (_kept_count_key(self.obj.__table__.name, filters,
                               self.session.get_bind().dialect.name)
               if has_app_context() else None)
        kept = cache.get(key) if key else None
        if kept is not None:
            return kept, False
        count = self.query_count(base, filters)
        if key and count >= current_app.config["LIST_COUNT_KEPT_FROM"]:
            cache.set(key, count, timeout=current_app.config["LIST_COUNT_KEPT_SECONDS"])
        return count, True
