"""Malformed input answers a clear message and changes nothing, never a 500 (R-14.9).

Each test is one finding of the hardening review (issue 13, points 5–7): ids too large for
any table, NaN numbers, dates past the calendar, unknown filter codes and indexes, bad
page arguments, FAB's file-download route, NUL and other characters XML cannot hold.
"""
from __future__ import annotations

import io

import openpyxl
import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from app.choices import StaffRole
from app.extensions import db
from app.models import (
    Commission,
    FeeNotice,
    Material,
    PlanVersion,
    Project,
    StaffMember,
)
from app.states import CommissionState, PreReviewOutcome
from tests import factories as f
from tests.accounts import ADMIN_PASSWORD, ADMIN_USER
from tests.helpers import count

CHINESE_BAD_TEXT = "无法保存的字符"
CHINESE_BAD_FILTER = "搜索条件"


def _ids(app) -> dict[str, int]:
    with app.app_context():
        commission = f.case()
        db.session.commit()
        return {"commission": commission.id, "project": commission.project_id}


def test_editing_a_material_saves(app, client, tmp_path, monkeypatch):
    """R-14.9: POST /materialview/edit/<id> saved nothing and answered 500 (the edit form
    has no commission field for the same-commission rule); now it saves the new title."""
    monkeypatch.setitem(app.config, "MATERIALS_DIR", str(tmp_path))
    ids = _ids(app)
    pdf = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
    response = client.post("/materialview/add", data={
        "commission": str(ids["commission"]), "title": "申请表", "confidentiality": "none",
        "file": (io.BytesIO(pdf), "a.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        pk = db.session.scalar(sa.select(Material.id))
    response = client.post(f"/materialview/edit/{pk}",
                           data={"title": "申请表（盖章）", "confidentiality": "none"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Material, pk).title == "申请表（盖章）"


def test_a_relation_id_beyond_64_bits_is_no_record(app, client):
    """R-14.9: a relation id of 99999999999999999999 on an add form (the issue's
    project=… on the commission form, here the unit of a project) is "does not exist" on
    the form, not an overflow in the database; nothing is saved."""
    response = client.post("/projectview/add",
                           data={"unit": "99999999999999999999", "name": "江城新项目"})
    assert response.status_code == 200
    assert "所选记录不存在" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Project) == 0


@pytest.mark.parametrize("url", [
    "/commissionview/show/99999999999999999999",
    "/commissionview/edit/99999999999999999999",
    "/workflow/commission/99999999999999999999/accept",
    "/commissionview/show/abc",
])
def test_a_record_id_no_table_can_hold_is_404(client, url):
    """R-14.9: ids in the URL beyond 64 bits (or not numbers) name no record: 404."""
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("query", [
    "_flt_0_state=bogus", "_flt_1_state=bogus", "_flt_9_state=accepted",
    "page_CommissionView=x", "psize_CommissionView=x", "psize_CommissionView=100000",
    "page_CommissionView=-1", "page_CommissionView=99999999999999999999",
])
def test_malformed_list_arguments_get_a_message(app, client, query):
    """R-14.9: an unknown state code, a filter index FAB does not have, a relation id
    beyond 64 bits, a page that is not a small number: 400 with a Chinese message."""
    _ids(app)
    response = client.get(f"/commissionview/list/?{query}")
    assert response.status_code == 400, query
    text = response.get_data(as_text=True)
    assert "未改动任何数据" in text


@pytest.mark.parametrize("value", ["99999999999999999999", "x", "-1"])
def test_a_relation_filter_on_no_record_gets_a_message(app, client, value):
    """R-14.9: a relation filter (here the coordinator of 沟通记录) naming an id no table
    can hold is refused with a message, not sent to the database."""
    response = client.get(f"/consultationview/list/?_flt_0_coordinator={value}")
    assert response.status_code == 400
    assert CHINESE_BAD_FILTER in response.get_data(as_text=True)


def test_valid_list_arguments_still_work(app, client):
    """R-14.9: the guard leaves good filters and pages alone."""
    _ids(app)
    response = client.get("/commissionview/list/?_flt_0_state=in_progress&page_CommissionView=0"
                          "&psize_CommissionView=20")
    assert response.status_code == 200


def test_fab_file_download_route_is_404(client):
    """R-14.9: an admin's GET /users/download/x.txt (FAB's route, no UPLOAD_FOLDER) was a
    500; no screen has file columns, so it answers 404."""
    assert client.get("/users/download/x.txt").status_code == 404
    assert client.get("/roles/download/x.txt").status_code == 404


def test_nan_amount_and_score_are_refused_on_the_form(app, client):
    """R-14.9: "NaN" as a fee amount or an assessment score is an error on the field."""
    ids = _ids(app)
    with app.app_context():
        department = f.department()
        db.session.commit()
        department_id = department.id
    for amount in ("NaN", "Infinity", "-inf"):
        response = client.post("/feenoticeview/add", data={
            "commission": ids["commission"], "department": department_id,
            "fee_name": "城市基础设施配套费", "amount": amount, "issued_on": "2026-03-02"})
        assert response.status_code == 200, amount
        with app.app_context():
            assert count(FeeNotice) == 0


def test_a_plan_started_in_year_9999_is_refused(app, client):
    """R-14.9: a plan started on 9999-12-20 ran the working-day arithmetic past the
    calendar's end (500); the date is now an error on the form and nothing is drafted."""
    with app.app_context():
        commission = f.case(CommissionState.planning)
        db.session.commit()
        pk = commission.id
    response = client.post(f"/workflow/commission/{pk}/draft_plan", data={"start": "9999-12-20"})
    assert response.status_code == 200
    assert "2100-12-31" in response.get_data(as_text=True)
    with app.app_context():
        assert count(PlanVersion) == 0


def test_nul_in_a_login_name_is_refused(app):
    """R-14.9: on PostgreSQL a NUL byte in the user name of the login form or the API
    login reached the database (500); both answer 400, unauthenticated."""
    client = app.test_client()
    response = client.post("/login/", data={"username": "adm\x00in", "password": "x"})
    assert response.status_code == 400
    assert CHINESE_BAD_TEXT in response.get_data(as_text=True)
    response = client.post("/api/v1/security/login", json={
        "username": "adm\x00in", "password": "x", "provider": "db"})
    assert response.status_code == 401  # the API login's documented refusal
    assert CHINESE_BAD_TEXT in response.get_json()["message"]


def test_nul_in_filters_lookups_and_step_notes_is_refused(app, client):
    """R-14.9: NUL in a list filter, a lookup's q=, the API's q= or a step's note: 400,
    nothing recorded."""
    with app.app_context():
        coordinator = f.staff()
        commission = f.case(CommissionState.assigned, coordinator=coordinator)
        db.session.commit()
        pk = commission.id
    for url in ("/commissionview/list/?_flt_0_remarks=a%00b", "/lookup/project?q=a%00b"):
        assert client.get(url).status_code == 400, url
    # The API checks its token first (401 without one), then its own q= schema.
    token = app.test_client().post("/api/v1/security/login", json={
        "username": ADMIN_USER, "password": ADMIN_PASSWORD, "provider": "db"}
    ).get_json()["access_token"]
    api = client.get("/api/v1/commission/?q=(filters:!((col:application_no,opr:ct,value:'a%00b')))",
                     headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 400 and "message" in api.get_json()
    assert client.get("/lookup/project?q=x&page=99999999999999999999").status_code == 400
    response = client.post(f"/workflow/commission/{pk}/contact", data={
        "method": "phone", "contacted_on": "2026-03-02", "note": "已电话\x00联系"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Commission, pk).state == CommissionState.assigned


def test_a_posted_character_xml_cannot_hold_is_refused(app, client):
    """R-14.9: U+FFFF typed into a form (a unit's name) is refused with a message; nothing
    is saved."""
    with app.app_context():
        unit = f.unit()
        db.session.commit()
        unit_id = unit.id
    response = client.post("/projectview/add", data={"unit": unit_id, "name": "项目\uffff"})
    assert response.status_code == 400
    assert CHINESE_BAD_TEXT in response.get_data(as_text=True)
    with app.app_context():
        assert count(Project) == 0


def _sheet_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return " ".join(str(value) for sheet in book for row in sheet.iter_rows(values_only=True)
                    for value in row if value is not None)


def test_exports_survive_stored_characters_xml_cannot_hold(app, client):
    """R-14.9: U+FFFF (and other XML-illegal characters) in a stored remark made
    /ledger/commissions.xlsx fail, in a staff name /assessment/export answered 500; the
    writers drop the characters and keep the rest."""
    with app.app_context():
        coordinator = f.staff(StaffRole.coordinator)
        commission = f.case(coordinator=coordinator)
        commission.remarks = "加急\uffff办理\x01"
        coordinator.name = "张\ufffe三"
        db.session.commit()
    response = client.get("/ledger/commissions.xlsx")
    assert response.status_code == 200
    assert "加急办理" in _sheet_text(response.data)
    response = client.get("/assessment/export?start=2026-01-01&end=2026-03-31")
    assert response.status_code == 200
    assert "张三" in _sheet_text(response.data)


def test_guard_leaves_the_admin_login_alone(app):
    """R-14.9: an ordinary login still works through the guard."""
    client = app.test_client()
    response = client.post("/login/", data={"username": ADMIN_USER, "password": ADMIN_PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffMember)) == 0


def test_api_query_with_an_unknown_state_code_is_400(app, client):
    """R-14.9 (found by tests/test_fuzz.py): the API's q= filter on state with a code that
    is no state ('' or '[]') reached the database and answered 500; now 400."""
    token = client.post("/api/v1/security/login", json={
        "username": ADMIN_USER, "password": ADMIN_PASSWORD, "provider": "db"}).get_json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    for value in ("", "[]", "bogus"):
        answer = client.get("/api/v1/commission/?q=(filters:!((col:state,opr:eq,value:'"
                            f"{value}')))", headers=headers)
        assert answer.status_code == 400, value
    answer = client.get("/api/v1/commission/?q=(filters:!((col:state,opr:eq,value:accepted)))",
                        headers=headers)
    assert answer.status_code == 200


def test_nul_in_a_repeated_argument_is_refused(app, client):
    """R-14.9: the guard reads every value of a repeated argument or field, not the first."""
    assert client.get("/lookup/project?q=a&q=b%00").status_code == 400
    response = client.post("/projectview/add",
                           data=MultiDict([("name", "项目"), ("name", "a\x00")]))
    assert response.status_code == 400


def test_api_query_that_is_not_rison_is_400(client):
    """R-14.9 (found by scripts/fuzz.py): q= values the Rison parser chokes on with a
    ValueError ("9999-12-20", "(page:1e)") and, on PostgreSQL, a negative page answered
    500; now 400 with a message."""
    token = client.post("/api/v1/security/login", json={
        "username": ADMIN_USER, "password": ADMIN_PASSWORD, "provider": "db"}).get_json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    for q in ("9999-12-20", "(page:1e,page_size:1e)", "(order_column:2026-13-01)",
              "(page:-1,page_size:-1)", "(page:x)", "(page_size:'a')"):
        answer = client.get(f"/api/v1/commission/?q={q}", headers=headers)
        assert answer.status_code == 400, q
        assert "未改动任何数据" in answer.get_json()["message"]
    answer = client.get("/api/v1/commission/?q=(page:0,page_size:5)", headers=headers)
    assert answer.status_code == 200


def test_a_percent_sign_echoed_in_a_form_error_is_printed(app, client):
    """R-14.9 (found by scripts/fuzz.py): an invalid choice echoed in the error message
    ("'%s%n' is not a valid choice") broke FAB's form template (500); it is shown."""
    with app.app_context():
        review = f.pre_review(outcome=PreReviewOutcome.eligible)
        db.session.commit()
        pk = review.id
    response = client.post(f"/workflow/pre_review/{pk}/open_commission",
                           data={"scope": "full", "items": "%s%n"})
    assert response.status_code == 200
    assert "%s%n" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Commission) == 0


@pytest.mark.parametrize("value", ["abc", "NaN", "1e999"])
def test_a_number_filter_with_no_number_is_400(app, client, value):
    """R-14.9 (found by scripts/fuzz.py on PostgreSQL): a fee amount filter with text that is
    no number reached the numeric column (500 on PostgreSQL); now 400 with a message."""
    response = client.get(f"/feenoticeview/list/?_flt_1_amount={value}")
    assert response.status_code == 400
    assert CHINESE_BAD_FILTER in response.get_data(as_text=True)
