"""The base ModelView every screen uses: Chinese enum selects, form-level checks, clean saves.

What it adds to FAB's ModelView, once for all screens:
- enum columns become selects showing their translated labels (FAB shows the raw codes),
  and list, show and filter widgets print the labels too;
- boolean columns are optional checkboxes (FAB marks NOT NULL booleans as required);
- empty optional text is stored as NULL, so optional unique columns do not collide on "";
- ``field_checks``: per-field format checks returning translatable messages, and
  ``check_form``: cross-field rules; both show errors on the form, nothing is saved;
- a database error on save is rolled back and reported in Chinese, never a 500;
- row-level access (R-14.2): every screen of a model declared in ``app.access.ROW_SCOPES``
  gets ``RowScopeFilter`` as a base filter (list, show, edit, delete, related views), its
  relation fields and lookups offer only rows the user may see, a save may not point at a
  record outside the user's reach, and actions re-load their rows through the filter;
- masking (R-14.5): columns declared in ``app.access.PHONE_COLUMNS`` print masked on list
  and show pages to users who do not handle the case;
- who did it (R-16.2): ``signed_columns`` are filled from the session, shown read-only,
  and person selects open on nobody (app/views/authorship.py);
- times (R-16.4): every date-time column reads in Beijing time to the minute on list and
  show pages (``app.timefmt.show_time``); its filter opens empty and reads a typed time as
  Beijing time.
"""
from __future__ import annotations

import enum
import functools
from typing import Any, Callable, ClassVar

from flask import (abort, flash, g, has_app_context, has_request_context, redirect, request,
                   session)
from flask_appbuilder import ModelView, expose, has_access
from flask_appbuilder.baseviews import BaseModelView
from flask_appbuilder.forms import GeneralModelConverter
from flask_appbuilder.security.decorators import permission_name
from flask_appbuilder.const import FLAMSG_ERR_SEC_ACCESS_DENIED
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.fields import QuerySelectField
from flask_appbuilder.widgets import ShowWidget
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.filters import FilterRelationOneToManyEqual
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _
from flask_login import current_user
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import RelationshipProperty, joinedload, lazyload, selectinload
from wtforms import BooleanField, SelectField, validators
from wtforms.fields.core import UnboundField

from app import access, inputs
from app.choices import StaffRole
from app.clock import office_today
from app.labels import LabelledEnum
from app.models import StaffMember
from app.pinyin import PinyinNamed
from app.timefmt import show_time, typed_time
from app.views import authorship, changes, list_filters, panels
from app.views.input_guard import KeptFilterConverter, SafeFilters, field_problems, printable_errors
from app.views.lookup import LookupField, LookupMultipleField
from app.views.paging import PagingInterface, base_filter
from app.views.pinyin_select import by_pinyin
from app.views.search_widget import KeptSearchWidget
from app.views.scoping import masked_phone, out_of_reach, row_scope_filter
from app.views.transaction import Outcome, discard, run_in_transaction

Check = Callable[[Any], object | None]


class SaveError(Exception):
    """A save the database refused; the message is shown to the user."""


#: what ``getattr`` answers for an attribute the item does not have
_ABSENT = object()
#: a delete refused because a document was issued from the row
KEPT_FOR_DOCUMENT = _("A document was issued from this record; it is kept as issued and "
                      "cannot be deleted. Nothing was changed.")
#: a delete the database refused because other records still point to the row
STILL_REFERENCED = _("This record cannot be deleted: other records refer to it. "
                     "Nothing was changed.")


def _refuse(outcome: Outcome) -> None:
    """Raise a refused save for FAB's form handling, keeping its reason for the edit form
    (FAB flashes ``database_error_message`` there, not the exception)."""
    if outcome.refused:
        if has_request_context():
            g.xb_refusal = outcome.message
        raise SaveError(outcome.message) from outcome.error


def pinned_parents(filters: Any) -> list[str]:
    """The many-to-one columns a related view's filter pins to one parent row."""
    if filters is None:
        return []
    return [flt.column_name for flt in filters.filters
            if isinstance(flt, FilterRelationOneToManyEqual)]


class OfficeTime(BaseFilter):
    """Mixed into FAB's filters of a date-time column: the typed time is read as Beijing
    time (R-16.4); the column stores UTC, people type what the screens show them."""

    def apply(self, query: Any, value: Any) -> Any:
        return super().apply(query, typed_time(value))


