"""督办: the supervisors' screen of everything late or nearly late (R-13.1)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, g, request
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _

from app import access
from app.domain import definitions as defs
from app.domain import meetings, overdue, slips
from app.clock import office_today
from app.extensions import db
from app.models import Department, MeetingActionItem
from app.views.lights import light_cell, request_calendar
from app.views.menu import SUPERVISION, add

PER_PAGE = 50


def _int_arg(name: str, default: int) -> int:
    try:
        return max(int(request.args.get(name, default)), 1)
    except (TypeError, ValueError):
        return default


class OverdueView(BaseView):
    """Overdue items (sortable by days late and department), late contacts and terminations."""

    route_base = "/overdue"
    default_view = "index"

    @expose("/")
    @has_access
    def index(self):
        today = office_today()
        cal = request_calendar()
        sort = request.args.get("sort", "days")
        sort = sort if sort in overdue.SORTS else "days"
        department_id = _int_arg("department", 0) if request.args.get("department") else None
        page = _int_arg("page", 1)
        soon = request.args.get("show") == "soon"
        until = cal.add(today, current_app.config.get("DEADLINE_WARNING_DAYS", 2)) if soon else None
        items, total = overdue.late_items(
            db.session, today=today, cal=cal, until=until, department_id=department_id,
            sort=sort, page=page, per_page=PER_PAGE, items=access.item_scope(g.user))
        mine = access.commission_scope(g.user)  # a coordinator sees their own cases
        departments = db.session.scalars(sa.select(Department).order_by(Department.sort_order,
                                                                       Department.name)).all()
        return self.render_template(
            "overdue.html", title=_("Supervision of deadlines"), items=items, total=total,
            page=page, pages=max((total + PER_PAGE - 1) // PER_PAGE, 1), sort=sort, soon=soon,
            department_id=department_id, departments=departments, light_cell=light_cell,
            contacts=overdue.late_contacts(db.session, today=today, commissions=mine),
            window_delay=defs.is_window_delay,
            announcements=overdue.awaiting_announcement(db.session, today=today,
                                                        commissions=mine),
            handovers=overdue.late_handovers(db.session, today=today, commissions=mine),
            slips=slips.slipping_items(db.session, today=today, cal=cal, commissions=mine),
            action_items=meetings.open_action_items(
                db.session, scope=access.row_scope(g.user, MeetingActionItem)),
        )


def register(appbuilder) -> None:
    """Menu entry of the supervision screen."""
    add(appbuilder, OverdueView, "Supervision of deadlines", _("Supervision of deadlines"),
        SUPERVISION, "fa-bell")
