"""Row-level access and masking by HTTP, as real logged-in users of each role (R-14.2, R-14.5).

Two coordinators (A and B) each have a commission; specialist X works in the department of
A's item, specialist Y in that of B's. Every refusal checks the status and that the database
did not change. FAB's users persist across tests: the accounts are made once per module
with unique names; the staff rows linking them are rebuilt for every test.
"""
from __future__ import annotations

import datetime as dt
import inspect
import uuid
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import g
from flask_appbuilder.actions import action
from flask_login import login_user
from werkzeug.exceptions import NotFound

from app import access
from app.choices import StaffRole, WorkLogType
from app.extensions import db
from app.models import Commission, CommissionItem, Consultation, PreReview, WorkLogEntry
from app.roles import AUDITOR, COORDINATOR, INSPECTOR, SPECIALIST, SUPERVISOR
from app.states import ItemState, PreReviewOutcome
from app.views.base import AppInterface, AppModelView
from tests.accounts import ADMIN_PASSWORD, ADMIN_USER
from tests import factories as f
from tests.conftest import login

PASSWORD = "Row#Scope2026"
DENIED = (302, 403)  # FAB's answer to a missing permission (redirect, or 403 where configured)
LATE = dt.date(2020, 3, 2)


def _add_account(app, username: str, role_name: str) -> int:
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.find_user(username=username)
        if user is None:
            # The account rules (if present) would force a change at the first login.
            chosen = ({"password_chosen": True}
                      if "password_chosen" in inspect.signature(sm.add_user).parameters else {})
            user = sm.add_user(username, "测试", role_name, f"{username}@example.invalid",
                               sm.find_role(role_name), password=PASSWORD, **chosen)
        user_id = user.id
        db.session.remove()
    return user_id


@pytest.fixture(scope="module")
def accounts(app):
    """One login per role (plus a second coordinator and specialist), unique names."""
    tag = uuid.uuid4().hex[:6]
    wanted = {"coord_a": COORDINATOR, "coord_b": COORDINATOR, "spec_x": SPECIALIST,
              "spec_y": SPECIALIST, "inspector": INSPECTOR, "auditor": AUDITOR,
              "supervisor": SUPERVISOR}
    return {key: SimpleNamespace(username=f"t{tag}_{key}", role=role,
                                 id=_add_account(app, f"t{tag}_{key}", role))
            for key, role in wanted.items()}


@pytest.fixture
def world(app, accounts):
    """Two coordinators' commissions, items in two departments, linked staff; committed."""
    with app.app_context():
        dept_x, dept_y = f.department(), f.department()
        staff_a = f.staff(StaffRole.coordinator)
        staff_b = f.staff(StaffRole.coordinator)
        spec_x = f.staff(StaffRole.specialist, dept_x)
        spec_y = f.staff(StaffRole.specialist, dept_y)
        for staff, key in ((staff_a, "coord_a"), (staff_b, "coord_b"), (spec_x, "spec_x"),
                           (spec_y, "spec_y")):
            staff.user_id = accounts[key].id
        ca = f.case(coordinator=staff_a, on=LATE, items=[
            f.approval_item(dept=dept_x, name=f"甲事项{uuid.uuid4().hex[:4]}")])
        cb = f.case(coordinator=staff_b, on=LATE, items=[
            f.approval_item(dept=dept_y, name=f"乙事项{uuid.uuid4().hex[:4]}")])
        # accepted by the departments long ago: overdue
        item_ax = f.advance_item(ca.items[0], ItemState.accepted, on=LATE)
        item_by = f.advance_item(cb.items[0], ItemState.accepted, on=LATE)
        consult_b = Consultation(commission=cb, commission_item=item_by, coordinator=staff_b,
                                 specialist=spec_y, asked_on=LATE, question="乙的问题")
        review_b = f.pre_review(cb.project, receiver=staff_b, on=LATE,
                                outcome=PreReviewOutcome.eligible, enquirer_name="乙经办",
                                enquirer_phone="13612345678", enquiry="咨询")
        db.session.add(consult_b)
        db.session.commit()
        ns = SimpleNamespace(
            ca=ca.id, cb=cb.id, ca_no=ca.application_no, cb_no=cb.application_no,
            item_ax=item_ax.id, item_by=item_by.id, item_ax_name=item_ax.approval_item.name,
            item_by_name=item_by.approval_item.name, consult_b=consult_b.id,
            unit_a=ca.project.unit_id, unit_b=cb.project.unit_id, project_b=cb.project_id,
            review_b=review_b.id, staff_a=staff_a.id, staff_b=staff_b.id, due_ax=item_ax.due_on,
        )
        db.session.remove()
    return ns


