"""The case page's plan-against-actual Gantt chart in a real browser, offline (R-5.6).

Every request that does not go to the live server is aborted: the chart must draw from the
bundled ECharts, without a script error."""
from __future__ import annotations

import datetime as dt

import pytest
from test_plan_slips import _case

from app.extensions import db
from tests.browser_fixtures import offline

pytestmark = [pytest.mark.browser]


def test_case_page_draws_the_gantt_chart_offline(app, page, live_server, clock):
    """R-5.6: the Gantt chart of planned beside actual draws (a canvas of non-zero size)
    with all outside network blocked, and its table is on the page."""
    clock.now = dt.datetime(2025, 11, 10, 2, 0, tzinfo=dt.timezone.utc)
    with app.app_context():
        commission, _plan = _case()
        db.session.commit()
        pk = commission.id
    aborted, errors = offline(page, live_server)
    assert page.goto(f"/commissionview/show/{pk}").status == 200
    page.wait_for_function(
        """() => {
            const drawn = document.querySelector('#xb-gantt canvas, #xb-gantt svg');
            if (!drawn) return false;
            const r = drawn.getBoundingClientRect();
            return r.width > 0 && r.height > 0;
        }""")
    assert page.locator(".plan-slips-table tbody tr").count() == 3
    assert aborted == [] and errors == [], (aborted, errors)
