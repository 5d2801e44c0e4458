"""A list page's rows, written in Python (issue 16, item 3).

FAB's list widget writes its rows in Jinja: per cell a formatter look-up, a block call and
an escape through the template runtime, per row three buttons with their addresses. The
same markup is built here with plain string joins: the row buttons' addresses come from one
address per page with the row's key put in, their labels are translated once per page, and
one handler of the page (static/js/lists.js) asks before a delete. What each cell shows is
FAB's (the view's formatter, else the value, escaped). tests/test_list_rows.py holds the
rows against the Jinja block they replace.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence
from urllib.parse import quote

from markupsafe import Markup, escape

from app.i18n import gettext as _

#: what the widget's addresses hold in place of a row's key
ROW_KEY = "XBROWKEY"


def _button(url: str, title: str, text: str, icon: str) -> str:
    return (f'<a href="{url}" class="btn btn-sm btn-default" data-toggle="tooltip" '
            f'rel="tooltip" title="{title}"><span class="sr-only">{text}</span>'
            f'<i class="fa {icon}"></i></a>')


def _delete_button(url: str, title: str, text: str) -> str:
    return (f'<a href="#" data-xb-delete="{url}" class="btn btn-sm btn-default confirm '
            f'xb-row-delete" rel="tooltip" title="{title}"><span class="sr-only">{text}'
            f'</span><i class="fa fa-trash"></i></a>')


def _buttons(show_url: str | None, edit_url: str | None,
             delete_url: str | None) -> list[tuple[str, Any]]:
    """(address with ROW_KEY, row's markup maker) of each row button the user may press."""
    made = []
    if show_url:
        title, text = escape(_("Show record")), escape(_("Show"))
        made.append((str(escape(show_url)),
                     lambda url, t=title, x=text: _button(url, t, x, "fa-search")))
    if edit_url:
        title, text = escape(_("Edit record")), escape(_("Edit"))
        made.append((str(escape(edit_url)),
                     lambda url, t=title, x=text: _button(url, t, x, "fa-edit")))
    if delete_url:
        title, text = escape(_("Delete record")), escape(_("Delete"))
        made.append((str(escape(delete_url)),
                     lambda url, t=title, x=text: _delete_button(url, t, x)))
    return made


def rows(value_columns: Iterable[Mapping[str, Any]], pks: Sequence[Any],
         include_columns: Sequence[str], formatters: Mapping[str, Any], *,
         actions: bool, buttons_column: bool, show_url: str | None,
         edit_url: str | None, delete_url: str | None) -> Markup:
    """The ``<tr>`` of every row of the page: its action box, its buttons, its cells.

    ``buttons_column``: the rows have a column of buttons (the user may show, edit or
    delete); ``show_url``, ``edit_url`` and ``delete_url`` hold ROW_KEY where the row's key goes
    (None: the user may not); ``formatters``: column → the view's formatter."""
    buttons = _buttons(show_url, edit_url, delete_url)
    cells = [(column, formatters.get(column)) for column in include_columns]
    out: list[str] = []
    for index, item in enumerate(value_columns):
        pk = pks[index]
        out.append("<tr>")
        if actions:
            key = escape(pk)
            out.append(f'<td><input id="{key}" class="action_check" name="rowid" '
                       f'value="{key}" type="checkbox"></td>')
        if buttons_column:
            row_key = str(escape(quote(str(pk), safe="/")))
            out.append('<td><center><div class="btn-group btn-group-xs" style="display: flex;">')
            out.extend(make(url.replace(ROW_KEY, row_key)) for url, make in buttons)
            out.append("</div></center></td>")
        for column, formatter in cells:
            value = item[column]
            out.append(f"<td>{escape(formatter(value) if formatter else value)}</td>")
        out.append("</tr>")
    return Markup("".join(out))


def register(appbuilder: Any) -> None:
    """No view: the template global the list widget calls
    (templates/appbuilder/general/widgets/list.html)."""
    from flask import current_app

    current_app.jinja_env.globals.update(xb_list_rows=rows, xb_row_key=ROW_KEY)