def as_user(app, accounts, key: str):
    client = app.test_client()
    login(client, accounts[key].username, PASSWORD)
    return client


def _row(app, model, pk):
    """A fresh copy of one row's columns (None when gone)."""
    with app.app_context():
        row = db.session.get(model, pk)
        values = None if row is None else {c.key: getattr(row, c.key)
                                           for c in sa.inspect(model).mapper.column_attrs}
        db.session.remove()
    return values


def _count(app, model) -> int:
    with app.app_context():
        n = db.session.scalar(sa.select(sa.func.count()).select_from(model))
        db.session.remove()
    return n


# ---- coordinators ------------------------------------------------------------------------
def test_coordinator_lists_only_own_commissions(app, accounts, world):
    """R-14.2: a coordinator's commission list holds their commissions, not another's."""
    html = as_user(app, accounts, "coord_a").get("/commissionview/list/").get_data(as_text=True)
    assert world.ca_no in html and world.cb_no not in html


@pytest.mark.parametrize("url", [
    "/commissionview/show/{cb}", "/commissionview/edit/{cb}",
    "/unitview/show/{unit_b}", "/projectview/show/{project_b}",
    "/prereviewview/show/{review_b}", "/commissionitemview/show/{item_by}",
    "/consultationview/show/{consult_b}", "/consultationview/edit/{consult_b}",
])
def test_another_coordinators_records_answer_404(app, accounts, world, url):
    """R-14.2: another coordinator's commission and everything under it answers 404."""
    client = as_user(app, accounts, "coord_a")
    assert client.get(url.format(**vars(world))).status_code == 404


def test_editing_another_coordinators_commission_is_404_and_changes_nothing(app, accounts,
                                                                             world):
    """R-14.2: a POST to edit B's commission as A answers 404; the row is unchanged."""
    before = _row(app, Commission, world.cb)
    response = as_user(app, accounts, "coord_a").post(
        f"/commissionview/edit/{world.cb}", data={"remarks": "A 改了 B 的委托"})
    assert response.status_code == 404
    assert _row(app, Commission, world.cb) == before


def test_deleting_another_coordinators_record_is_404_and_keeps_it(app, accounts, world):
    """R-14.2: A may delete consultations of A's cases, not B's: 404, the row stays; B's
    commission cannot be deleted by a coordinator at all."""
    client = as_user(app, accounts, "coord_a")
    before = _row(app, Consultation, world.consult_b)
    assert client.post(f"/consultationview/delete/{world.consult_b}").status_code == 404
    assert _row(app, Consultation, world.consult_b) == before
    assert client.post(f"/commissionview/delete/{world.cb}").status_code in DENIED + (404,)
    assert _row(app, Commission, world.cb) is not None


def test_workflow_step_on_another_coordinators_commission_is_404(app, accounts, world):
    """R-14.2: lifecycle steps load the record through the row filter: 404, state kept."""
    client = as_user(app, accounts, "coord_a")
    before_c, before_i = _row(app, Commission, world.cb), _row(app, CommissionItem, world.item_by)
    for url in (f"/workflow/commission/{world.cb}/start_delivery",
                f"/workflow/item/{world.item_by}/approve"):
        assert client.get(url).status_code == 404
        assert client.post(url, data={"on": "2026-03-10"}).status_code == 404
    assert _row(app, Commission, world.cb) == before_c
    assert _row(app, CommissionItem, world.item_by) == before_i


