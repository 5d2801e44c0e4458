"""Filters by coordinator, unit and project on the commission and item lists, in one or two
clicks (issue 14, item 4): FAB filters in the URL, a bar above the rows, kept by the export;
R-14.8 (no name outside the reader's scope) and R-14.9 (a bad value is a Chinese 400)."""
from __future__ import annotations

import io

import openpyxl
from conftest import TESTS_DIR  # noqa: F401  (the tests' conftest is on the path)

from app import roles
from app.choices import StaffRole
from app.extensions import db
from app.states import CommissionState
from tests.role_clients import role_client
from tests.helpers import numbered_case as make_commission
from tests import factories as _f


def _world(ctx_app):
    """Two coordinators; three commissions (two of 王, one of 李); an item each."""
    wang = make_staff(name="王晓明")
    li = make_staff(name="李建国")
    first = make_commission("JCXB-2026-0001", coordinator=wang)
    second = make_commission("JCXB-2026-0002", coordinator=wang)
    third = make_commission("JCXB-2026-0003", coordinator=li,
                            state=CommissionState.completed)
    db.session.commit()  # (each opened with one item)
    return {"wang": wang.id, "li": li.id, "first": first.id, "second": second.id,
            "third": third.id, "unit": first.project.unit_id, "project": first.project_id,
            "unit_name": first.project.unit.name, "project_name": first.project.name}


def _numbers(html: str) -> set[str]:
    return {no for no in ("JCXB-2026-0001", "JCXB-2026-0002", "JCXB-2026-0003") if no in html}


def test_commission_list_filters_by_coordinator_unit_and_project(app, client, ctx):
    """Issue 14: ?_flt_0_coordinator= / unit / project select the rows; the bar shows the
    chosen value by name."""
    w = _world(app)
    page = client.get(f"/commissionview/list/?_flt_0_coordinator={w['wang']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert _numbers(html.split('xb-quick-filters', 1)[1]) == {
        "JCXB-2026-0001", "JCXB-2026-0002"}
    assert 'id="xb-quick-coordinator"' in html and ">王晓明</option>" in html
    html = client.get(f"/commissionview/list/?_flt_0_unit={w['unit']}").get_data(as_text=True)
    assert _numbers(html) == {"JCXB-2026-0001"}
    assert w["unit_name"] in html
    html = client.get(f"/commissionview/list/?_flt_0_project={w['project']}").get_data(
        as_text=True)
    assert _numbers(html) == {"JCXB-2026-0001"}
    html = client.get("/commissionview/list/?_flt_0_open=closed").get_data(as_text=True)
    assert _numbers(html) == {"JCXB-2026-0003"}
    # FAB's filter menu offers them too
    assert 'name="coordinator" class="filter"' in html


def test_item_list_filters_by_coordinator_unit_and_project(app, client, ctx):
    w = _world(app)
    for arg, expected in ((f"coordinator={w['li']}", {"JCXB-2026-0003"}),
                          (f"unit={w['unit']}", {"JCXB-2026-0001"}),
                          (f"project={w['project']}", {"JCXB-2026-0001"})):
        response = client.get(f"/commissionitemview/list/?_flt_0_{arg}")
        assert response.status_code == 200, arg
        body = response.get_data(as_text=True).split('xb-quick-filters', 1)[1]
        assert _numbers(body) == expected, arg


def test_a_bad_filter_value_is_refused_in_chinese(app, client, ctx):
    """R-14.9: not an id, not a choice: 400 with a Chinese reason, no SQL error."""
    _world(app)
    for arg in ("_flt_0_unit=abc", "_flt_0_coordinator=99999999999999999999",
                "_flt_0_open=maybe", "_flt_0_stage=x"):
        response = client.get(f"/commissionview/list/?{arg}")
        assert response.status_code == 400, arg
    # an emptied value is "all"
    assert client.get("/commissionview/list/?_flt_0_unit=").status_code == 200


def test_quick_filter_names_nothing_outside_the_readers_scope(app):
    """R-14.8: a coordinator filtering by someone else's unit sees neither its rows nor its
    name in the bar."""
    with app.app_context():
        w = _world(app)
    other = role_client(app, [roles.COORDINATOR], staff_id=w["li"])
    html = other.get(f"/commissionview/list/?_flt_0_unit={w['unit']}").get_data(as_text=True)
    assert w["unit_name"] not in html
    assert _numbers(html) == set()


def test_the_export_keeps_the_quick_filters(app, client, ctx):
    """R-13.6: the Excel file holds the rows the filtered list shows."""
    w = _world(app)
    response = client.get(f"/ledger/commissions.xlsx?_flt_0_coordinator={w['wang']}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    values = {str(cell.value) for row in sheet.iter_rows() for cell in row}
    assert {"JCXB-2026-0001", "JCXB-2026-0002"} <= values
    assert "JCXB-2026-0003" not in values


def test_filtered_list_costs_the_same_statements_for_more_rows(app, client, ctx, count_queries):
    """The filter is one IN (subquery) clause: the statement count does not grow with rows."""
    w = _world(app)

    def statements() -> int:
        with count_queries() as seen:
            response = client.get(f"/commissionview/list/?_flt_0_coordinator={w['wang']}")
        assert response.status_code == 200
        return len(seen)

    statements()  # the session's first page loads its roles and permissions, once
    before = statements()
    from app.models import StaffMember
    wang = db.session.get(StaffMember, w["wang"])
    for n in range(6):
        make_commission(f"JCXB-2026-01{n:02d}", coordinator=wang)
    db.session.commit()
    assert statements() == before


def test_lookup_filter_value_stays_chosen_in_fabs_filter_row(app, client, ctx):
    """FAB's filter row is filled from the URL: the unit named there is an option of it."""
    w = _world(app)
    html = client.get(f"/commissionitemview/list/?_flt_0_unit={w['unit']}").get_data(
        as_text=True)
    assert f'<option value=\\"{w["unit"]}\\" selected>' in html or \
        f'<option value="{w["unit"]}" selected>' in html
    assert StaffRole.coordinator  # the coordinator lookup offers coordinators only (test_pinyin)


def make_staff(name=None, **kw):
    return _f.staff(name=name, **kw)