_office_filters: dict[type, type] = {}


def office_time_filter(flt: BaseFilter) -> BaseFilter:
    """``flt`` as its Beijing-time variant (a class FAB can instantiate again by itself)."""
    cls = type(flt)
    if cls not in _office_filters:
        _office_filters[cls] = type(f"OfficeTime{cls.__name__}", (OfficeTime, cls), {})
    return _office_filters[cls](flt.column_name, flt.datamodel, flt.is_related_view)


class RecordShowWidget(ShowWidget):
    """FAB's show widget with the usable actions and the 变更记录 (templates/xb_show_widget)."""

    template = "xb_show_widget.html"


class AppInterface(PagingInterface):
    """SQLAInterface whose add/edit report database refusals in Chinese.

    ``eager`` names relations the list loads with one extra query each instead of one per
    row: the many-to-one relations of the view's list columns (added by AppModelView) and
    any the view declares. Under a parent's page (a related view) the parent relation is
    not loaded again: it is in the session already. Deep pages: app/views/paging.py.
    """

    filter_converter_class = KeptFilterConverter

    def __init__(self, obj: type, session: Any = None, eager: tuple[str, ...] = ()) -> None:
        super().__init__(obj, session)
        self.eager = eager
        #: the screen's quick filters: key → their FAB filter class (app/views/list_filters.py)
        self.quick: dict[str, type[BaseFilter]] = {}
        #: (eager, parents) → the list query's loader options (``_list_options``)
        self._kept_options: dict[tuple, tuple] = {}

    def apply_all(self, query: Any, filters: Any = None, *args: Any, **kwargs: Any) -> Any:
        query = super().apply_all(query, filters, *args, **kwargs)
        options = self._list_options(tuple(self.eager), tuple(pinned_parents(filters)))
        return query.options(*options) if options else query

    def _page(self, base: Any, filters: Any, order_column: str, order_direction: str,
              outer_default_load: bool) -> Any:
        """The list's query. A list read as plain rows (``list_reads``) selects its columns
        and joins its relations itself (``_selecting``): loader options would be made and
        attached only to be dropped, so it is filtered and ordered without them."""
        if not self.list_reads:
            return super()._page(base, filters, order_column, order_direction,
                                 outer_default_load)
        return super(AppInterface, self).apply_all(
            base, filters, order_column, order_direction,
            outer_default_load=outer_default_load)

    def _list_options(self, eager: tuple[str, ...], parents: tuple[str, ...]) -> tuple:
        """The loader options of a list query, made once per screen and parents (immutable
        options, reused: app/views/list_loading.py)."""
        kept = self._kept_options
        options = kept.get((eager, parents))
        if options is None:
            made = [loader for name in self._loaded(list(parents))
                    if (loader := self._loader(name)) is not None]
            # Rows listed under their parent (a related view on the parent's page) take the
            # parent from the session: a lazy many-to-one load finds it in the identity
            # map, where the model's default (selectin) would load it, and all it loads,
            # again.
            made += [lazyload(getattr(self.obj, name)) for name in parents]
            options = kept[(eager, parents)] = tuple(made)
        return options

    def _loaded(self, parents: list[str]) -> list[str]:
        """The relations a list query loads: ``eager``, and the scalar relations the model
        loads by default (``lazy="selectin"``), which a join brings in the same statement."""
        names = list(self.eager)
        for rel in sa.inspect(self.obj).relationships:
            if not rel.uselist and rel.lazy == "selectin" and rel.key not in names:
                names.append(rel.key)
        return [name for name in names if name.split(".")[0] not in parents]

    def _loader(self, path: str) -> Any:
        """A loader option for ``path`` ("project" or "project.unit"): scalar relations are
        joined into the list query (one statement for the page and what it shows), lists
        are loaded with one more statement each (a join would repeat the rows)."""
        model, option = self.obj, None
        for name in path.split("."):
            attr = getattr(model, name, None)
            prop = getattr(attr, "property", None)
            if not isinstance(prop, RelationshipProperty):
                return option
            how = selectinload if prop.uselist else joinedload
            option = how(attr) if option is None else getattr(option, how.__name__)(attr)
            model = prop.mapper.class_
        return option

    @staticmethod
    def _get_attr_value(item: Any, col: str) -> Any:
        """What a list or record page shows of ``item``'s ``col``: FAB's value (the
        attribute, a method's answer, or a dotted path's end, "" where the path breaks), read
        once (FAB reads an attribute three times: a computed one, such as the deadline, was
        worked out three times per cell). FAB hands pages an enum's raw code ("phone"); our
        enums print their translated label, so the member itself is kept. Empty cells print
        blank and booleans 是/否, not "None" / "True"."""
        value = getattr(item, col, _ABSENT)
        if value is _ABSENT:
            try:  # a dotted path ("project.unit"), its end as it is; FAB's "" where it breaks
                value = functools.reduce(getattr, col.split("."), item)
            except Exception:
                return ""
        elif isinstance(value, LabelledEnum):
            return value
        elif callable(value):
            value = value()
        elif isinstance(value, enum.Enum):
            value = value.value
        if value is None:
            return ""
        if isinstance(value, list) and value and type(value[0]) in access.ROW_SCOPES:
            return scoped_members(value)
        if isinstance(value, bool):
            return str(_("Yes") if value else _("No"))
        return value

    def get_filters(self, search_columns: Any = None, search_filters: Any = None) -> Any:
        """FAB's filters, refusing malformed values from the URL (R-14.9), with the screen's
        quick filters."""
        columns = [col for col in search_columns or [] if col not in self.quick]
        filters = SafeFilters(self.filter_converter_class, self, search_columns=columns,
                              search_filters=search_filters)
        if self.quick:
            # (FAB leaves the class's shared dict in place when there are no columns)
            filters._search_filters = dict(filters._search_filters)
        for key, cls in self.quick.items():
            if key in (search_columns or []):
                filters._search_filters[key] = [cls(key, self)]
            filters._all_filters[key] = [cls(key, self)]
        return filters

    def get_related_obj(self, col_name: str, value: Any) -> Any:
        """A related view's parent from the URL filter, only if the user may see it."""
        model = self.get_related_model(col_name)
        # A many-to-many filter carries its value as a one-element list (as FAB's
        # query.get accepts it).
        if isinstance(value, (list, tuple)):
            if len(value) != 1:
                return None
            value = value[0]
        if inputs.valid_id(value) is None:
            return None  # no table holds such an id
        if model in access.ROW_SCOPES:
            return access.visible(current_user, model, value, self.session)
        return super().get_related_obj(col_name, value)

    def _save(self, item: Any) -> None:
        outcome = run_in_transaction(self.session.add, item, session=self.session)
        _refuse(outcome)

    def add(self, item: Any, commit: bool = True) -> None:
        self._save(item)

    def edit(self, item: Any, commit: bool = True) -> None:
        self._save(item)

    def delete(self, item: Any, commit: bool = True) -> None:
        """Delete in one transaction; a row other records point to is refused with a reason
        (R-16.3), never a database error."""
        def work() -> None:
            self._delete_files(item)
            self.session.delete(item)

        outcome = run_in_transaction(work, session=self.session,
                                     on_error={IntegrityError: STILL_REFERENCED})
        _refuse(outcome)


