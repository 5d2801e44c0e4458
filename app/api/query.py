"""The ``q`` argument of the API's reads: one JSON schema per resource and operation (R-19.1).

FAB checks ``q`` against one loose schema shared by every resource (any column name, any
operator, any value): a date filter with ``"abc"`` or an enum filter with an unknown code then
reached the database and answered 500, and the document promised filters that FAB refused.
Here each resource's schema is built from its own columns, operators and column types; the
same schema is published in the OpenAPI document (app/api/openapi.py) and enforced on every
request (``refusal``), so what the document accepts the API accepts, and nothing else.

``q`` is FAB's Rison or, equally, JSON. FAB's own JSON fallback decodes the URL a second
time (a ``+`` in a value became a space, ``%22`` a quote), so a JSON ``q`` is handed to FAB
as the same value in Rison (``q_as_rison``, run before each API request).
Date-time filter values are ISO 8601 with their offset and are compared in UTC (R-16.4).
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import re
from typing import Any

import jsonschema
import prison
from flask import request
from werkzeug.datastructures import ImmutableMultiDict

from app.api.schema import as_utc

#: the largest id and page number accepted (PostgreSQL's ``integer``)
MAX_INT = 2**31 - 1
#: no NUL in a string: PostgreSQL refuses it in text (a 500 instead of an answer)
TEXT = {"type": "string", "pattern": "^[^\x00]*$"}
#: the operators that take a list of values
LIST_OPERATORS = {"in", "not_in"}
#: which keys of the answer a client may ask for (FAB's ``keys``), per operation
KEYS = {
    "get_list": ["list_columns", "order_columns", "label_columns", "description_columns",
                 "list_title", "none"],
    "get": ["show_columns", "description_columns", "label_columns", "show_title", "none"],
    "info": ["filters", "permissions", "add_columns", "edit_columns", "add_title",
             "edit_title", "none"],
}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _is_date(value: object) -> bool:
    """RFC 3339 full-date (``2026-12-01``)."""
    if not isinstance(value, str):
        return True
    if not _DATE.fullmatch(value):
        return False
    dt.date.fromisoformat(value)
    return True


def _is_date_time(value: object) -> bool:
    """RFC 3339 date-time: with its offset (``2026-12-01T09:30:00+08:00``)."""
    return not isinstance(value, str) or parse_date_time(value) is not None


@functools.cache
def format_checker() -> jsonschema.FormatChecker:
    """The formats ``q``'s values are checked with (only these two). Built on the first API
    read, not on import: a worker that serves only pages never loads jsonschema
    (app/lazy_imports.py)."""
    checker = jsonschema.FormatChecker(formats=())
    checker.checks("date", raises=ValueError)(_is_date)
    checker.checks("date-time", raises=ValueError)(_is_date_time)
    return checker


def parse_date_time(value: str) -> dt.datetime | None:
    """An RFC 3339 date-time as an aware datetime, or None when it is not one."""
    match = _DATE_TIME.fullmatch(value)
    if not match:
        return None
    day, time, fraction, offset = match.groups()
    fraction = (fraction or ".0")[:7].ljust(7, "0")  # Python takes microseconds at most
    offset = "+00:00" if offset in ("Z", "z") else offset
    try:
        return dt.datetime.fromisoformat(f"{day}T{time}{fraction}{offset}")
    except ValueError:
        return None


def q_as_rison():
    """Before an API request: a JSON ``q`` becomes the same value in Rison for FAB; a ``q``
    that is neither answers 400 (FAB's Rison parser raises more than its own error)."""
    raw = request.args.get("q")
    if not raw:
        return None
    try:
        prison.loads(raw)
        return None
    except Exception:  # noqa: BLE001 - prison raises IndexError, ValueError, ... on junk
        pass
    try:
        value = json.loads(raw)
    except ValueError:
        from app.api.errors import error_response

        return error_response(400, "Not a valid q: neither Rison nor JSON")
    args = request.args.copy()
    args["q"] = prison.dumps(value)
    request.args = ImmutableMultiDict(args)
    return None


def query_schema(api: Any, operation: str) -> dict[str, Any]:
    """The JSON schema of ``q`` for ``operation`` (get_list, get, info) of ``api``."""
    properties: dict[str, Any] = {
        "keys": {"type": "array", "items": {"type": "string", "enum": KEYS[operation]}},
    }
    if operation == "get_list":
        properties.update({
            "filters": {"type": "array", "items": {"anyOf": _filter_schemas(api)}},
            "order_column": {"type": "string", "enum": list(api.order_columns)},
            "order_direction": {"type": "string", "enum": ["asc", "desc"]},
            "page": {"type": "integer", "minimum": 0, "maximum": MAX_INT},
            "page_size": {"type": "integer", "minimum": 1, "maximum": api.max_page_size},
        })
    return {"type": "object", "properties": properties, "additionalProperties": False}


def _filter_schemas(api: Any) -> list[dict[str, Any]]:
    """One schema per (column, kind of value): its operators and the type of its value."""
    schemas = []
    for column, filters in api._filters.get_search_filters().items():
        operators = [f.arg_name for f in filters]
        single = [op for op in operators if op not in LIST_OPERATORS]
        several = [op for op in operators if op in LIST_OPERATORS]
        value = _value_schema(api.datamodel, column)
        if single:
            schemas.append(_filter_schema(column, single, value))
        if several:
            schemas.append(_filter_schema(column, several, {"type": "array", "items": value}))
    return schemas


def _filter_schema(column: str, operators: list[str], value: dict) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "col": {"type": "string", "enum": [column]},
            "opr": {"type": "string", "enum": operators},
            "value": value,
        },
        "required": ["col", "opr", "value"],
        "additionalProperties": False,
    }


def _value_schema(datamodel: Any, column: str) -> dict[str, Any]:
    """The JSON schema of a filter value on ``column`` (the column's own type)."""
    if datamodel.is_enum(column):
        enum_class = datamodel.list_columns[column].type.enum_class
        return {"type": "string", "enum": [member.value for member in enum_class]}
    if datamodel.is_datetime(column):
        return {"type": "string", "format": "date-time"}
    if datamodel.is_date(column):
        return {"type": "string", "format": "date"}
    if datamodel.is_integer(column):
        return {"type": "integer", "minimum": 0, "maximum": MAX_INT}
    return dict(TEXT)


def refusal(api: Any, operation: str, args: dict[str, Any]) -> str | None:
    """Why ``q`` (parsed into ``args``) is refused, or None; date-times are set to UTC."""
    validator = jsonschema.Draft4Validator(api.query_schemas[operation],
                                           format_checker=format_checker())
    error = jsonschema.exceptions.best_match(validator.iter_errors(args))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "q"
        return f"Not a valid q: {where}: {error.message}"
    for item in args.get("filters", ()):
        if api.datamodel.is_datetime(item["col"]):
            item["value"] = _utc_text(item["value"])
    return None


def _utc_text(value: Any) -> Any:
    """A date-time filter value in UTC (stored times are UTC; SQLite compares text)."""
    if isinstance(value, list):
        return [_utc_text(one) for one in value]
    moment = parse_date_time(value)
    try:
        return as_utc(moment).isoformat()
    except OverflowError:  # year 1 or 9999 moved past the calendar: compare it as given
        return value
