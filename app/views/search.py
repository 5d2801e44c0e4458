"""The quick search in the navbar (issue 14, item 4): ``/search/?q=`` finds a case by 申请编号,
project code or name, unit name or credit code, or coordinator, with names also found by
their pinyin, full or initials ("jcq" → 江城区, app/pinyin.py).

One match (or an application number typed in full) opens it: the case, the project, the
unit, or the list of a coordinator's cases. Otherwise a page lists what was found, group by
group, each with a link to the commission list filtered by it (app/views/list_filters.py).
Every group is searched through the user's row scope (R-14.8), by the same lookups the
forms use (app/views/lookup.py), a few rows each: the page costs the same at any size.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _
from flask_login import current_user

from app import access
from app.extensions import db
from app.models import Commission
from app.views.lookup import find

#: rows shown per group
SHOWN = 8
#: the longest term searched
MAX_TERM = 60


@dataclass(frozen=True)
class Group:
    """One kind of record the quick search looks at."""

    kind: str            # the lookup kind (app/views/lookup.py)
    title: Any
    page: str | None     # the record's page (endpoint), if it has one
    filter_key: str | None  # the commission list's quick filter naming it


GROUPS = (
    Group("commission", _("Commissions"), "CommissionView.show", None),
    Group("project", _("Projects"), "ProjectView.show", "project"),
    Group("unit", _("Construction units"), "UnitView.show", "unit"),
    Group("coordinator", _("Coordinators"), None, "coordinator"),
)


def _may(permission: str, view: str) -> bool:
    from flask import current_app

    return current_app.appbuilder.sm.has_access(permission, view)


def _exact_commission(term: str) -> Commission | None:
    """The commission whose application number is ``term`` (any case), if the user may see it."""
    query = sa.select(Commission).where(sa.func.upper(Commission.application_no) == term.upper())
    clause = access.commission_scope(current_user)
    if clause is not None:
        query = query.where(clause)
    return db.session.scalars(query.limit(1)).first()


def target(group: Group, row: Any) -> str | None:
    """Where a found row leads: its page, or the commission list filtered by it."""
    if group.page is not None and _may("can_show", group.page.split(".")[0]):
        return url_for(group.page, pk=row.id)
    return cases_of(group, row)


def cases_of(group: Group, row: Any) -> str | None:
    """The commission list filtered by the row (its project, unit or coordinator)."""
    if group.filter_key is None or not _may("can_list", "CommissionView"):
        return None
    return url_for("CommissionView.list", **{f"_flt_0_{group.filter_key}": row.id})


def search(term: str) -> list[tuple[Group, list[Any], bool]]:
    """What ``term`` finds: per group the rows shown and whether there are more."""
    found = []
    for group in GROUPS:
        if group.kind == "commission" and not _may("can_list", "CommissionView"):
            continue
        rows = find(group.kind, term, limit=SHOWN + 1)
        found.append((group, rows[:SHOWN], len(rows) > SHOWN))
    return found


class QuickSearchView(BaseView):
    """``/search/?q=``: the navbar's quick search."""

    route_base = "/search"
    default_view = "index"

    @expose("/")
    @has_access
    def index(self):
        term = " ".join(request.args.get("q", "").split())[:MAX_TERM]
        if not term:
            return self.render_template("quick_search.html", term="", found=[], total=0,
                                        target=target, cases_of=cases_of,
                                        title=_("Quick search"))
        exact = _exact_commission(term)
        if exact is not None:
            return redirect(url_for("CommissionView.show", pk=exact.id))
        found = search(term)
        total = sum(len(rows) for _group, rows, _more in found)
        more = any(more for _group, _rows, more in found)
        if total == 1 and not more:
            group, rows = next((g, r) for g, r, _m in found if r)
            link = target(group, rows[0])
            if link is not None:
                return redirect(link)
        return self.render_template("quick_search.html", term=term, found=found, total=total,
                                    target=target, cases_of=cases_of,
                                    title=_("Quick search"))


def register(appbuilder) -> None:
    """No menu entry: the search box sits in the navbar (templates/appbuilder/navbar_right)."""
    appbuilder.add_view_no_menu(QuickSearchView)
