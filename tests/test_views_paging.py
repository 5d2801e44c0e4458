"""Deep pages of the lists (app/views/paging.py): read from the far end, or keys first; the
same rows in the same order as FAB's plain OFFSET paging, on every page and every order."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from flask_appbuilder.models.sqla.interface import SQLAInterface
from test_views_commission_rows import make_commission, make_staff, page

from app.extensions import db
from app.models import Commission
from app.states import CommissionState
from app.views import paging
from app.views.base import AppInterface

ROWS = 47  # pages of 20: 20, 20, 7
ORDERS = [("id", "desc"), ("id", "asc"), ("state", "asc"), ("state", "desc"),
          ("applied_on", "asc"), ("applied_on", "desc")]


def _commissions(app) -> None:
    """ROWS commissions with many ties in state and applied_on, some without a date."""
    states = [CommissionState.in_progress, CommissionState.planning, CommissionState.completed]
    with app.app_context():
        coordinator = make_staff()
        for n in range(ROWS):
            row = make_commission(f"JC2026-P{n:03d}", coordinator=coordinator,
                                  state=states[n % 3])
            row.applied_on = None if n % 7 == 0 else dt.date(2026, 3, 1 + n % 4)
            if row.state == CommissionState.completed:
                row.completed_on = dt.date(2026, 6, 1)
        db.session.commit()


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
    numbers = re.findall(r"JC2026-P(\d{3})", html)
    assert [int(n) for n in dict.fromkeys(numbers)] == [6, 5, 4, 3, 2, 1, 0]
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
        seen += [int(n) for n in dict.fromkeys(re.findall(r"JC2026-P(\d{3})", html))]
    assert seen == sorted((n for n in range(ROWS) if n % 3 == 0), reverse=True)
