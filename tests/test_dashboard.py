"""The dashboard's figures on a small hand-made dataset (R-13.5)."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from app.choices import ContactMethod, Rating, Stage
from app.domain import dashboard
from app.extensions import db
from app.models import Commission, Revisit
from app.states import CommissionState as CS
from app.states import ItemState as IS
from tests import factories as f

TODAY = dt.date(2025, 10, 15)
D = dt.date


def entry(stage: Stage, dept, accepted: dt.date | None = None,
          due: dt.date | None = None):
    """A catalogue entry of ``dept`` at ``stage``; accepted on ``accepted``, its item is due
    on ``due``."""
    if accepted is None:
        return f.approval_item(stage, dept=dept)
    return f.due_item(accepted, due, stage, dept=dept)


def revisit(owner: Commission, rating: Rating) -> Revisit:
    row = Revisit(commission=owner, visited_on=D(2025, 10, 8), method=ContactMethod.phone,
                  person_reached="陈经办", rating=rating)
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def dataset(ctx):
    """Nine commissions, every record written by the steps; the expected figures are worked
    out by hand in the tests. An item's deadline is where its catalogue entry's promised
    working days from its acceptance put it."""
    dept_a, dept_b = f.department("甲局"), f.department("乙局")
    mine, other = f.staff(name="协办员甲"), f.staff(name="协办员乙")
    s1, s2, s3, par = Stage.s1, Stage.s2, Stage.s3, Stage.parallel
    accepted = D(2025, 8, 20)

    c1 = f.case(coordinator=mine, on=D(2025, 8, 11), items=[
        entry(s1, dept_a, accepted, D(2025, 9, 1)), entry(s2, dept_b, accepted, D(2025, 10, 10))])
    f.advance_item(c1.items[0], IS.approved, on=accepted,
                   decided_on=D(2025, 8, 28))                  # decided Aug, on time
    f.advance_item(c1.items[1], IS.accepted, on=accepted)      # overdue, 乙局 → stage s2
    c2 = f.case(coordinator=other, on=D(2025, 8, 11), items=[
        entry(s1, dept_a), entry(s3, dept_a, accepted, D(2025, 10, 20)),
        entry(s1, dept_a, accepted, D(2025, 10, 13))])
    f.advance_item(c2.items[0], IS.submitted, on=accepted)      # no clock yet → stage s1
    f.advance_item(c2.items[1], IS.accepted, on=accepted)       # not due
    f.advance_item(c2.items[2], IS.accepted, on=accepted)       # overdue, 甲局
    f.case(CS.assigned, coordinator=other, on=D(2025, 10, 13),
           items=[entry(s1, dept_a)])                           # c3: item pending → stage s1
    c4 = f.case(CS.planning, coordinator=other, on=D(2025, 8, 11), items=[
        entry(par, dept_b, accepted, D(2025, 9, 30)), entry(s3, dept_a, accepted, D(2025, 10, 14))])
    f.advance_item(c4.items[0], IS.supplementing, on=accepted,
                   requested_on=D(2025, 9, 10))                 # clock stopped: not overdue
    f.advance_item(c4.items[1], IS.accepted, on=accepted)       # overdue, 甲局 → stage s3
    c5 = f.case(coordinator=mine, on=D(2025, 8, 11), items=[
        entry(s1, dept_a, accepted, D(2025, 9, 12)), entry(s2, dept_b, accepted, D(2025, 9, 15)),
        entry(s3, dept_a, accepted, D(2025, 10, 9)), entry(par, dept_b)])
    first, second, third, fourth = c5.items
    f.advance_item(first, IS.approved, on=accepted, decided_on=D(2025, 9, 10))  # Sep, on time
    f.advance_item(second, IS.approved, on=accepted, decided_on=D(2025, 9, 20))  # Sep, late
    f.advance_item(third, IS.refused, on=accepted,
                   decided_on=D(2025, 10, 9))                   # Oct, on time (same day)
    f.advance_item(fourth, IS.refused, on=accepted, accept=False,
                   decided_on=D(2025, 10, 1))                   # Oct, no clock: on time
    f.advance(c5, CS.completed, completed_on=D(2025, 10, 10))
    c6 = f.case(coordinator=other, on=D(2025, 8, 11), items=[
        entry(s1, dept_a, accepted, D(2025, 9, 26))])
    f.advance(c6, CS.completed, decided_on=D(2025, 9, 26),      # Sep, on time
              completed_on=D(2025, 9, 28))
    c7 = f.case(coordinator=other, on=D(2025, 8, 11), items=[
        entry(s1, dept_a, accepted, D(2025, 9, 1))])
    f.advance_item(c7.items[0], IS.accepted, on=accepted)
    f.advance(c7, CS.terminated, issued_on=D(2025, 9, 25),      # its item withdrawn then:
              terminated_on=D(2025, 10, 2))                     # closed, not overdue
    c8 = f.case(coordinator=other, on=D(2024, 9, 2), items=[
        entry(s1, dept_a, D(2024, 10, 8), D(2024, 11, 5)),
        entry(s2, dept_b, D(2024, 9, 10), D(2024, 10, 8))])
    f.advance_item(c8.items[0], IS.approved, on=D(2024, 10, 8),
                   decided_on=D(2024, 11, 1))                   # Nov 2024: first trend month
    f.advance_item(c8.items[1], IS.approved, on=D(2024, 9, 10),
                   decided_on=D(2024, 10, 20))                  # Oct 2024: outside the window
    f.advance(c8, CS.terminated, issued_on=D(2024, 11, 25), terminated_on=D(2024, 12, 1))
    c9 = f.case(coordinator=other, on=D(2025, 8, 11), items=[
        entry(s1, dept_a, accepted, D(2025, 9, 30))])
    f.advance_item(c9.items[0], IS.accepted, on=accepted)
    f.advance(c9, CS.terminating,
              issued_on=D(2025, 10, 10))                        # its item withdrawn: no open item
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
    assert trend[D(2025, 9, 1)] == (3, 2, 66.7)
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
    for day in (D(2025, 9, 30), D(2025, 10, 1), D(2025, 10, 31)):
        f.case(CS.completed, on=D(2025, 9, 1), completed_on=day)
    f.case(CS.terminated, on=D(2025, 9, 1), terminated_on=D(2025, 11, 1))
    db.session.commit()
    board = dashboard.build(db.session, D(2025, 10, 31))
    assert (board.completed_this_month, board.terminated_this_month) == (2, 0)
    assert dashboard.month_start(D(2025, 1, 20), 1) == D(2024, 12, 1)
    assert dashboard.month_start(D(2025, 12, 20), -1) == D(2026, 1, 1)


def _many(count: int) -> None:
    """``count`` commissions, two in three at work with an item past its date, the others
    completed; each revisited."""
    dept = f.department()
    catalogue = f.approval_item(Stage.s2, dept=dept)
    for n in range(count):
        if n % 3:
            c = f.case(on=D(2025, 9, 1), items=[catalogue])
            f.advance_item(c.items[0], IS.accepted, on=D(2025, 9, 1))
        else:
            c = f.case(CS.completed, on=D(2025, 9, 1), items=[catalogue],
                       decided_on=D(2025, 9, 30), completed_on=D(2025, 10, 2))
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


def test_charts_have_a_text_alternative(client, dataset, monkeypatch):
    """Issue 19, R-20.1: each chart is an image named by its title and described by the
    table of its figures (caption and all), on a page in Chinese with one <h1> and <main>."""
    monkeypatch.setattr("app.views.index.office_today", lambda: TODAY)
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    assert html.count("<h1") == 1 and html.count("<main") == 1
    for chart in ("state", "stage", "overdue", "ratings", "trend"):
        div = re.search(rf'<div class="xb-chart" id="chart-{chart}"[^>]*>', html).group(0)
        assert 'role="img"' in div and 'aria-label="' in div, div
        assert f'aria-describedby="figures-{chart}"' in div, div
        assert re.search(rf'<table[^>]* id="figures-{chart}"><caption', html), chart


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


# ---- every figure links to the list behind it (issue 14, item 8) ---------------------------
def _count(client, url: str) -> int:
    """The number of rows a list page says it holds (FAB's record count)."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    found = re.search(r"(?:记录数目|Record Count):?</strong>\s*(\d+)", html)
    if found:
        return int(found.group(1))
    assert "没有记录" in html or "No records found" in html, url
    return 0


def test_every_figure_links_to_the_list_that_counts_the_same(app, client, dataset):
    """Issue 14 (R-13.5, R-13.7): each tile, each bar of the state, stage and department
    charts, each rating and each month of the trend opens a filtered list with as many rows
    as the figure says."""
    import json

    from app import clock

    clock.freeze(dt.datetime(2025, 10, 15, 2, 0, tzinfo=dt.timezone.utc))  # 10:00 in Beijing
    html = client.get("/").get_data(as_text=True)
    charts = json.loads(re.search(
        r'<script type="application/json" id="xb-dashboard-data">(.*?)</script>', html,
        re.S).group(1))
    links = charts["links"]
    for tile, value in (("open", 5), ("overdue", 3), ("completed", 1), ("terminated", 1)):
        assert links["tiles"][tile], tile
        assert f'href="{links["tiles"][tile]}"'.replace("&", "&amp;") in html, tile
        assert _count(client, links["tiles"][tile]) == value, tile
    for key, values in (("state", charts["state"]["values"]),
                        ("stage", charts["stage"]["values"]),
                        ("overdue", charts["overdue"]["values"]),
                        ("ratings", charts["ratings"]["values"]),
                        ("trend", charts["trend"]["decided"])):
        assert len(links[key]) == len(values), key
        for link, value in zip(links[key], values):
            assert _count(client, link) == value, (key, link)
    # the figures as text, linked (a text alternative to the charts, R-20.1)
    assert html.count('class="xb-chart-figures"') == 5


def test_links_go_only_to_lists_the_user_may_open(app, dataset, monkeypatch):
    """An auditor has no dashboard; a specialist may not list revisits: no rating links."""
    from app import roles
    from tests.role_clients import role_client

    monkeypatch.setattr("app.views.index.office_today", lambda: TODAY)
    specialist = role_client(app, [roles.SPECIALIST])
    html = specialist.get("/").get_data(as_text=True)
    assert "/revisitview/list/" not in html
    assert "/commissionview/list/?_flt_0_open=open" in html


def test_charts_save_as_png_from_their_toolbox(client, dataset):
    """Issue 14: every chart has ECharts' saveAsImage (drawn in the browser, no network),
    named after the chart; the browser test clicks it."""
    html = client.get("/").get_data(as_text=True)
    assert html.count('data-name="') == 5
    script = client.get("/static/js/dashboard.js").get_data(as_text=True)
    assert "saveAsImage" in script and 'type: "png"' in script