def test_supervisor_only_step_is_refused_to_the_coordinator(app, accounts, world):
    """R-14.1: assignment is the window's: a coordinator gets 403 on their own commission."""
    before = _row(app, Commission, world.ca)
    client = as_user(app, accounts, "coord_a")
    response = client.post(f"/workflow/commission/{world.ca}/reassign",
                           data={"coordinator": str(world.staff_b), "on": "2026-03-10",
                                 "reason": "想换人"})
    assert response.status_code == 403
    assert _row(app, Commission, world.ca) == before


def test_lookup_offers_only_own_records(app, accounts, world):
    """R-14.2: the search-as-you-type endpoint returns only the user's rows."""
    client = as_user(app, accounts, "coord_a")
    ids = {r["id"] for r in client.get("/lookup/commission?q=").get_json()["results"]}
    assert world.ca in ids and world.cb not in ids
    items = {r["id"] for r in client.get("/lookup/commission_item?q=").get_json()["results"]}
    assert items == {world.item_ax}


def test_a_form_naming_another_coordinators_commission_saves_nothing(app, accounts, world):
    """R-14.2: B's commission id in A's work-log form is "does not exist"; nothing saved."""
    before = _count(app, WorkLogEntry)
    response = as_user(app, accounts, "coord_a").post("/worklogentryview/add", data={
        "commission": str(world.cb), "logged_on": "2026-03-10", "author": str(world.staff_a),
        "entry_type": WorkLogType.contact.value, "content": "写到别人的委托里"})
    assert response.status_code == 200
    assert "不存在" in response.get_data(as_text=True)
    assert _count(app, WorkLogEntry) == before


def test_a_related_view_filter_naming_another_commission_saves_nothing(app, accounts, world):
    """R-14.2: the parent taken from a related view's URL filter must be the user's own."""
    before = _count(app, Consultation)
    response = as_user(app, accounts, "coord_a").post(
        f"/consultationview/add?_flt_0_commission={world.cb}",
        data={"coordinator": str(world.staff_a), "specialist": str(world.staff_b),
              "asked_on": "2026-03-10", "question": "借别人的委托提问"})
    assert response.status_code in (200, 302)
    assert _count(app, Consultation) == before


def test_overdue_screen_shows_only_own_items(app, accounts, world):
    """R-14.2: the 督办 screen of a coordinator lists the late items of their cases only."""
    html = as_user(app, accounts, "coord_a").get("/overdue/").get_data(as_text=True)
    assert world.item_ax_name in html and world.item_by_name not in html
    html = as_user(app, accounts, "supervisor").get("/overdue/").get_data(as_text=True)
    assert world.item_ax_name in html and world.item_by_name in html


# ---- specialists -------------------------------------------------------------------------
def test_specialist_sees_only_items_of_own_department(app, accounts, world):
    """R-14.2: a specialist lists the items of their department and the commissions that
    contain them; other items and commissions answer 404."""
    client = as_user(app, accounts, "spec_x")
    html = client.get("/commissionitemview/list/").get_data(as_text=True)
    assert world.item_ax_name in html and world.item_by_name not in html
    html = client.get("/commissionview/list/").get_data(as_text=True)
    assert world.ca_no in html and world.cb_no not in html
    assert client.get(f"/commissionview/show/{world.ca}").status_code == 200
    for url in (f"/commissionitemview/show/{world.item_by}",
                f"/commissionitemview/edit/{world.item_by}", f"/commissionview/show/{world.cb}",
                f"/consultationview/show/{world.consult_b}"):
        assert client.get(url).status_code == 404, url


