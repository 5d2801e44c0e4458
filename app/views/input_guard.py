"""The request guard and form checks that apply app/inputs.py everywhere (R-14.9).

- ``init_input_guard(app)``: before any view runs, every query argument, form value, upload
  name and JSON string of the request is refused (400, a Chinese message) when it holds a
  character that cannot be stored (NUL, control characters, U+FFFF: PostgreSQL refuses NUL
  in text, the .xlsx and PDF writers refuse the rest); record ids in the URL that no table
  can hold answer 404; FAB's ``page_*``/``psize_*`` list arguments must be small integers.
  Nothing has been read or written when it refuses.
- ``field_problems(form)``: typed form values the application refuses (NaN numbers, dates
  outside ``DATE_MIN``…``DATE_MAX``) as errors on their fields; every screen form
  (app/views/base.py) and every step and roster form (``GuardedForm``) runs it.
- ``SafeFilters``: FAB's list filters (screens and the REST API's ``q=``) that refuse an
  unknown filter index, an id out of range or an unknown state code instead of passing
  them to the database.
"""
from __future__ import annotations

import enum
import json
import logging
import re
from collections.abc import Iterable
from typing import Any

import prison
from flask import Flask, abort, jsonify, render_template, request
from flask_appbuilder.models.filters import BaseFilter, Filters
from flask_appbuilder.models.sqla.filters import FilterRelation, SQLAFilterConverter
from flask_wtf import FlaskForm

from app import inputs

log = logging.getLogger(__name__)

#: FAB's own patterns for list arguments (flask_appbuilder/urltools.py): any argument whose
#: name contains them is read as an int
_PAGE = re.compile("page_")
_PAGE_SIZE = re.compile("psize_")
#: URL parts that name a record
_ID_ARGS = re.compile(r"^(pk|id|.*_id)$")
#: answers in JSON for these (the lookup fields and the REST API read JSON)
_JSON_PREFIXES = ("/api/", "/lookup/")
_API_LOGIN = "/api/v1/security/login"


def init_input_guard(app: Flask) -> None:
    """Refuse malformed requests before any view, and answer BadInput in Chinese."""
    app.before_request(guard_request)
    app.register_error_handler(inputs.BadInput, _refused)
    _switch_off_file_downloads(app)


def _no_such_file(**_kwargs: Any):
    abort(404)


