"""A list page's paging, page-size and column-order links, one address built per kind
(issue 16, item 3).

FAB's ``link_page``, ``link_page_size`` and ``link_order`` template filters copy the
request's arguments and build a whole address with ``url_for`` for every link: a list page
has about 25 of them (the pages around this one, four page sizes, each sortable column
twice). Within one request the links of a kind differ only in the one value they set, so
the address is built once with a mark in that value's place and each link puts its value
in. The addresses are FAB's, character for character (tests/test_list_links.py); a value
that an address would spell differently (anything but letters, digits, ``_``, ``.`` and
``-``) takes FAB's own way.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from flask import current_app, g, request, url_for

#: what stands for the value while the address is built (letters only: never quoted)
MARK = "xbvaluemark"
_PLAIN = re.compile(r"^[A-Za-z0-9_.\-]+$")


def _address(args: dict[str, Any]) -> str:
    return url_for(request.endpoint, **{**request.view_args, **args})


def _with_value(kind: str, view: str, value: Any, set_args: Callable[[dict], None],
                fab: Callable[[Any, str], str]) -> str:
    text = str(value)
    kept = g.setdefault("xb_list_links", {})
    address = kept.get((kind, view))
    if address is None:
        address = ""  # the mark in the request itself: FAB's way for every link
        if MARK not in request.full_path:
            args = request.args.to_dict()
            set_args(args)
            address = _address(args)
        kept[(kind, view)] = address
    if not address or not _PLAIN.match(text):
        return fab(value, view)
    return address.replace(MARK, text)


def link_page(page: Any, view: str) -> str:
    """The address of page ``page`` of ``view``'s list, with this request's arguments."""
    def set_args(args: dict) -> None:
        args[f"page_{view}"] = MARK
    return _with_value("page", view, page, set_args, _fab["link_page"])


def link_page_size(size: Any, view: str) -> str:
    """The address of ``view``'s list with ``size`` rows a page."""
    def set_args(args: dict) -> None:
        args[f"psize_{view}"] = MARK
    return _with_value("size", view, size, set_args, _fab["link_page_size"])


def link_order(column: str, view: str) -> str:
    """The address of ``view``'s list ordered by ``column``: ascending, or the other way
    round when the list is ordered already (FAB's rule: by any column)."""
    def set_args(args: dict) -> None:
        order, direction = f"_oc_{view}", f"_od_{view}"
        ordered = order in args
        args[order] = MARK
        args[direction] = "desc" if ordered and args.get(direction) == "asc" else "asc"
    return _with_value("order", view, column, set_args, _fab["link_order"])


_OURS = {"link_page": link_page, "link_page_size": link_page_size, "link_order": link_order}
#: FAB's filters, for values that need them
_fab: dict[str, Callable[[Any, str], str]] = {}


def register(appbuilder: Any) -> None:
    """No view: FAB's three link filters replaced in the app's templates."""
    filters = current_app.jinja_env.filters
    for name, ours in _OURS.items():
        _fab.setdefault(name, filters[name])
        filters[name] = ours
