"""The landing page after login: the dashboard (R-13.5).

The figures come from ``app.domain.dashboard`` (aggregate SQL, scoped to the commissions the
user may see); this module only turns them into labelled series for the charts, which
``static/js/dashboard.js`` draws with the bundled Apache ECharts (no request leaves the
server). The page also carries the warnings about the working-day calendar (years counted
on weekends only) and the PDF font (no TrueType Chinese font found). A visitor who is not
logged in sees the welcome banner only. The figures are kept for DASHBOARD_CACHE_SECONDS
(``current_board``) in the app's cache (Redis when REDIS_URL is set: every worker and server
shows the same figures) and the page shows the time they were computed.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, g
from flask_appbuilder import IndexView as FabIndexView
from flask_appbuilder import expose
from flask_babel import lazy_gettext as _

from flask_appbuilder.models.sqla.filters import FilterEqual, FilterGreater, FilterSmaller

from app import access
from app.documents.fonts import font_warning
from app.domain import dashboard
from app.clock import office_now, office_today
from app.extensions import cache, db
from app.states import CommissionState
from app.views import list_filters
from app.views.list_filters import list_url


def dashboard_scope(user: Any) -> Any:
    """The SQL clause on Commission limiting the dashboard to ``user``'s caseload."""
    return access.commission_scope(user)


def board_key(today: dt.date, user: Any) -> str:
    """The cache key of ``user``'s dashboard on ``today``: one for everyone who sees every
    commission, one per user otherwise (their caseload is theirs)."""
    scope = dashboard_scope(user)
    return f"dashboard:{today.isoformat()}:{'all' if scope is None else user.id}"


def current_board(user: Any) -> tuple[dashboard.Dashboard, dt.datetime]:
    """The dashboard of ``user``'s caseload and when it was computed: kept for
    DASHBOARD_CACHE_SECONDS in the shared cache (``board_key``)."""
    today = office_today()
    seconds = current_app.config.get("DASHBOARD_CACHE_SECONDS", 0)
    key = board_key(today, user)
    if seconds > 0:
        kept = cache.get(key)
        if kept is not None:
            return kept
    board = dashboard.build(db.session, today, dashboard_scope(user))
    computed = office_now()
    if seconds > 0:
        cache.set(key, (board, computed), timeout=seconds)
    return board, computed


COMMISSIONS, ITEMS, REVISITS = "CommissionView", "CommissionItemView", "RevisitView"


def _month(day: dt.date) -> tuple[tuple[type, dt.date], ...]:
    """Conditions of a date column in ``day``'s month (FAB's "greater" and "smaller" are
    strict: after the last day of the month before, before the first of the next)."""
    first = dashboard.month_start(day)
    return ((FilterGreater, first - dt.timedelta(days=1)),
            (FilterSmaller, dashboard.month_start(day, -1)))


def _in_month(column: str, day: dt.date) -> list[tuple[str, type, dt.date]]:
    return [(column, flt, value) for flt, value in _month(day)]


def figure_links(board: dashboard.Dashboard) -> dict[str, Any]:
    """The list behind every figure (issue 14, item 8): the tiles' and, per chart, one per
    bar, slice or month; None where the user may not open the list."""
    today = board.today
    completed = [("state", FilterEqual, CommissionState.completed.value),
                 *_in_month("completed_on", today)]
    terminated = [("state", FilterEqual, CommissionState.terminated.value),
                  *_in_month("terminated_on", today)]
    stages = [stage.value for stage, _n in board.by_stage]
    if board.without_open_item:
        stages.append(list_filters.NO_OPEN_ITEM)
    return {
        "tiles": {
            "open": list_url(COMMISSIONS, ("open", None, "open")),
            "overdue": list_url(ITEMS, ("overdue", None, "overdue")),
            "completed": list_url(COMMISSIONS, *completed),
            "terminated": list_url(COMMISSIONS, *terminated),
        },
        "state": [list_url(COMMISSIONS, ("state", FilterEqual, state.value))
                  for state, _n in board.by_state],
        "stage": [list_url(COMMISSIONS, ("stage", None, code)) for code in stages],
        "overdue": [list_url(ITEMS, ("overdue", None, "overdue"), ("department", None, pk))
                    for pk, _name, _n in board.overdue_by_department],
        "ratings": [list_url(REVISITS, ("rating", FilterEqual, rating.value))
                    for rating, _n in board.ratings],
        "trend": [list_url(ITEMS, *_in_month("decided_on", point.month))
                  for point in board.trend],
    }


def chart_data(board: dashboard.Dashboard) -> dict[str, Any]:
    """Labelled series for the charts (labels translated here, drawn by dashboard.js)."""
    stage_labels = [str(stage) for stage, _n in board.by_stage]
    stage_values = [n for _stage, n in board.by_stage]
    if board.without_open_item:
        stage_labels.append(str(_("No open item yet")))
        stage_values.append(board.without_open_item)
    return {
        "state": {"labels": [str(s) for s, _n in board.by_state],
                  "values": [n for _s, n in board.by_state]},
        "stage": {"labels": stage_labels, "values": stage_values},
        "overdue": {"labels": [name for _id, name, _n in board.overdue_by_department],
                    "values": [n for _id, _name, n in board.overdue_by_department]},
        "trend": {"labels": [p.month.strftime("%Y-%m") for p in board.trend],
                  "rates": [p.rate for p in board.trend],
                  "decided": [p.decided for p in board.trend]},
        "ratings": {"labels": [str(r) for r, _n in board.ratings],
                    "values": [n for _r, n in board.ratings]},
        "text": {"count": str(_("Count")), "rate": str(_("On-time rate (%)")),
                 "decided": str(_("Items decided")), "empty": str(_("No data yet")),
                 "save": str(_("Save as picture"))},
        "links": figure_links(board),
    }


class IndexView(FabIndexView):
    """FAB's index with our template and, for a logged-in user, the dashboard."""

    index_template = "index.html"

    @expose("/")
    def index(self):
        self.update_redirect()
        board = computed = warning = None
        user = g.user if hasattr(g, "user") else None
        if user is not None and user.is_authenticated:
            board, computed = current_board(user)
            warning = font_warning()  # PDFs fall back to a font that is not embedded
        return self.render_template(
            self.index_template, appbuilder=self.appbuilder, board=board,
            computed=computed, charts=chart_data(board) if board is not None else None,
            font_warning=warning)