def test_specialist_is_read_only_on_the_commission(app, accounts, world):
    """R-14.1: a specialist may not edit the commission holding their item."""
    before = _row(app, Commission, world.ca)
    response = as_user(app, accounts, "spec_x").post(f"/commissionview/edit/{world.ca}",
                                                     data={"remarks": "专办员改委托"})
    assert response.status_code in DENIED
    assert _row(app, Commission, world.ca) == before


def test_specialist_decides_own_item_but_not_another_departments(app, accounts, world):
    """R-14.1, R-14.2: item steps for the specialist's department; 404 for another's."""
    client = as_user(app, accounts, "spec_x")
    before = _row(app, CommissionItem, world.item_by)
    assert client.post(f"/workflow/item/{world.item_by}/approve",
                       data={"on": "2026-03-10"}).status_code == 404
    assert _row(app, CommissionItem, world.item_by) == before
    response = client.post(f"/workflow/item/{world.item_ax}/approve", data={"on": "2026-03-10"})
    assert response.status_code == 302
    assert _row(app, CommissionItem, world.item_ax)["state"] == ItemState.approved


# ---- inspectors, auditors, supervisors ---------------------------------------------------
def test_inspector_reads_everything_and_changes_nothing(app, accounts, world):
    """R-14.1: the inspector sees both commissions; edits, adds and steps are refused."""
    client = as_user(app, accounts, "inspector")
    html = client.get("/commissionview/list/").get_data(as_text=True)
    assert world.ca_no in html and world.cb_no in html
    assert client.get(f"/commissionview/show/{world.cb}").status_code == 200
    before = _row(app, Commission, world.cb)
    counts = _count(app, PreReview), _count(app, Consultation)
    assert client.post(f"/commissionview/edit/{world.cb}",
                       data={"remarks": "督查改"}).status_code in DENIED
    assert client.post("/consultationview/add", data={
        "commission": str(world.cb), "coordinator": str(world.staff_b),
        "specialist": str(world.staff_b), "asked_on": "2026-03-10",
        "question": "督查提问"}).status_code in DENIED
    assert client.post(f"/workflow/commission/{world.cb}/start_delivery",
                       data={}).status_code in DENIED
    assert _row(app, Commission, world.cb) == before
    assert (_count(app, PreReview), _count(app, Consultation)) == counts


def test_auditor_sees_no_casework(app, accounts, world):
    """R-14.1: the auditor reads the audit trail only."""
    client = as_user(app, accounts, "auditor")
    for url in ("/commissionview/list/", f"/commissionview/show/{world.ca}", "/overdue/",
                "/lookup/commission?q="):
        assert client.get(url).status_code in DENIED, url


@pytest.mark.parametrize("key", ["supervisor", "admin"])
def test_supervisor_and_admin_see_everything(app, accounts, world, key):
    """R-14.2: supervisors (and the administrator) see all commissions."""
    if key == "admin":
        client = app.test_client()
        login(client, ADMIN_USER, ADMIN_PASSWORD)
    else:
        client = as_user(app, accounts, key)
    html = client.get("/commissionview/list/").get_data(as_text=True)
    assert world.ca_no in html and world.cb_no in html
    assert client.get(f"/commissionitemview/show/{world.item_by}").status_code == 200


# ---- masking -----------------------------------------------------------------------------
def test_phones_are_masked_for_the_inspector(app, accounts, world):
    """R-14.5: unit, enquiry and staff mobiles show as 137****7000 to a role not handling
    the case, in lists and on show pages."""
    client = as_user(app, accounts, "inspector")
    for url, full, masked in (
            ("/unitview/list/", "13700137000", "137****7000"),
            (f"/unitview/show/{world.unit_b}", "13900139000", "139****9000"),
            (f"/prereviewview/show/{world.review_b}", "13612345678", "136****5678"),
            ("/staffmemberview/list/", "13800138000", "138****8000")):
        html = client.get(url).get_data(as_text=True)
        assert masked in html and full not in html, url