def scoped_members(rows: list[Any]) -> Any:
    """A to-many relation's records as the reader may see them (R-14.8): those outside the
    reader's scope (a meeting's other commissions) are counted, not named."""
    _shown, hidden = access.split_visible(current_user, rows)
    return rows if not hidden else access.named_in_scope(current_user, rows)


def _enum_of(datamodel: SQLAInterface, col: str) -> type[LabelledEnum] | None:
    if col not in datamodel.list_columns or not datamodel.is_enum(col):
        return None
    enum_cls = datamodel.list_columns[col].type.enum_class
    return enum_cls if enum_cls and issubclass(enum_cls, LabelledEnum) else None


def enum_select(enum_cls: type[LabelledEnum], label: object) -> SelectField:
    """A filter's value picker for a text column holding ``enum_cls`` codes (labels shown)."""
    return _enum_field(enum_cls, label, required=True)


def _enum_field(enum_cls: type[LabelledEnum], label: object, required: bool,
                description: object = "") -> SelectField:
    def coerce(value: Any) -> LabelledEnum | None:
        if value in (None, "", "None"):
            return None
        return value if isinstance(value, enum_cls) else enum_cls(value)

    choices = ([] if required else [("", "—")]) + enum_cls.choices()
    checks = [validators.InputRequired()] if required else [validators.Optional()]
    return SelectField(label, choices=choices, coerce=coerce, validators=checks,
                       description=description, widget=Select2Widget())


