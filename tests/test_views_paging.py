"""Deep pages of the lists (app/views/paging.py): read from the far end, or keys first; the
same rows in the same order as FAB's plain OFFSET paging, on every page and every order."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_appbuilder.models.sqla.interface import SQLAInterface

from app.extensions import db
from app.models import Commission
from app.states import CommissionState
from app.views import paging
from app.views.base import AppInterface
from tests import factories as f
from tests.helpers import page

ROWS = 47  # pages of 20: 20, 20, 7
ORDERS = [("id", "desc"), ("id", "asc"), ("state", "asc"), ("state", "desc"),
          ("applied_on", "asc"), ("applied_on", "desc")]


#: the states of the rows, in turn: those at pre-review have no application date yet
STATES = [CommissionState.in_progress, CommissionState.planning, CommissionState.completed,
          CommissionState.pre_review]


def _commissions(app) -> None:
    """ROWS commissions (project 分页项目<n>) with many ties in state and applied_on, some
    without a date."""
    with app.app_context():
        coordinator = f.staff()
        for n in range(ROWS):
            f.case(STATES[n % 4], coordinator=coordinator, on=dt.date(2026, 3, 2 + n % 3),
                   project=f.project(name=f"分页项目{n:03d}"))
        db.session.commit()


def _numbers(html: str) -> list[int]:
    """The rows' n on a list page, in order."""
    return [int(n) for n in dict.fromkeys(re.findall(r"分页项目(\d{3})", html))]


@pytest.mark.parametrize("deferred_from", [paging.DEFERRED_FROM, 5])
def test_every_page_matches_plain_offset_paging(app, monkeypatch, deferred_from):
    """Pages 1 to 4 in six orders (ties and NULLs included), with the keys-first subquery
    switched on from offset 5 as well as at its real threshold: the ids match FAB's own
    paging exactly, and the row count too."""
    _commissions(app)
    monkeypatch.setattr(paging, "DEFERRED_FROM", deferred_from)
    with app.app_context():
        ours, fabs = AppInterface(Commission, db.session), SQLAInterface(Commission, db.session)
        for column, direction in ORDERS:
            for number in range(4):
                count, rows = ours.query(None, column, direction, page=number, page_size=20)
                expected_count, expected = fabs.query(None, column, direction, page=number,
                                                      page_size=20)
                assert count == expected_count == ROWS
                assert [r.id for r in rows] == [r.id for r in expected], (column, direction,
                                                                         number)


def test_last_page_is_read_from_the_end(app, client, count_queries):
    """The list's last page is queried in the reversed order with a small offset, and shows
    the 7 oldest commissions, newest first, as plain paging would."""
    _commissions(app)
    with count_queries() as statements:
        html = page(client, "/commissionview/list/?page_CommissionView=2")
    assert _numbers(html) == [6, 5, 4, 3, 2, 1, 0]
    rows_query = [s for s in statements if "LIMIT" in s and "count(" not in s
                  and "FROM commission" in " ".join(s.split())][0]
    assert "commission.id ASC" in rows_query


def test_filtered_deep_page(app, client, monkeypatch):
    """A filtered list's pages, keys first from offset 5: every in-progress commission once,
    no other."""
    _commissions(app)
    monkeypatch.setattr(paging, "DEFERRED_FROM", 5)
    seen = []
    for number in range(2):
        html = page(client, "/commissionview/list/?_flt_0_state=in_progress"
                            f"&psize_CommissionView=10&page_CommissionView={number}")
        seen += _numbers(html)
    assert seen == sorted((n for n in range(ROWS) if n % 4 == 0), reverse=True)


def test_pages_of_one_state_are_read_keys_first_issue16(app, client, count_queries):
    """The commission list filtered by one state finds each page's keys first (on the
    (state, id) index) and shows exactly what FAB's plain paging shows, in every order; the
    keys' LIMIT is written into the statement, so PostgreSQL's plan for any parameters
    still reads only the page's keys."""
    _commissions(app)
    with app.app_context():
        ours, fabs = AppInterface(Commission, db.session), SQLAInterface(Commission, db.session)

        def state_filter(interface):
            filters = interface.get_filters(["state"])
            filters.add_filter("state", FilterEqual, CommissionState.in_progress.value)
            return filters

        for column, direction in ORDERS:
            for number in range(3):
                count, rows = ours.query(state_filter(ours), column, direction, page=number,
                                         page_size=5)
                expected_count, expected = fabs.query(state_filter(fabs), column, direction,
                                                      page=number, page_size=5)
                assert count == expected_count == ROWS // 4 + 1
                assert [r.id for r in rows] == [r.id for r in expected], (column, direction,
                                                                         number)
    with count_queries() as statements:
        html = page(client, "/commissionview/list/?_flt_0_state=in_progress"
                            "&psize_CommissionView=5")
    assert _numbers(html) == [44, 40, 36, 32, 28]
    rows_query = " ".join([s for s in statements if "FROM commission" in s][-1].split())
    # (SQLite writes an OFFSET after every LIMIT)
    assert re.search(r"commission\.id IN \(SELECT .* LIMIT 5( OFFSET \S+)?\)", rows_query), \
        rows_query
