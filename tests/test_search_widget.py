"""The list's filter menu renders its fixed markup once (issue 16, item 3;
app/views/search_widget.py): the page is the same as FAB's, field for field, a look-up
with a chosen row is rendered afresh, and the kept markup follows the language."""
from __future__ import annotations

import json

from flask_appbuilder.widgets import SearchWidget

from app.extensions import db
from app.views import search_widget
from tests.helpers import numbered_case


def _form_fields(html: str) -> dict[str, str]:
    """The field markup the page hands FAB's filter script (AdminFilters' third argument)."""
    args = html.split("new AdminFilters(", 1)[1].split(",", 1)[1]  # after '#filter_form'
    decoder, values, at = json.JSONDecoder(), [], 0
    while len(values) < 2:
        at = len(args) - len(args[at:].lstrip(" \n,"))
        value, at = decoder.raw_decode(args, at)
        values.append(value)
    return values[1]  # (the labels, then the fields)


def test_kept_markup_is_what_fab_renders(app, client, ctx, monkeypatch):
    numbered_case("JCXB-2026-0001")
    db.session.commit()
    kept = _form_fields(client.get("/commissionview/list/").get_data(as_text=True))
    again = _form_fields(client.get("/commissionview/list/").get_data(as_text=True))
    search_widget._kept_fields.clear()
    search_widget._kept_operators.clear()
    monkeypatch.setattr(search_widget.KeptSearchWidget, "__call__", SearchWidget.__call__)
    fab = _form_fields(client.get("/commissionview/list/").get_data(as_text=True))
    assert kept == again == fab
    assert set(fab) >= {"application_no", "state", "applied_on", "coordinator", "stage"}


def test_a_chosen_lookup_is_rendered_afresh_and_language_is_kept_apart(app, client, ctx):
    case = numbered_case("JCXB-2026-0001")
    db.session.commit()
    unit = case.project.unit
    plain = _form_fields(client.get("/commissionview/list/").get_data(as_text=True))
    chosen = _form_fields(client.get(f"/commissionview/list/?_flt_0_unit={unit.id}")
                          .get_data(as_text=True))
    assert unit.name not in plain["unit"] and unit.name in chosen["unit"]
    assert "状态" in client.get("/commissionview/list/").get_data(as_text=True)
    client.get("/lang/en")
    english = _form_fields(client.get("/commissionview/list/").get_data(as_text=True))
    assert "全部委托" in plain["scope"] and "全部委托" not in english["scope"]


def test_filters_of_a_column_are_converted_once_per_screen(app, client, ctx, monkeypatch):
    """Issue 16: FAB converts every column into its filters whenever it makes a Filters
    (three times a list page); KeptFilterConverter (app/views/input_guard.py) does it once
    per screen, and each Filters still gets lists of its own."""
    from flask_appbuilder.models.sqla.filters import SQLAFilterConverter

    calls = []
    original = SQLAFilterConverter.convert
    monkeypatch.setattr(SQLAFilterConverter, "convert",
                        lambda self, col: calls.append(col) or original(self, col))
    client.get("/commissionview/list/")  # the screen's first page may convert
    calls.clear()
    assert client.get("/commissionview/list/?_flt_0_state=in_progress").status_code == 200
    assert calls == []
    from app.views.commission import CommissionView

    view = next(v for v in app.appbuilder.baseviews if isinstance(v, CommissionView))
    first = view.datamodel.filter_converter_class(view.datamodel).convert("state")
    second = view.datamodel.filter_converter_class(view.datamodel).convert("state")
    assert first == second and first is not second
