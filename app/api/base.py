"""The read-only REST API's base (R-14.1, R-14.2): JWT-protected, row-filtered like the screens.

External systems (the city's government-service platform) read; nothing writes through the
API: only ``get``, ``get_list`` and ``info`` are routed (POST/PUT/DELETE answer 405).
"""
from __future__ import annotations

from typing import Any

from flask import current_app
from flask_appbuilder.api import ModelRestApi

from app import access
from app.views.scoping import RowScopeFilter

#: the only REST methods exposed (FAB's method names)
READ_METHODS = {"get", "get_list", "info"}


class ApiRowScopeFilter(RowScopeFilter):
    """The screens' row filter, for the user of the JWT (or of the session cookie).

    flask_login's ``current_user`` is anonymous on a JWT request (FAB sets only ``g.user``),
    so the user comes from FAB's security manager, which knows both.
    """

    def apply(self, query: Any, value: Any) -> Any:
        user = current_app.appbuilder.sm.current_user
        clause = access.row_scope(user, self.model)
        return query if clause is None else query.filter(clause)


class ReadOnlyApi(ModelRestApi):
    """A ModelRestApi that only reads, through the user's row scope (app/access.py).

    A row outside the scope is not found (404), as on the screens. Subclasses set
    ``datamodel``, ``resource_name``, the columns and ``label_columns``; every column gets a
    description (the label unless given), or FAB's ``_info`` would show the zh catalogue's
    header as the description of a column without one.
    """

    include_route_methods = READ_METHODS
    base_permissions = ["can_get", "can_info"]
    base_filters = [["id", ApiRowScopeFilter, None]]
    allow_browser_login = False
    page_size = 20
    max_page_size = 100

    def __init__(self) -> None:
        columns = set(self.list_columns or ()) | set(self.show_columns or ())
        described = dict(self.description_columns or {})
        for column in columns:
            described.setdefault(column, self.label_columns.get(column, column))
        self.description_columns = described
        super().__init__()
        # Nothing is added or edited here: _info offers no add/edit fields (FAB would list
        # every column, with empty descriptions that translate to the catalogue header).
        self.add_columns = []
        self.edit_columns = []