def test_phones_are_shown_to_the_coordinator_handling_the_case(app, accounts, world):
    """R-14.5: the coordinator of the case sees the unit's mobile in full."""
    client = as_user(app, accounts, "coord_a")
    for url in ("/unitview/list/", f"/unitview/show/{world.unit_a}"):
        html = client.get(url).get_data(as_text=True)
        assert "13700137000" in html and "137****7000" not in html, url


def test_display_phone_follows_the_case(app, accounts, world):
    """R-14.5: display_phone masks for a coordinator of another case and for inspectors,
    and shows the number to the case's coordinator, its specialists and supervisors."""
    with app.app_context():
        sm = app.appbuilder.sm
        ca = db.session.get(Commission, world.ca)
        users = {key: sm.get_user_by_id(accounts[key].id) for key in accounts}
        shown = {key for key, user in users.items()
                 if access.display_phone(user, "13712345678", ca) == "13712345678"}
        assert shown == {"coord_a", "spec_x", "supervisor"}
        assert access.display_phone(users["coord_b"], "13712345678", ca) == "137****5678"
        assert access.can_open_confidential(users["spec_x"], ca)
        assert not access.can_open_confidential(users["inspector"], ca)
        db.session.remove()


# ---- actions ---------------------------------------------------------------------------
class TouchView(AppModelView):
    """A list with a bulk action, to prove actions re-load rows through the row filter."""

    datamodel = AppInterface(Commission)
    route_base = "/test-touch"
    class_permission_name = "CommissionView"
    method_permission_name = {"touch": "list"}
    list_columns = ["application_no"]

    @action("touch", "Touch", single=False)
    def touch(self, items):
        for commission in items if isinstance(items, list) else [items]:
            commission.remarks = "touched"
        db.session.commit()
        return "done"


@pytest.mark.parametrize("rows", [["cb"], ["ca", "cb"]])
def test_actions_reload_rows_through_the_row_filter(app, accounts, world, rows):
    """R-14.2: FAB's action routes skip base_filters; AppModelView's answer 404 when any
    chosen row is someone else's, and change nothing."""
    view = TouchView()
    view.appbuilder = app.appbuilder
    pks = [str(getattr(world, name)) for name in rows]
    before = _row(app, Commission, world.ca), _row(app, Commission, world.cb)
    with app.test_request_context("/test-touch/action_post", method="POST",
                                  data={"action": "touch", "rowid": pks}):
        user = app.appbuilder.sm.get_user_by_id(accounts["coord_a"].id)
        login_user(user)
        g.user = user
        with pytest.raises(NotFound):
            view.action_post()
        with pytest.raises(NotFound):
            view.action("touch", str(world.cb))
        db.session.rollback()
    assert (_row(app, Commission, world.ca), _row(app, Commission, world.cb)) == before
    with app.test_request_context("/test-touch/action_post", method="POST",
                                  data={"action": "touch", "rowid": [str(world.ca)]}):
        user = app.appbuilder.sm.get_user_by_id(accounts["coord_a"].id)
        login_user(user)
        g.user = user
        assert view.action_post() == "done"
    assert _row(app, Commission, world.ca)["remarks"] == "touched"


def test_commission_actions_by_http_refuse_another_coordinators_rows(app, accounts, world):
    """R-14.2: the commission screen's own actions (when it has any), through action_post
    and the direct action URL, answer 404 for B's commission as A."""
    with app.app_context():
        view = next(v for v in app.appbuilder.baseviews if type(v).__name__ == "CommissionView")
        names = sorted(view.actions)
    if not names:
        pytest.skip("the commission screen has no actions")
    client = as_user(app, accounts, "coord_a")
    before = _row(app, Commission, world.cb)
    for name in names:
        assert client.post("/commissionview/action_post",
                           data={"action": name, "rowid": [str(world.cb)]}).status_code == 404
        assert client.post(f"/commissionview/action/{name}/{world.cb}").status_code == 404
    assert _row(app, Commission, world.cb) == before
