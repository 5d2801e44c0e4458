"""A record page's panels load when their tab opens (issue 16 item 5: the case page).

FAB renders every related view of a record page (the case page has 18: items, plans, work
log, ...) with the page, two statements each, whatever the clerk looks at. Here only 详细
(Detail) is rendered with the page; each other tab holds a placeholder naming its panel's
address, ``/<view>/panel/<pk>/<RelatedView>``, which static/js/show_tabs.js fetches the first
time the tab opens. The panel is FAB's own related list, rendered by FAB's own code for that
one view, under the same permission as the page (``can_show``), the related view's
``can_list`` and both views' row scopes (R-14.8).

Paging and sorting links inside a panel address the panel again: the page loads them into the
tab. Opened on their own (a new browser tab, no script), they lead back to the record's page
with those arguments, where a panel named by its page's arguments is rendered at once.
"""
from __future__ import annotations

from typing import Any

from flask import abort, g, redirect, request, url_for
from flask_appbuilder.urltools import get_order_args, get_page_args, get_page_size_args
from flask_babel import lazy_gettext as _
from markupsafe import Markup

#: the arguments FAB gives a related list: page, page size, order column and direction
_PANEL_ARGS = ("page_", "psize_", "_oc_", "_od_")


def named(view_name: str) -> bool:
    """Whether this request's arguments page, size or sort the panel ``view_name``."""
    return any(key.startswith(_PANEL_ARGS) and key.endswith("_" + view_name)
               for key in request.args)


def deferred(record_view: Any, pk: Any, view_name: str) -> "Deferred":
    """The placeholder of panel ``view_name`` on the page of record ``pk``."""
    return Deferred(url_for(f"{type(record_view).__name__}.panel", pk=pk, name=view_name))


class Deferred:
    """Stands where FAB puts a related list widget: renders the placeholder instead."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __call__(self, **_kwargs: Any) -> Markup:
        return Markup(
            '<div class="xb-panel" data-xb-panel="{}" data-xb-failed="{}" aria-busy="true">'
            '<i class="fa fa-spinner fa-spin" aria-hidden="true"></i> {}</div>'
        ).format(self.url, _("This panel could not be loaded: reload the page."),
                 _("Loading…"))


def render(record_view: Any, pk: Any, view_name: str) -> Any:
    """The panel ``view_name`` of record ``pk`` as an HTML fragment (the page's script asks
    for it); asked for without the script, the record's page opened on that tab."""
    if request.headers.get("X-Requested-With") != "XMLHttpRequest":
        page = url_for(f"{type(record_view).__name__}.show", pk=pk, **request.args)
        return redirect(f"{page}#{view_name}")
    item = record_view.datamodel.get(pk, record_view._base_filters)
    if item is None:
        abort(404)
    related = next((view for view in record_view._listable(record_view._related_views)
                    if type(view).__name__ == view_name), None)
    if related is None:
        abort(404)
    column, direction = get_order_args().get(view_name) or ("", "")
    g.xb_parent = item  # as on the page (AppModelView._get_related_views_widgets)
    widget = record_view._get_related_view_widget(
        item, related, column, direction, page=get_page_args().get(view_name),
        page_size=get_page_size_args().get(view_name))
    return widget(pk=pk)
