"""Row-level access and masking for the screens (R-14.2, R-14.5), used by app/views/base.py.

The rules themselves live in app/access.py; these adapt them to FAB: a base filter, a save
guard and a list/show formatter.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_appbuilder.models.filters import BaseFilter
from flask_login import current_user

from app import access


class RowScopeFilter(BaseFilter):
    """A base filter that keeps the rows the current user may see (app.access.row_scope).

    The clause is computed per request from the logged-in user; the filter's value is unused.
    It also serves relation fields (the related model's rows) and REST APIs alike.
    """

    # Never shown: base filters are not offered in the search form.
    name = "row scope"

    def apply(self, query: Any, value: Any) -> Any:
        clause = access.row_scope(current_user, self.model)
        return query if clause is None else query.filter(clause)


def row_scope_filter() -> list[list[Any]]:
    """A ``base_filters`` / ``*_query_rel_fields`` entry applying the row scope."""
    return [["id", RowScopeFilter, None]]


def out_of_reach(item: Any) -> bool:
    """True when ``item`` points (many-to-one) at a record the current user may not see.

    Guards saves against a crafted form or a related view's ``_flt_`` argument that names
    someone else's commission.
    """
    for rel in sa.inspect(type(item)).relationships:
        target = rel.mapper.class_
        if rel.direction is not sa.orm.MANYTOONE or target not in access.ROW_SCOPES:
            continue
        related = getattr(item, rel.key, None)
        if related is not None and related.id is not None and \
                access.visible(current_user, target, related.id) is None:
            return True
    return False


def masked_phone(value: Any) -> str:
    """List/show formatter: a personal phone as the current user may see it (R-14.5)."""
    return access.display_phone(current_user, value)