def _switch_off_file_downloads(app: Flask) -> None:
    """FAB's ``/<view>/download/<filename>`` (on its user and role screens too) serves files
    from UPLOAD_FOLDER, which this app has not got: a KeyError, a 500. No screen has file
    columns (materials and documents have routes of their own), so every one answers 404
    (AppModelView.download does the same for our screens)."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.endswith(".download") and rule.arguments == {"filename"}:
            app.view_functions[rule.endpoint] = _no_such_file


def _strings(value: Any) -> Iterable[str]:
    """Every string inside a JSON document (keys included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _check_text(values: Iterable[str]) -> None:
    for value in values:
        if value and inputs.has_illegal(value):
            raise inputs.BadInput(inputs.BAD_TEXT)


def guard_request() -> None:
    """The before-request hook: text, URL ids and list arguments (raises BadInput, or 404)."""
    if not request.path.startswith("/api/"):  # the API answers its own (app/api/query.py)
        _check_text([request.path])
    for name, value in (request.view_args or {}).items():
        if _ID_ARGS.match(name) and inputs.valid_id(value) is None and \
                not request.path.startswith("/api/"):  # the API answers its own 404
            abort(404)  # no record has that id
    args = request.args
    # Every value of every key: a MultiDict's values() gives only the first of each. The
    # API's q= has its own schema and documented answers (app/api/query.py).
    if not request.path.startswith("/api/"):
        _check_text(args.keys())
        _check_text(value for _name, value in args.items(multi=True))
    for name in args:
        if _PAGE.search(name) or _PAGE_SIZE.search(name):
            for value in args.getlist(name):
                inputs.page_number(value, size=bool(_PAGE_SIZE.search(name)))
    if request.path.startswith("/api/") and "q" in args:
        _check_rison(args.get("q", ""))
    if request.method in ("POST", "PUT", "PATCH"):
        if request.is_json:
            _check_text(_strings(request.get_json(silent=True)))
        else:
            _check_text(request.form.keys())
            _check_text(value for _name, value in request.form.items(multi=True))
            _check_text(upload.filename or "" for upload in request.files.values())


def _check_rison(text: str) -> None:
    """The API's ``q=`` must parse as Rison (FAB answers its parser's own error with a 400,
    but not the ValueError a malformed number raises: "2026-13-01", "1e"), and its page
    and page size must be integers FAB can page with."""
    try:
        json.loads(text)
    except ValueError:
        pass
    else:
        return  # a JSON q: the API reads it itself (app/api/query.py) and checks its schema
    try:
        query = prison.loads(text)
    except Exception as exc:  # the parser raises anything on bad input
        raise inputs.BadInput(inputs.BAD_FILTER) from exc
    # FAB caps page_size but not page: a negative page is a negative OFFSET (PostgreSQL
    # refuses it), a text one a TypeError.
    if isinstance(query, dict):
        for key, low in (("page", 0), ("page_size", -1)):
            value = query.get(key, 0)
            if not isinstance(value, int) or isinstance(value, bool) or \
                    not low <= value <= inputs.PAGE_MAX:
                raise inputs.BadInput(inputs.BAD_PAGE)


def _refused(error: inputs.BadInput):
    """400 with the reason, in JSON for the API and lookups, else a small page. Nothing
    was written (the guard runs first; filters are read before any write) and the request's
    session ends unsaved at teardown."""
    message = str(error.message)
    log.info("input refused on %s %s: %s", request.method, request.path, message)
    if request.path == _API_LOGIN:
        # No account has such a name: the login's documented refusal (the API contract).
        return jsonify({"message": message}), 401
    if request.path.startswith(_JSON_PREFIXES) or request.is_json:
        return jsonify({"message": message}), 400
    return render_template("bad_input.html", message=message), 400


# ---- forms ---------------------------------------------------------------------------------
def field_problems(form: Any) -> bool:
    """Put an error on every field whose typed value the application refuses; True if none."""
    ok = True
    for field in form:
        if field.errors:
            continue
        data = field.data
        for value in data if isinstance(data, (list, tuple)) else [data]:
            message = inputs.value_problem(value)
            if message:
                field.errors = list(field.errors) + [str(message)]
                ok = False
                break
    return ok


def printable_errors(form: Any) -> None:
    """Keep messages that echo the typed value ("'%s%n' is not a valid choice") from
    breaking the page: FAB's form macro passes each error through gettext, which formats
    it with ``%``, so a literal ``%`` is doubled (and prints once)."""
    for field in form:
        if field.errors:
            field.errors = [str(error).replace("%", "%%") for error in field.errors]


class GuardedForm(FlaskForm):
    """Base of the forms outside the screens (lifecycle steps, roster filings): values the
    application refuses are errors on their fields, nothing runs."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators=extra_validators)
        valid = field_problems(self) and valid
        printable_errors(self)
        return valid


# ---- list filters --------------------------------------------------------------------------
class KeptFilterConverter(SQLAFilterConverter):
    """FAB's filter converter, its answer for a column worked out once per interface.

    FAB converts every column of the model into its filters each time it makes a Filters
    (three times a list page: the view's, the joined ones, the inner query's), a tenth of a
    list page's time; the answer depends only on the interface and the column. Each caller
    gets its own list of the same (stateless) filter objects.
    """

    def convert(self, col_name: str) -> list[BaseFilter] | None:
        kept = self.datamodel.__dict__.setdefault("_xb_converted", {})
        if col_name not in kept:
            kept[col_name] = super().convert(col_name)
        filters = kept[col_name]
        return list(filters) if filters is not None else None


class SafeFilters(Filters):
    """FAB's Filters, refusing (BadInput) what would reach the database malformed."""

    def add_filter_index(self, column_name: str, filter_instance_index: int, value: Any):
        # FAB indexes the column's filters by the number in ``_flt_<n>_``: no IndexError.
        if column_name in self._all_filters and \
                filter_instance_index >= len(self._all_filters[column_name]):
            raise inputs.BadInput(inputs.BAD_FILTER)
        super().add_filter_index(column_name, filter_instance_index, value)

    def _add_filter(self, filter_instance: BaseFilter, values: Any) -> None:
        for value in values if isinstance(values, list) else [values]:
            check_filter_value(filter_instance, value)
        super()._add_filter(filter_instance, values)


def check_filter_value(flt: BaseFilter, value: Any) -> None:
    """BadInput when ``value`` cannot be compared with the filter's column in SQL."""
    if value is None or isinstance(value, (bool, enum.Enum)) or \
            not isinstance(value, (str, int, float)):
        return  # base filters and related views pass objects and enum members
    datamodel, column = flt.datamodel, flt.column_name
    if isinstance(value, str) and inputs.has_illegal(value):
        raise inputs.BadInput(inputs.BAD_TEXT)
    if isinstance(flt, FilterRelation):
        if inputs.valid_id(value) is None:
            raise inputs.BadInput(inputs.BAD_FILTER)
        return
    if column not in datamodel.list_columns or datamodel.is_relation(column):
        return
    text = str(value).strip()
    if datamodel.is_enum(column):
        enum_cls = datamodel.list_columns[column].type.enum_class
        if enum_cls is not None and text not in \
                {m.value for m in enum_cls} | {m.name for m in enum_cls}:
            raise inputs.BadInput(inputs.BAD_FILTER)
    elif datamodel.is_integer(column):
        try:
            number = int(text)
        except ValueError:
            return  # FAB compares with NULL: nothing matches
        if abs(number) > inputs.ID_MAX:
            raise inputs.BadInput(inputs.BAD_FILTER)
    elif datamodel.is_float(column) or datamodel.is_numeric(column):
        # FAB passes a Numeric filter's text to the database as it is: PostgreSQL
        # refuses "abc" for a numeric column (a 500), SQLite compares it as text.
        try:
            number = float(text)
        except ValueError:
            raise inputs.BadInput(inputs.BAD_FILTER) from None
        if not inputs.is_finite(number):
            raise inputs.BadInput(inputs.BAD_FILTER)
