"""The API's row schemas: what a resource's rows look like on the wire (R-19.1, R-16.4).

FAB turns model columns into marshmallow fields (``Model2SchemaConverter``); the same fields
serialise the rows and, through apispec, describe them in the OpenAPI document. Three of its
choices contradicted what the API answers, so this converter changes the fields themselves
(the document then follows):

- a foreign key (``coordinator_id``) became an untyped field: it is an integer;
- a nullable column or relation was not marked nullable, though ``null`` is sent for it;
- a ``DateTime`` was sent without its offset (SQLite gives back naive datetimes for
  ``timezone=True`` columns). Every date-time is sent in UTC with ``+00:00``: the value as
  stored, lossless, the same on SQLite and PostgreSQL whatever the server's time zone.

Every column is always sent (``null`` when empty), so every field is marked required.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask_appbuilder.api.convert import Model2SchemaConverter
from marshmallow import fields


class UtcDateTime(fields.DateTime):
    """ISO 8601 in UTC with its offset (``2026-11-27T03:46:00+00:00``); naive means UTC."""

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return as_utc(value).isoformat()


def as_utc(value: dt.datetime) -> dt.datetime:
    """``value`` in UTC; a naive value (SQLite) is UTC already (R-16.4: stored in UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


class ContractSchemaConverter(Model2SchemaConverter):
    """FAB's converter with integer foreign keys, nullability and UTC date-times."""

    def _meta_schema_factory(self, columns, model, class_mixin, parent_schema_name=None):
        """FAB's schema class, keeping foreign keys: marshmallow-sqlalchemy drops a foreign
        key column unless ``include_fk`` (then ``coordinator_id`` became an untyped field)."""
        schema = super()._meta_schema_factory(columns, model, class_mixin,
                                              parent_schema_name=parent_schema_name)

        class Meta(schema.Meta):
            include_fk = True

        # the name stays "MetaSchema": FAB names the document's schemas from it
        return type(schema.__name__, (schema,), {"Meta": Meta})

    def _column2field(self, datamodel, column, nested=True, parent_schema_name=None):
        field = super()._column2field(datamodel, column, nested=nested,
                                      parent_schema_name=parent_schema_name)
        name = column.name
        nullable = bool(datamodel.is_nullable(name))
        if datamodel.is_datetime(name):
            field = UtcDateTime(allow_none=nullable, dump_only=True)
        elif datamodel.is_fk(name) or datamodel.is_integer(name):
            field = fields.Integer(allow_none=nullable, dump_only=True)
        else:
            field.allow_none = nullable
        field.required = True
        return field