class FormOnFirstUse:
    """A screen's add or edit form, built on first use (``AppModelView._form``), or the one
    assigned to it."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __get__(self, view: Any, owner: type) -> Any:
        return self if view is None else view._form(self.kind)

    def __set__(self, view: Any, form_cls: type) -> None:
        view.__dict__[f"_xb_form_{self.kind}"] = form_cls


def blank_choice_label(form_cls: type) -> None:
    """Optional relation selects offer "—" as their empty choice.

    FAB's QuerySelectField yields its empty choice as ("__None", blank_text) with an empty
    ``blank_text``, and WTForms 3.3 prints an option's value where its label is empty: the
    select offered "__None". The label is passed to FAB's field, not patched into FAB or
    WTForms, so an upgrade of either keeps it (tests/test_english_walk.py looks for
    "__None" on every page).
    """
    for value in vars(form_cls).values():
        if isinstance(value, UnboundField) and issubclass(value.field_class, QuerySelectField) \
                and value.kwargs.get("allow_blank") and not value.kwargs.get("blank_text"):
            value.kwargs["blank_text"] = authorship.NOBODY


class AppModelView(ModelView):
    """Base of every screen; subclasses stay declarative."""

    page_size = 20
    #: column → check(value) returning None or a translatable message
    field_checks: ClassVar[dict[str, Check]] = {}
    #: the Excel ledger (台账) of this list, if it has one (R-13.6): a key of app/ledgers
    ledger: ClassVar[str | None] = None
    list_template = "xb_list.html"
    search_widget = KeptSearchWidget
    #: relation column → lookup kind (app/views/lookup.py), for relations to large tables;
    #: many-to-one relations get a single search field, many-to-many ones a multiple one
    lookup_columns: ClassVar[dict[str, str]] = {}
    #: filters set in one or two clicks, shown as a bar above the list
    #: (app/views/list_filters.py)
    quick_filters: ClassVar[tuple[list_filters.QuickFilter, ...]] = ()
    #: "who did it" columns filled from the session, never from the form (R-16.2):
    #: column → the staff role that fills it (None: any); app/views/authorship.py
    signed_columns: ClassVar[dict[str, StaffRole | None]] = {}
    #: date columns whose add form opens on today (the app's clock): where the record is
    #: made on the day the step it records is done (a work-log entry, a notice issued, a
    #: revisit made). Dates that are planned, agreed or happen later open empty.
    today_columns: ClassVar[tuple[str, ...]] = ()
    #: relation path → the columns the list's cells read, "" the model's own: the list
    #: selects only those, as plain rows (app/views/list_loading.py); empty: the model's
    #: objects, whole
    list_reads: ClassVar[dict[str, tuple[str, ...]]] = {}

    def __init__(self, **kwargs: Any) -> None:
        if not self.lazy_panels:  # the panel route only where a page defers its panels
            self.exclude_route_methods = frozenset(self.exclude_route_methods) | {"panel"}
        super().__init__(**kwargs)
        if self.quick_filters:
            self._add_quick_filters()
        # FAB keeps the filters it offers and those it applies by index in two tables.
        filters = self._filters
        for col in self.search_columns:
            if self.datamodel.is_datetime(col) and col in filters._search_filters:
                wrapped = [office_time_filter(flt) for flt in filters._search_filters[col]]
                filters._search_filters[col] = filters._all_filters[col] = wrapped

    def _add_quick_filters(self) -> None:
        """The screen's quick filters as more columns of FAB's filters: in the filter menu,
        applied from the URL, kept by the export (app/views/list_filters.py)."""
        keys = [quick.key for quick in self.quick_filters]
        self.search_columns = [col for col in self.search_columns if col not in keys] + keys
        self.label_columns = {**self.label_columns,
                              **{quick.key: quick.label for quick in self.quick_filters}}
        self.datamodel.quick = {quick.key: list_filters.filter_class(self.datamodel.obj, quick)
                                for quick in self.quick_filters}
        self._filters = self.datamodel.get_filters(self.search_columns)
        for quick in self.quick_filters:
            setattr(self.search_form, quick.key, list_filters.value_field(quick))

    @property
    def database_error_message(self) -> Any:  # type: ignore[override]
        """The reason the last save of this request was refused (FAB's edit form flashes
        this attribute on a refused save), else FAB's generic message."""
        refusal = g.get("xb_refusal") if has_app_context() else None
        return refusal or _("The record could not be saved. Nothing was changed.")

    # ---- access (R-14.2, R-14.5) ---------------------------------------------
    def _init_properties(self) -> None:
        # Before FAB builds _base_filters from base_filters (and copies, never mutating
        # the class attribute that subclasses share).
        if self.datamodel.obj in access.ROW_SCOPES:
            self.base_filters = list(self.base_filters or []) + row_scope_filter()
        # Every date-time column reads in Beijing time to the minute, unless the
        # view formats it itself; FAB would print the stored UTC value with microseconds.
        times = {col: show_time for col in self.datamodel.list_columns
                 if self.datamodel.is_datetime(col)}
        self.formatters_columns = {**times, **(self.formatters_columns or {})}
        phones = access.PHONE_COLUMNS.get(self.datamodel.obj, ())
        if phones:
            self.formatters_columns = {
                **self.formatters_columns, **{col: masked_phone for col in phones}}
        super()._init_properties()
        for flt in self._base_filters.filters:
            base_filter(flt)  # the view's own: a list with only these may keep its count
        # The list loads the relations it shows for the whole page at once.
        shown = [col for col in self.list_columns
                 if self.datamodel.is_relation_many_to_one(col.split(".")[0])]
        self.datamodel.eager = tuple(dict.fromkeys((*self.datamodel.eager, *shown)))
        if self.list_reads:
            self.datamodel.list_reads = dict(self.list_reads)

    def _scope_relation_fields(self) -> None:
        """Relation selects (add, edit, search) list only rows the user may see."""
        for attr, columns in (("add_form_query_rel_fields", self.add_columns),
                              ("edit_form_query_rel_fields", self.edit_columns),
                              ("search_form_query_rel_fields", self.search_columns)):
            rel_fields = dict(getattr(self, attr) or {})
            for col in columns:
                if not self.datamodel.is_relation(col):
                    continue
                # Lookup fields scope themselves on forms; the search form renders FAB's
                # select of every row, so it is scoped here too.
                if col in self.lookup_columns and attr != "search_form_query_rel_fields":
                    continue
                if self.datamodel.get_related_model(col) in access.ROW_SCOPES:
                    rel_fields[col] = list(rel_fields.get(col, [])) + row_scope_filter()
            setattr(self, attr, rel_fields)

    def _reload(self, pks: list[Any]) -> list[Any] | None:
        """Action rows re-loaded through the row filter (FAB's actions skip base_filters);
        None when any of them is out of the user's reach."""
        items = [self.datamodel.get(self._deserialize_pk_if_composite(pk), self._base_filters)
                 for pk in pks]
        return None if any(item is None for item in items) else items

    @expose("/action/<string:name>/<pk>", methods=["GET", "POST"])
    def action(self, name: str, pk: Any):
        """FAB's single-record action, with the record loaded through the row filter."""
        if name not in self.actions:
            abort(404)
        if not self.is_get_mutation_allowed():
            flash(str(FLAMSG_ERR_SEC_ACCESS_DENIED), "danger")
            return redirect(self.get_redirect())
        if not self.appbuilder.sm.has_access(self.get_action_permission_name(name),
                                             self.class_permission_name):
            flash(str(FLAMSG_ERR_SEC_ACCESS_DENIED), "danger")
            return redirect(".")
        items = self._reload([pk])
        if items is None:
            abort(404)
        return self.actions[name].func(items[0])

    @expose("/action_post", methods=["POST"])
    def action_post(self):
        """FAB's multi-record action, with every row loaded through the row filter."""
        name = request.form.get("action", "")
        if name not in self.actions:
            abort(404)
        if not self.appbuilder.sm.has_access(self.get_action_permission_name(name),
                                             self.class_permission_name):
            flash(str(FLAMSG_ERR_SEC_ACCESS_DENIED), "danger")
            return redirect(".")
        items = self._reload(request.form.getlist("rowid"))
        if items is None:
            abort(404)
        return self.actions[name].func(items)

    @expose("/download/<string:filename>")
    def download(self, filename: str):
        """FAB's file-column download, switched off: it serves any uploaded file by name,
        past the row filters and the confidentiality rules (materials have their own)."""
        abort(404)

    # ---- forms ---------------------------------------------------------------
    # The add and edit forms are built when first used, not with the view: a worker that
    # serves lists and record pages never builds the 82 forms of the 41 screens (issue 16,
    # a worker's memory: about 2 MiB). FAB reads them as attributes; so does a view that
    # adjusts a form once built (``_form_built``).
    add_form = FormOnFirstUse("add")
    edit_form = FormOnFirstUse("edit")

    def __dir__(self) -> list[str]:
        """The view's attributes but the forms built on first use: FAB reads every
        attribute ``dir`` names (looking for routes and their permissions), which would
        build them all with the view."""
        return [name for name in super().__dir__() if name not in ("add_form", "edit_form")]

    def _form(self, kind: str) -> type:
        """The add or edit form (``kind``), built (as FAB builds it), adjusted and kept on
        first use."""
        form_cls = self.__dict__.get(f"_xb_form_{kind}")
        if form_cls is None:
            columns = getattr(self, f"{kind}_columns")
            form_cls = GeneralModelConverter(self.datamodel).create_form(
                self.label_columns, columns, self.description_columns,
                self.validators_columns, getattr(self, f"{kind}_form_extra_fields"),
                getattr(self, f"{kind}_form_query_rel_fields"))
            blank_choice_label(form_cls)
            editing = kind == "edit"
            form_cls = self._wrap_form(form_cls, columns, editing=editing)
            self._form_built(form_cls, editing)
            self.__dict__[f"_xb_form_{kind}"] = form_cls
        return form_cls

    def _form_built(self, form_cls: type, editing: bool) -> None:
        """A view's adjustment of its add or edit form, once built (none here)."""

    def _init_forms(self) -> None:
        self._scope_relation_fields()
        # FAB's BaseCRUDView would build the add and edit forms now: only the search form
        # (BaseModelView's) is built with the view, the others on first use (above).
        BaseModelView._init_forms(self)
        blank_choice_label(self.search_form)
        # The filter form only renders a value picker (the filters read the request's
        # arguments): give enum filters the translated labels, the codes as values.
        for col in self.search_columns:
            enum_cls = _enum_of(self.datamodel, col)
            field = getattr(self.search_form, col, None)
            if self.datamodel.is_datetime(col) and isinstance(field, UnboundField):
                # FAB fills a date-time filter with the column's default, now in UTC with
                # its offset (2026-12-02 16:30:00+00:00): it opens empty instead.
                field.kwargs["default"] = None
            if enum_cls is not None:
                setattr(self.search_form, col, _enum_field(
                    enum_cls, self.label_columns.get(col, col), required=True))
            elif self._by_pinyin(col):
                by_pinyin(field, self.datamodel.is_relation_many_to_many(col))

    def _wrap_form(self, form_cls: type, columns: list[str], editing: bool) -> type:
        view = self
        if not editing:
            for col in self.today_columns:
                field = getattr(form_cls, col, None)
                if isinstance(field, UnboundField):
                    field.kwargs["default"] = office_today
        for col in columns:
            enum_cls = _enum_of(self.datamodel, col)
            if col in self.signed_columns:
                setattr(form_cls, col, authorship.signed_field(
                    getattr(form_cls, col), self.signed_columns[col], editing, self._edited))
            elif self._is_person(col):
                authorship.blank_person_select(getattr(form_cls, col, None))
                by_pinyin(getattr(form_cls, col, None))
            elif self._by_pinyin(col):
                by_pinyin(getattr(form_cls, col, None),
                          self.datamodel.is_relation_many_to_many(col))
            elif col in self.lookup_columns:
                setattr(form_cls, col, self._lookup_field(col))
            elif enum_cls is not None:
                required = not self.datamodel.is_nullable(col)
                setattr(form_cls, col, _enum_field(
                    enum_cls, self.label_columns.get(col, col), required,
                    self.description_columns.get(col, "")))
            elif col in self.datamodel.list_columns and self.datamodel.is_boolean(col):
                setattr(form_cls, col, BooleanField(
                    self.label_columns.get(col, col), validators=[validators.Optional()],
                    description=self.description_columns.get(col, "")))

        class CheckedForm(form_cls):  # type: ignore[misc, valid-type]
            def validate(self, extra_validators: Any = None) -> bool:
                valid = super().validate(extra_validators=extra_validators)
                valid = view._run_checks(self) and valid
                printable_errors(self)
                return valid

        CheckedForm.__name__ = form_cls.__name__
        return CheckedForm

    def _is_person(self, col: str) -> bool:
        """A many-to-one relation to a roster entry or a login account."""
        if col in self.lookup_columns or not self.datamodel.is_relation_many_to_one(col):
            return False
        model = self.datamodel.get_related_model(col)
        return model is StaffMember or getattr(model, "__tablename__", None) == "ab_user"

    def _by_pinyin(self, col: str) -> bool:
        """A relation select (not a lookup) of rows that keep the pinyin of their name."""
        if col in self.lookup_columns or not self.datamodel.is_relation(col):
            return False
        return issubclass(self.datamodel.get_related_model(col), PinyinNamed)

    def _edited(self) -> Any:
        """The record the edit form is posted for, through the row filter (or None)."""
        pk = (request.view_args or {}).get("pk")
        return None if pk is None else self.datamodel.get(pk, self._base_filters)

    def _lookup_field(self, col: str) -> LookupField:
        """A search-as-you-type field for a relation to a large table."""
        label = self.label_columns.get(col, col)
        description = self.description_columns.get(col, "")
        kind = self.lookup_columns[col]
        if self.datamodel.is_relation_many_to_many(col):
            # An empty list is a valid answer; unknown ids are reported by the field.
            return LookupMultipleField(label, [], kind=kind, description=description)
        # DataRequired (as FAB uses for relations), not InputRequired: a related view's
        # add form leaves the parent out and fills the field's data from the URL filter.
        required = not self.datamodel.is_nullable(col)
        return LookupField(
            label, [validators.DataRequired() if required else validators.Optional()],
            kind=kind, description=description)

    def _run_checks(self, form: Any) -> bool:
        ok = field_problems(form)  # NaN, dates out of range
        for col, check in self.field_checks.items():
            field = getattr(form, col, None)
            if field is None or field.data in (None, "") or field.errors:
                continue
            message = check(field.data)
            if message:
                field.errors = list(field.errors) + [str(message)]
                ok = False
        for col, message in (self.check_form(form) or {}).items():
            field = getattr(form, col, None)
            if field is not None:
                field.errors = list(field.errors) + [str(message)]
                ok = False
        return ok

    def update_redirect(self) -> None:
        """FAB's back-navigation history, left alone (and so the session cookie, which is then
        not signed and sent again) when the page is the one the history ends with: a reload,
        a list refreshed, a page after its own form's refusal."""
        history = session.get("page_history")
        if history and history[-1] == request.url:
            return
        super().update_redirect()

    def render_template(self, template: str, **kwargs: Any) -> Any:
        """FAB's, plus ``ledger`` for the list page's export button; related views the user
        may not list are left out (in step with ``_get_related_views_widgets``)."""
        kwargs.setdefault("ledger", self.ledger)
        if template == self.list_template and self.quick_filters:
            kwargs.setdefault("quick_bar", list_filters.bar(self))
            kwargs.setdefault("quick_kept", list_filters.kept_args(self))
        if kwargs.get("related_views"):
            kwargs["related_views"] = self._listable(kwargs["related_views"])
        return super().render_template(template, **kwargs)

    def _listable(self, views: list[Any]) -> list[Any]:
        sm = self.appbuilder.sm
        return [view for view in views if sm.has_access("can_list", view.class_permission_name)]

    # ---- the record page ------------------------------------------------------
    show_widget = RecordShowWidget
    show_template = "xb_show.html"

    def action_usable(self, name: str, item: Any) -> bool:
        """Whether action ``name`` can do something on ``item`` now: its button shows on the
        record's page only then (issue 14: a print button only when the document can be
        made). Every action is, unless a screen says otherwise."""
        return True

    def _get_show_widget(self, pk: Any, item: Any, widgets: Any = None, actions: Any = None,
                         show_fieldsets: Any = None) -> Any:
        """FAB's show widget with the actions usable on the record and its change history
        (app/views/changes.py)."""
        widgets = super()._get_show_widget(pk, item, widgets=widgets, actions=actions,
                                           show_fieldsets=show_fieldsets)
        usable = {name: act for name, act in (actions or self.actions).items()
                  if self.action_usable(name, item)}
        widgets["show"].template_args.update(actions=usable, changes=changes.changes(self, pk))
        return widgets

    #: panels other than 详细 load when their tab opens (app/views/panels.py): the case page
    #: (18 panels); a page of a few short panels renders them at once
    lazy_panels = False

    @expose("/panel/<pk>/<name>")
    @has_access
    @permission_name("show")
    def panel(self, pk: Any, name: str) -> Any:
        """One panel of the record's page (app/views/panels.py)."""
        return panels.render(self, pk, name)

    def _get_related_views_widgets(self, item: Any, orders: Any = None, pages: Any = None,
                                   page_sizes: Any = None, widgets: Any = None, **args: Any):
        """FAB renders every related view's rows, whatever the user's permissions; only
        those the user may list are rendered here (FAB's loop, on the listable views)."""
        orders, pages, page_sizes = orders or {}, pages or {}, page_sizes or {}
        widgets = widgets or {}
        # The panels' rows are rendered after FAB has dropped the parent; the session holds
        # objects weakly, so keep it for the request: rows find it in the session instead
        # of loading it again, each panel once.
        g.xb_parent = item
        widgets["related_views"] = []
        deferring = self.lazy_panels and request.endpoint == f"{type(self).__name__}.show"
        for view in self._listable(self._related_views):
            name = view.__class__.__name__
            if deferring and not panels.named(name):
                widgets["related_views"].append(panels.deferred(
                    self, self.datamodel.get_pk_value(item), name))
                continue
            order_column, order_direction = orders.get(name) or ("", "")
            widgets["related_views"].append(self._get_related_view_widget(
                item, view, order_column, order_direction,
                page=pages.get(name), page_size=page_sizes.get(name)))
        return widgets

    def check_form(self, form: Any) -> dict[str, object]:
        """Cross-field rules: return {column: message} for every violation."""
        return {}

    # ---- saving --------------------------------------------------------------
    def _normalise(self, item: Any) -> None:
        for col in self.datamodel.list_columns:
            value = getattr(item, col, None)
            if isinstance(value, str) and not value.strip() and self.datamodel.is_nullable(col):
                setattr(item, col, None)
            elif isinstance(value, str) and value != value.strip():
                setattr(item, col, value.strip())

    def _check_reach(self, item: Any) -> None:
        if out_of_reach(item):
            # FAB flashes the message and saves nothing; drop what the form wrote.
            discard(self.datamodel.session)
            raise SaveError(_("The chosen record does not exist."))

    def pre_add(self, item: Any) -> None:
        self._check_reach(item)
        self._normalise(item)

    def pre_update(self, item: Any) -> None:
        self._check_reach(item)
        self._normalise(item)

    def pre_delete(self, item: Any) -> None:
        """R-16.3: a record a document was issued from stays as the archive printed it."""
        from app.documents.content import issued_for  # documents import the models only

        if issued_for(self.datamodel.session, item):
            raise SaveError(KEPT_FOR_DOCUMENT)



#: FAB's CRUD routes that write a row
WRITE_ROUTES = frozenset({"add", "edit", "delete"})


class LifecycleRecordView(AppModelView):
    """A screen of records only the lifecycle writes (R-16.1): terminations, plans, ...

    Listed and shown, never added, edited or deleted here: FAB registers no add, edit or
    delete route and no such permission (a crafted POST finds no URL, the administrator
    included), so the step on the case's page (app/lifecycle) stays the one writer.
    """

    exclude_route_methods = WRITE_ROUTES
    base_permissions = ["can_list", "can_show"]


class KeptRecordView(AppModelView):
    """A screen of records history points to (R-16.3): no delete route, no trash icon."""

    exclude_route_methods = frozenset({"delete"})


def date_order(start: str, end: str, message: object) -> Callable[[Any], dict[str, object]]:
    """A ``check_form`` rule: ``end`` may not be before ``start`` (both optional)."""

    def check(form: Any) -> dict[str, object]:
        first = getattr(form, start, None)
        second = getattr(form, end, None)
        if first is not None and second is not None and first.data and second.data:
            if second.data < first.data:
                return {end: message}
        return {}

    return check
