"""The dashboard's figures on a small hand-made dataset (R-13.5)."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from app.choices import ContactMethod, Rating, Stage
from app.domain import dashboard
from app.extensions import db
from app.models import Commission, CommissionItem, Revisit
from app.states import CommissionState as CS
from app.states import ItemState as IS
from tests import factories as f

TODAY = dt.date(2025, 10, 15)
D = dt.date


def commission(state: CS, coordinator=None, **kw) -> Commission:
    row = Commission(project=f.project(), state=state, coordinator=coordinator, **kw)
    db.session.add(row)
    db.session.flush()
    return row


def item(owner: Commission, catalogue, state: IS, due_on=None, decided_on=None) -> CommissionItem:
    row = CommissionItem(commission=owner, approval_item=catalogue, state=state, due_on=due_on,
                         decided_on=decided_on,
                         refusal_reason="不符合规划条件" if state == IS.refused else None)
    db.session.add(row)
    db.session.flush()
    return row


def revisit(owner: Commission, rating: Rating) -> Revisit:
    row = Revisit(commission=owner, visited_on=D(2025, 10, 8), method=ContactMethod.phone,
                  person_reached="陈经办", rating=rating)
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def dataset(ctx):
    """Nine commissions; the expected figures are worked out by hand in the tests."""
    dept_a, dept_b = f.department("甲局"), f.department("乙局")
    a1 = f.approval_item(Stage.s1, dept=dept_a)
    a2 = f.approval_item(Stage.s2, dept=dept_b)
    a3 = f.approval_item(Stage.s3, dept=dept_a)
    ap = f.approval_item(Stage.parallel, dept=dept_b)
    mine, other = f.staff(name="协办员甲"), f.staff(name="协办员乙")

    c1 = commission(CS.in_progress, mine)
    item(c1, a1, IS.approved, D(2025, 9, 1), D(2025, 8, 28))   # decided Aug, on time
    item(c1, a2, IS.accepted, D(2025, 10, 10))                 # overdue, 乙局 → stage s2
    c2 = commission(CS.in_progress, other)
    item(c2, a1, IS.submitted)                                  # no clock yet → stage s1
    item(c2, a3, IS.accepted, D(2025, 10, 20))                  # not due
    commission(CS.assigned, other)                              # c3: no item
    c4 = commission(CS.planning, other)
    item(c4, ap, IS.supplementing, D(2025, 10, 1))              # clock stopped: not overdue
    item(c4, a3, IS.accepted, D(2025, 10, 14))                  # overdue, 甲局 → stage s3
    c5 = commission(CS.completed, mine, completed_on=D(2025, 10, 3))
    item(c5, a1, IS.approved, D(2025, 9, 12), D(2025, 9, 10))   # Sep, on time
    item(c5, a2, IS.approved, D(2025, 9, 15), D(2025, 9, 20))   # Sep, late
    item(c5, a3, IS.refused, D(2025, 10, 5), D(2025, 10, 5))    # Oct, on time (same day)
    item(c5, ap, IS.refused, None, D(2025, 10, 1))              # Oct, no clock: on time
    c6 = commission(CS.completed, other, completed_on=D(2025, 9, 28))
    c7 = commission(CS.terminated, other, terminated_on=D(2025, 10, 2))
    item(c7, a1, IS.accepted, D(2025, 9, 1))                    # closed commission: not overdue
    c8 = commission(CS.terminated, other, terminated_on=D(2024, 12, 1))
    item(c8, a1, IS.approved, D(2024, 11, 5), D(2024, 11, 1))   # Nov 2024: first trend month
    item(c8, a2, IS.approved, D(2024, 10, 1), D(2024, 10, 20))  # Oct 2024: outside the window
    c9 = commission(CS.terminating, other)
    item(c9, a1, IS.accepted, D(2025, 10, 1))                   # overdue, 甲局 → stage s1
    revisit(c5, Rating.very_satisfied)
    revisit(c6, Rating.satisfied)
    revisit(c6, Rating.satisfied)
    revisit(c7, Rating.very_dissatisfied)
    db.session.commit()
    return {"mine": mine, "dept_a": dept_a, "dept_b": dept_b}


def test_figures_by_state_and_stage(dataset):
    """R-13.5: open commissions by state (every open state listed) and by the stage of their
    earliest open item."""
    board = dashboard.build(db.session, TODAY)
    assert dict(board.by_state) == {
        CS.pre_review: 0, CS.accepted: 0, CS.assigned: 1, CS.planning: 1, CS.in_progress: 2,
        CS.delivering: 0, CS.terminating: 1, CS.announced: 0,
    }
    assert [s for s, _n in board.by_state][:3] == [CS.pre_review, CS.accepted, CS.assigned]
    assert board.open_total == 5
    assert board.by_stage == [(Stage.s1, 2), (Stage.s2, 1), (Stage.s3, 1), (Stage.s4, 0),
                              (Stage.parallel, 0)]
    assert board.without_open_item == 1


def test_overdue_month_trend_ratings(dataset):
    """R-13.5: overdue items by department, this month's completions and terminations, the
    12-month on-time trend and the rating distribution."""
    board = dashboard.build(db.session, TODAY)
    assert [(name, n) for _id, name, n in board.overdue_by_department] == [("甲局", 2), ("乙局", 1)]
    assert board.overdue_total == 3
    assert (board.completed_this_month, board.terminated_this_month) == (1, 1)

    trend = {p.month: (p.decided, p.on_time, p.rate) for p in board.trend}
    assert len(board.trend) == 12
    assert board.trend[0].month == D(2024, 11, 1) and board.trend[-1].month == D(2025, 10, 1)
    assert trend[D(2024, 11, 1)] == (1, 1, 100.0)
    assert trend[D(2025, 8, 1)] == (1, 1, 100.0)
    assert trend[D(2025, 9, 1)] == (2, 1, 50.0)
    assert trend[D(2025, 10, 1)] == (2, 2, 100.0)
    assert trend[D(2025, 1, 1)] == (0, 0, None)

    assert board.ratings == [
        (Rating.very_satisfied, 1), (Rating.satisfied, 2), (Rating.basically_satisfied, 0),
        (Rating.dissatisfied, 0), (Rating.very_dissatisfied, 1),
    ]


def test_scope_limits_to_caseload(dataset):
    """R-13.5, R-14.2: with a scope clause (a coordinator's caseload) every figure counts only
    the commissions in scope."""
    scope = Commission.coordinator_id == dataset["mine"].id
    board = dashboard.build(db.session, TODAY, scope)
    assert board.open_total == 1 and dict(board.by_state)[CS.in_progress] == 1
    assert board.by_stage[1] == (Stage.s2, 1) and board.without_open_item == 0
    assert [(name, n) for _id, name, n in board.overdue_by_department] == [("乙局", 1)]
    assert (board.completed_this_month, board.terminated_this_month) == (1, 0)
    trend = {p.month: (p.decided, p.on_time) for p in board.trend}
    assert trend[D(2025, 9, 1)] == (2, 1) and trend[D(2024, 11, 1)] == (0, 0)
    assert dict(board.ratings)[Rating.very_satisfied] == 1
    assert sum(n for _r, n in board.ratings) == 1


def test_month_boundaries(ctx):
    """R-13.5: months start on the 1st; a completion on the last day of the previous month or
    the first of the next is not this month's."""
    commission(CS.completed, completed_on=D(2025, 9, 30))
    commission(CS.completed, completed_on=D(2025, 10, 1))
    commission(CS.completed, completed_on=D(2025, 10, 31))
    commission(CS.terminated, terminated_on=D(2025, 11, 1))
    db.session.commit()
    board = dashboard.build(db.session, D(2025, 10, 31))
    assert (board.completed_this_month, board.terminated_this_month) == (2, 0)
    assert dashboard.month_start(D(2025, 1, 20), 1) == D(2024, 12, 1)
    assert dashboard.month_start(D(2025, 12, 20), -1) == D(2026, 1, 1)


def _many(count: int) -> None:
    dept = f.department()
    catalogue = f.approval_item(Stage.s2, dept=dept)
    for n in range(count):
        c = commission(CS.in_progress if n % 3 else CS.completed,
                       completed_on=None if n % 3 else D(2025, 10, 2))
        item(c, catalogue, IS.accepted if n % 3 else IS.approved, D(2025, 10, 1),
             None if n % 3 else D(2025, 9, 30))
        revisit(c, Rating.satisfied)
    db.session.commit()


def test_statement_count_does_not_grow(ctx, count_queries):
    """R-13.5: the dashboard is a fixed handful of aggregate statements, whatever the number of
    commissions (no per-row work)."""
    _many(3)
    with count_queries() as small:
        dashboard.build(db.session, TODAY)
    _many(60)
    with count_queries() as large:
        board = dashboard.build(db.session, TODAY)
    assert board.open_total == 42
    assert len(small) == len(large) <= 6


def test_landing_page_statements_do_not_grow(client, app, count_queries):
    """R-13.5: the landing page's statement count is the same with 3 or 60 commissions."""
    with app.app_context():
        _many(3)
    client.get("/")
    with count_queries() as small:
        assert client.get("/").status_code == 200
    with app.app_context():
        _many(60)
    with count_queries() as large:
        html = client.get("/").get_data(as_text=True)
    assert len(small) == len(large)
    assert re.search(r'id="tile-open">\s*<div class="xb-tile-value">42<', html)


def test_landing_page_shows_figures(client, dataset, monkeypatch):
    """R-13.5: the page shows the tiles, a container per chart, the bundled ECharts script with
    the CSP nonce, and the figures as JSON for the charts."""
    monkeypatch.setattr("app.views.index.office_today", lambda: TODAY)
    html = client.get("/").get_data(as_text=True)
    for tile, value in (("open", 5), ("overdue", 3), ("completed", 1), ("terminated", 1)):
        assert re.search(rf'id="tile-{tile}">\s*<div class="xb-tile-value">{value}<', html), tile
    for chart in ("state", "stage", "overdue", "ratings", "trend"):
        assert f'id="chart-{chart}"' in html
    assert re.search(r'<script src="/static/vendor/echarts/echarts\.min\.js" nonce="', html)
    assert "\\u7532\\u5c40" in html  # 甲局, JSON-escaped in the chart data
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(src.startswith("/") for src in sources), sources


def test_anonymous_sees_banner_only(app):
    """R-13.5: before login the landing page shows no figures."""
    html = app.test_client().get("/").get_data(as_text=True)
    assert "xb-dashboard-data" not in html and "echarts" not in html


def test_coordinator_sees_own_caseload(app, dataset, monkeypatch):
    """R-13.5, R-14.2: a coordinator's dashboard counts only the commissions assigned to them
    (app.access.commission_scope)."""
    from app import roles
    from tests.role_clients import role_client

    monkeypatch.setattr("app.views.index.office_today", lambda: TODAY)
    coordinator = role_client(app, [roles.COORDINATOR], dataset["mine"].id)
    html = coordinator.get("/").get_data(as_text=True)
    for tile, value in (("open", 1), ("overdue", 1), ("completed", 1), ("terminated", 0)):
        assert re.search(rf'id="tile-{tile}">\s*<div class="xb-tile-value">{value}<', html), tile


def test_font_warning_on_the_dashboard(client, monkeypatch):
    """R-13.5, R-15.1: when the PDFs fall back to the built-in font the dashboard says so."""
    monkeypatch.setattr("app.views.index.font_warning", lambda: "FONT-FALLBACK-WARNING")
    assert "FONT-FALLBACK-WARNING" in client.get("/").get_data(as_text=True)
    monkeypatch.setattr("app.views.index.font_warning", lambda: None)
    assert "font-fallback" not in client.get("/").get_data(as_text=True)


def _open_tile(html: str) -> int:
    return int(re.search(r'id="tile-open">\s*<div class="xb-tile-value">(\d+)<', html).group(1))


def test_figures_are_kept_for_a_while_per_caseload(app, client, dataset, monkeypatch):
    """R-13.5, R-14.2: with DASHBOARD_CACHE_SECONDS set, a second visit within that time costs
    no aggregate query and shows the same figures with the time they were computed; a
    coordinator's caseload is kept apart from the whole district's; after the time is up
    the figures are computed again."""
    from flask import g

    from app import roles
    from app.extensions import cache
    from tests.role_clients import role_client

    monkeypatch.setattr("app.views.index.office_today", lambda: TODAY)
    monkeypatch.setitem(app.config, "DASHBOARD_CACHE_SECONDS", 60)
    with app.app_context():
        cache.clear()
    clock = [1000.0]
    monkeypatch.setattr("cachelib.simple.time", lambda: clock[0])

    first = client.get("/").get_data(as_text=True)
    assert _open_tile(first) == 5
    assert re.search(r'id="dashboard-computed">统计时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}<', first)
    with app.app_context():
        _many(3)  # two more open commissions
    calls = []
    real_build = dashboard.build
    monkeypatch.setattr(dashboard, "build", lambda *a, **k: calls.append(a) or real_build(*a, **k))
    assert _open_tile(client.get("/").get_data(as_text=True)) == 5  # kept
    assert calls == []

    coordinator = role_client(app, [roles.COORDINATOR], dataset["mine"].id)
    g.pop("_login_user", None)  # the test's app context outlives requests: sign-in is per client
    assert _open_tile(coordinator.get("/").get_data(as_text=True)) == 1  # own caseload
    assert len(calls) == 1

    clock[0] += 61
    g.pop("_login_user", None)
    assert _open_tile(client.get("/").get_data(as_text=True)) == 7  # computed again
    assert len(calls) == 2
