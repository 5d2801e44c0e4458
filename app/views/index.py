"""The landing page after login: the dashboard (R-13.5).

The figures come from ``app.domain.dashboard`` (aggregate SQL, scoped to the commissions the
user may see); this module only turns them into labelled series for the charts, which
``static/js/dashboard.js`` draws with the bundled Apache ECharts (no request leaves the
server). The page also carries the warnings about the working-day calendar (years counted
on weekends only) and the PDF font (no TrueType Chinese font found). A visitor who is not
logged in sees the welcome banner only.
"""
from __future__ import annotations

from typing import Any

from flask import g
from flask_appbuilder import IndexView as FabIndexView
from flask_appbuilder import expose
from flask_babel import lazy_gettext as _

from app import access
from app.documents.fonts import font_warning
from app.domain import dashboard
from app.domain.clock import office_today
from app.extensions import db


def dashboard_scope(user: Any) -> Any:
    """The SQL clause on Commission limiting the dashboard to ``user``'s caseload."""
    return access.commission_scope(user)


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
                 "decided": str(_("Items decided")), "empty": str(_("No data yet"))},
    }


class IndexView(FabIndexView):
    """FAB's index with our template and, for a logged-in user, the dashboard."""

    index_template = "index.html"

    @expose("/")
    def index(self):
        self.update_redirect()
        board = warning = None
        user = g.user if hasattr(g, "user") else None
        if user is not None and user.is_authenticated:
            board = dashboard.build(db.session, office_today(), dashboard_scope(user))
            warning = font_warning()  # PDFs fall back to a font that is not embedded
        return self.render_template(
            self.index_template, appbuilder=self.appbuilder, board=board,
            charts=chart_data(board) if board is not None else None, font_warning=warning)
