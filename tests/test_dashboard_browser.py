"""The dashboard in a real browser with every outside request blocked (R-13.5).

Government intranets have no internet: the charts must draw from the app's own files. The
browser aborts any request that does not go to the live server; the test then checks that
nothing was aborted and that every chart drew into a canvas of non-zero size.
"""
from __future__ import annotations

import pytest

from app.choices import ContactMethod, Rating, Stage
from app.extensions import db
from app.models import Revisit
from app.states import CommissionState, ItemState
from tests import factories as f
from tests.browser_fixtures import offline
from tests.clock import RUN_DAY

# The data counts from the run day: rerun in a later year by CI.
pytestmark = [pytest.mark.browser, pytest.mark.date_sensitive]


def _some_data(app) -> None:
    """Two commissions at work, each with an item three working days past its date, and one
    completed today; each revisited today."""
    today = RUN_DAY
    with app.app_context():
        dept = f.department("城管局")
        catalogue = f.approval_item(Stage.s2, 5, dept=dept)
        accepted = f.calendar().add(today, -8)  # + 5 working days: 3 working days ago
        for state in (CommissionState.in_progress, CommissionState.planning,
                      CommissionState.completed):
            c = f.case(state, on=accepted, items=[catalogue], completed_on=today)
            if state != CommissionState.completed:
                f.advance_item(c.items[0], ItemState.accepted, on=accepted)
            db.session.add(Revisit(commission=c, visited_on=today, method=ContactMethod.phone,
                                   person_reached="陈经办", rating=Rating.satisfied))
        db.session.commit()


def test_dashboard_draws_offline(app, page, live_server, tmp_path):
    """R-13.5: with all non-loopback network blocked the dashboard loads without a blocked
    request and every chart draws (a canvas or svg of non-zero size in each container)."""
    _some_data(app)
    aborted, errors = offline(page, live_server)
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))

    response = page.goto("/")
    assert response.status == 200
    page.wait_for_function(
        """() => {
            const boxes = [...document.querySelectorAll('.xb-chart')];
            return boxes.length === 5 && boxes.every(box => {
                const drawn = box.querySelector('canvas, svg');
                if (!drawn) return false;
                const r = drawn.getBoundingClientRect();
                return r.width > 0 && r.height > 0;
            });
        }"""
    )
    sizes = page.eval_on_selector_all(
        ".xb-chart", """boxes => boxes.map(box => {
            const r = box.querySelector('canvas, svg').getBoundingClientRect();
            return [box.id, r.width, r.height];
        })""")
    assert {box for box, _w, _h in sizes} == {
        "chart-state", "chart-stage", "chart-overdue", "chart-ratings", "chart-trend"}
    assert all(w > 0 and h > 0 for _box, w, h in sizes), sizes
    assert page.evaluate("typeof echarts") == "object"

    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert aborted == [], f"requests left the server: {aborted}"
    assert failed == [] and errors == [], (failed, errors)
    assert page.inner_text("#tile-open .xb-tile-value") == "2"
    assert page.inner_text("#tile-overdue .xb-tile-value") == "2"
