"""The read-only REST API's base (R-14.1, R-14.2): JWT-protected, row-filtered like the screens.

External systems (the city's government-service platform) read; nothing writes through the
API: only ``get``, ``get_list`` and ``info`` are routed (POST/PUT/DELETE answer 405).
Rows are serialised by app/api/schema.py and ``q`` is checked by app/api/query.py, so that
answers match the OpenAPI document (R-19.1).
"""
from __future__ import annotations

from typing import Any

from flask import current_app
from flask_appbuilder.api import ModelRestApi

from app import access
from app.api.query import MAX_INT, q_as_rison, query_schema, refusal
from app.api.schema import ContractSchemaConverter
from app.views.input_guard import SafeFilters
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
    model2schemaconverter = ContractSchemaConverter

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
        #: the JSON schema of ``q`` per operation, enforced here and published in the document
        self.query_schemas = {name: query_schema(self, name) for name in READ_METHODS}
        # q= filters refuse malformed values (an unknown state code, an id beyond 64 bits,
        # NUL) with a 400, as the screens' filters do (R-14.9).
        self._filters = SafeFilters(self.datamodel.filter_converter_class, self.datamodel,
                                    search_columns=self.search_columns,
                                    search_filters=self.search_filters)

    def create_blueprint(self, appbuilder: Any, *args: Any, **kwargs: Any):
        """FAB's blueprint, reading a JSON ``q`` as Rison (app/api/query.py)."""
        blueprint = super().create_blueprint(appbuilder, *args, **kwargs)
        blueprint.before_request(q_as_rison)
        return blueprint

    def get_list_headless(self, **kwargs: Any):
        """FAB's list, once ``q`` has passed this resource's schema."""
        return self._refused("get_list", kwargs) or super().get_list_headless(**kwargs)

    def get_headless(self, pk: Any, **kwargs: Any):
        """FAB's one row, once ``q`` has passed this resource's schema."""
        if not 0 < pk <= MAX_INT:  # no such row; SQLite cannot even bind a larger integer
            return self.response_404()
        return self._refused("get", kwargs) or super().get_headless(pk, **kwargs)

    def info_headless(self, **kwargs: Any):
        """FAB's metadata, once ``q`` has passed this resource's schema."""
        return self._refused("info", kwargs) or super().info_headless(**kwargs)

    def _refused(self, operation: str, kwargs: dict[str, Any]):
        """A 400 answer when ``q`` breaks the schema, else None."""
        message = refusal(self, operation, kwargs.setdefault("rison", {}))
        return None if message is None else self.response_400(message=message)
