"""Server time of each page at city scale, in-process: the app's own request handling through
Werkzeug's test client, no network. For each page: median and p95 over the runs (after one
warm-up request), the SQL statements one request sends, and the response size.

The pages are picked from the data: a commission in the middle of the range with items and
a work log, the commission list's last page, a filter on an open state, and an export
filter on the application date that selects about 10,000 commissions.
"""
from __future__ import annotations

import math
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import sqlalchemy as sa

from bench import database

EXPORT_ROWS = 10_000
LIST_PAGE_SIZE = 20


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    runs: int
    method: str = "GET"
    #: called before each request, outside the timed window
    before: Callable[[], None] | None = None


@dataclass(frozen=True)
class Figure:
    name: str
    median_ms: float
    p95_ms: float
    statements: int
    runs: int
    size: int


class StatementCounter:
    """Counts the SQL statements an engine sends while ``active``."""

    def __init__(self, engine: sa.Engine) -> None:
        self.count = 0
        self.active = False
        sa.event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: Any) -> None:
        if self.active:
            self.count += 1


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p95 of 20 runs: the 19th value)."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def measure(client: Any, page: Page, counter: StatementCounter) -> Figure:
    """One warm-up request, then ``page.runs`` timed ones; every answer must be a 200."""
    times, statements, size = [], 0, 0
    for run in range(page.runs + 1):
        if page.before is not None:
            page.before()
        counter.count, counter.active = 0, True
        started = time.perf_counter()
        response = client.open(page.url, method=page.method)
        body = response.get_data()
        elapsed = time.perf_counter() - started
        counter.active = False
        if response.status_code != 200:
            raise RuntimeError(f"{page.name}: {page.method} {page.url} answered "
                               f"{response.status_code}: {body[:300]!r}")
        if run:
            times.append(elapsed * 1000)
        statements, size = counter.count, len(body)
    return Figure(page.name, statistics.median(times), percentile(times, 0.95), statements,
                  page.runs, size)


def signed_in_client(app: Any, user_id: int) -> Any:
    from app.web_security import VERSION_KEY

    with app.app_context():
        sm = app.appbuilder.sm
        version = sm.session_version(sm.get_user_by_id(user_id))  # sessions carry it
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
        session[VERSION_KEY] = version
    return client


def _scalar(conn: Any, sql: str, **params: Any) -> Any:
    return conn.execute(sa.text(sql), params).scalar()


def list_pages(conn: Any, runs: int) -> list[Page]:
    total = _scalar(conn, "SELECT count(*) FROM commission")
    last = max(math.ceil(total / LIST_PAGE_SIZE) - 1, 0)
    return [
        Page("commission list, first page", "/commissionview/list/", runs),
        Page("commission list, filtered (state = in progress)",
             "/commissionview/list/?_flt_0_state=in_progress", runs),
        Page(f"commission list, deep page ({last + 1} of {last + 1})",
             f"/commissionview/list/?page_CommissionView={last}", runs),
    ]


def middle_commission(conn: Any) -> int:
    """The middle one (by id) of the commissions in progress: items, a work log, history."""
    return _scalar(conn, "SELECT id FROM commission WHERE state = 'in_progress' "
                         "ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM commission "
                         "WHERE state = 'in_progress')")


def case_pages(conn: Any, runs: int, app: Any) -> list[Page]:
    """The case page, the dashboard (its figures computed, and kept: DASHBOARD_CACHE_SECONDS)
    and the overdue screen."""
    from app.extensions import cache

    def forget_boards() -> None:
        with app.app_context():
            cache.clear()

    pk = middle_commission(conn)
    return [
        Page(f"commission page (#{pk})", f"/commissionview/show/{pk}", runs),
        Page("dashboard, figures computed", "/", runs, before=forget_boards),
        Page("dashboard, figures kept", "/", runs),
        Page("overdue screen (督办)", "/overdue/", runs),
    ]


def export_page(conn: Any, runs: int) -> Page:
    """The commissions applied for after a date that leaves at least EXPORT_ROWS of them
    (all of them in a smaller database)."""
    nth = _scalar(conn, "SELECT applied_on FROM commission WHERE applied_on IS NOT NULL "
                        "ORDER BY applied_on DESC LIMIT 1 OFFSET :n", n=EXPORT_ROWS)
    # the filter is "applied after": the day before the 10,000th newest keeps all of its day
    since = nth and _scalar(conn, "SELECT max(applied_on) FROM commission "
                                  "WHERE applied_on < :d", d=nth)
    if since is None:
        rows = _scalar(conn, "SELECT count(*) FROM commission")
        return Page(f"Excel export, {rows:,} commissions", "/ledger/commissions.xlsx", runs)
    rows = _scalar(conn, "SELECT count(*) FROM commission WHERE applied_on > :d", d=since)
    return Page(f"Excel export, {rows:,} commissions",
                f"/ledger/commissions.xlsx?_flt_1_applied_on={since}", runs)


def document_pages(app: Any, runs: int) -> list[Page]:
    """One print per document kind, each a fresh render and a new archived version: the
    files of the earlier versions are removed before each request, so none is reused."""
    from app.documents import content
    from app.extensions import db
    from app.models import Commission, IssuedDocument

    pages, seen = [], set()
    with app.app_context():
        for commission in db.session.scalars(sa.select(Commission).order_by(Commission.id)
                                             .limit(400)):
            for kind, record in content.records(db.session, commission):
                if kind in seen:
                    continue
                seen.add(kind)
                suffix = f"/{record.id}" if record is not None else ""
                url = f"/documents/commission/{commission.id}/print/{kind.value}{suffix}"
                record_id = record.id if record is not None else None

                def forget(kind=kind, pk=commission.id, record_id=record_id) -> None:
                    with app.app_context():
                        for doc in db.session.scalars(sa.select(IssuedDocument).where(
                                IssuedDocument.kind == kind, IssuedDocument.commission_id == pk,
                                IssuedDocument.record_id.is_(record_id) if record_id is None
                                else IssuedDocument.record_id == record_id)):
                            Path(database.WORKDIR / "documents" / doc.file_path).unlink(
                                missing_ok=True)

                pages.append(Page(f"PDF: {kind.label}", url, runs, "POST", forget))
            if len(seen) == len(content.SPECS):
                break
    return pages


def run(url: str, *, runs: int, export_runs: int, pdf_runs: int,
        progress: Callable[..., None]) -> Iterator[Figure]:
    """Every page of the benchmark on the database of ``url``."""
    # the export is timed as written while the browser waits (not handed to a background job)
    app = database.serving_app(url, WTF_CSRF_ENABLED=False, EXPORT_BACKGROUND_ROWS=10**9)
    with app.app_context():
        from app.extensions import db

        user_id = database.ensure_admin(app)
        counter = StatementCounter(db.engine)
        with db.engine.connect() as conn:
            pages = list_pages(conn, runs) + case_pages(conn, runs, app) + [
                export_page(conn, export_runs)]
    pages += document_pages(app, pdf_runs)
    client = signed_in_client(app, user_id)
    for page in pages:
        progress(f"    {page.name} ...")
        yield measure(client, page, counter)
