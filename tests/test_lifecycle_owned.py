"""One writer per fact (R-16.1) and no hard delete of what history points to (R-16.3).

The lifecycle (app/lifecycle) is the only writer of its records: their screens list and
show, the administrator included; the step buttons are the steps the domain would accept;
a mistaken date is corrected by a step, with its reason in the history.
"""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask_appbuilder.security.sqla.models import PermissionView

from app.choices import MaterialProblem, TerminationReason
from app.domain import approvals, closing, corrections, intake
from app.domain.errors import DomainError
from app.domain.workdays import load_calendar
from app.extensions import db
from app.choices import UnitConfirmationKind, UnitContact
from app.clock import utc_now
from app.domain import contacts, planning
from app.lifecycle import LIFECYCLES, Context, online
from app.models import (
    Announcement,
    Commission,
    CommissionItem,
    CommissionStateChange,
    ContactChange,
    CoordinatorAssignment,
    ItemMaterial,
    ItemSupplement,
    MaterialNotice,
    MaterialNoticeLine,
    Notification,
    PlanStep,
    PlanVersion,
    Termination,
    UnitConfirmation,
)
from app.roles import COORDINATOR, LIFECYCLE_VIEWS
from app.states import CommissionState, ItemState, can_transition
from app.views.workflow import FORMS
from tests import factories as f
from tests.unit_online import planning_case

D = f.D

#: every lifecycle-owned screen and the model it shows
OWNED = {
    "TerminationView": Termination, "AnnouncementView": Announcement,
    "PlanVersionView": PlanVersion, "PlanStepView": PlanStep,
    "ItemSupplementView": ItemSupplement, "CoordinatorAssignmentView": CoordinatorAssignment,
    "CommissionStateChangeView": CommissionStateChange,
    "UnitConfirmationView": UnitConfirmation, "ContactChangeView": ContactChange,
}


def _announced_case(app) -> None:
    """A commission with every lifecycle-owned record: plan, supplement, termination,
    announcement, assignments and history, all written by the steps."""
    with app.app_context():
        commission = f.opened()
        cal = load_calendar(db.session)
        item = commission.items[0]
        approvals.submit(db.session, item, on=D("2025-10-13"))
        approvals.accept(db.session, item, on=D("2025-10-14"), cal=cal)
        approvals.request_supplement(db.session, item, on=D("2025-10-15"))
        closing.terminate(db.session, commission, reason=TerminationReason.unit_request,
                          reason_text=None, issued_on=D("2025-10-20"), confirm_days=5, cal=cal)
        closing.announce(db.session, commission, published_on=D("2025-11-03"),
                         url="https://www.jiangcheng.gov.cn/gg/1", cal=cal)
        # the unit's own records: a plan confirmed online, a contact change reported
        online_case = planning_case("江城线上确认项目")
        ctx = Context(actor=None, today=D("2025-10-10"), cal=cal, config=app.config)
        online.confirm(db.session, online_case, UnitConfirmationKind.plan,
                       contact=UnitContact.handler, ctx=ctx, at=utc_now(), ip="127.0.0.1",
                       plan_id=planning.latest_plan(online_case).id)
        contacts.report_change(db.session, online_case, role=UnitContact.leader, name="周总",
                               title=None, phone="13911112222", reported_by="陈经办（项目经办人）",
                               ip="127.0.0.1", at=utc_now())
        db.session.commit()


def _snapshot(model) -> list[tuple]:
    table = model.__table__
    return [tuple(row) for row in db.session.execute(sa.select(table).order_by(table.c.id))]


def test_every_lifecycle_screen_is_declared_read_only():
    """R-16.1: the screens the brief names are the read-only ones app/roles.py declares."""
    assert set(OWNED) == set(LIFECYCLE_VIEWS)


@pytest.mark.parametrize("view", sorted(OWNED))
def test_admin_cannot_write_a_lifecycle_record_on_its_screen(app, client, view):
    """R-16.1: as administrator, the add, edit and delete URLs of every lifecycle-owned
    screen answer 404/405 (the routes do not exist), GET or POST, and nothing changes."""
    _announced_case(app)
    model = OWNED[view]
    with app.app_context():
        before = _snapshot(model)
        pk = before[0][0]
    base = f"/{view.lower()}"
    for url in (f"{base}/add", f"{base}/edit/{pk}", f"{base}/delete/{pk}"):
        for method in (client.get, client.post):
            response = method(url, data={"note": "改写", "reason": "other"})
            assert response.status_code in (403, 404, 405), (url, response.status_code)
    listing = client.get(f"{base}/list/").get_data(as_text=True)
    assert f"{base}/edit/" not in listing and f"{base}/delete/" not in listing
    assert client.get(f"{base}/show/{pk}").status_code == 200
    with app.app_context():
        assert _snapshot(model) == before


def test_sync_perms_drops_the_old_write_permissions(app):
    """R-16.1: an upgraded database whose roles (the administrator's too) still hold can_add /
    can_edit / can_delete on a lifecycle screen loses them at `flask sync-perms`."""
    sm = app.appbuilder.sm
    with app.app_context():
        for permission in ("can_add", "can_edit", "can_delete"):
            pv = sm.add_permission_view_menu(permission, "TerminationView")
            for role in (sm.find_role(sm.auth_role_admin), sm.find_role(COORDINATOR)):
                sm.add_permission_role(role, pv)
        result = app.test_cli_runner().invoke(args=["sync-perms"])
        assert result.exit_code == 0, result.output
        db.session.expire_all()
        stale = [pv for pv in db.session.scalars(sa.select(PermissionView))
                 if pv.view_menu.name == "TerminationView"
                 and pv.permission.name in ("can_add", "can_edit", "can_delete")]
        assert stale == []
        for role in (sm.find_role(sm.auth_role_admin), sm.find_role(COORDINATOR)):
            held = {(pv.permission.name, pv.view_menu.name) for pv in role.permissions}
            assert ("can_list", "TerminationView") in held
            assert not any(view in LIFECYCLE_VIEWS and name in ("can_add", "can_edit",
                                                                "can_delete")
                           for name, view in held)


# ---- the buttons are the steps the domain would accept ---------------------------------

def _buttons(client, target: str, pk: int) -> set[str]:
    page_url = {"commission": "commissionview", "item": "commissionitemview",
                "pre_review": "prereviewview"}[target]
    html = client.get(f"/{page_url}/show/{pk}").get_data(as_text=True)
    return set(re.findall(rf'/workflow/{target}/{pk}/(\w+)"', html))


def _domain_accepts(target: str, record) -> set[str]:
    """The steps whose domain precondition holds, asked step by step."""
    accepted = set()
    for step in LIFECYCLES[target].steps:
        try:
            step.check(db.session, record)
        except DomainError:
            continue
        accepted.add(step.key)
    return accepted


def test_buttons_are_the_steps_whose_precondition_holds(app, client):
    """R-16.1: in several states, the buttons on the page are exactly the steps the domain
    would accept — no button for a refused step, none missing for an accepted one."""
    with app.app_context():
        opened = f.opened()          # in progress, items pending, plan confirmed
        # a full delegation of the catalogue's default items, opened from its enquiry
        fresh = f.case(CommissionState.pre_review, project=f.full_project("江城新区学校"),
                       scope=intake.DelegationScope.full, items=[])
        db.session.commit()
        cases = {"in_progress": opened.id, "pre_review": fresh.id}
        item, review_id = opened.items[0].id, fresh.pre_review_id
    expected = {
        "in_progress": {"reassign", "draft_plan", "terminate", "correct_date"},
        "pre_review": {"accept", "ineligible", "terminate"},
    }
    with app.app_context():
        for name, pk in cases.items():
            commission = db.session.get(Commission, pk)
            accepted = _domain_accepts("commission", commission)
            assert accepted == expected[name], name
            assert _buttons(client, "commission", pk) == accepted, name
        assert _buttons(client, "item", item) == _domain_accepts(
            "item", db.session.get(CommissionItem, item)) == {"submit"}
        assert _buttons(client, "pre_review", review_id) == set()  # its commission is open


def test_a_hidden_step_is_refused_at_its_url_with_the_domains_reason(app, client):
    """R-16.1: a step whose button is hidden is refused at its URL with the domain's own
    reason (items still open: no delivery), nothing changed."""
    with app.app_context():
        pk = f.opened().id
        db.session.commit()
    response = client.post(f"/workflow/commission/{pk}/start_delivery", data={})
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "该记录当前状态下不能办理此步骤" in html and "尚有事项在办理中" in html
    with app.app_context():
        assert db.session.get(Commission, pk).state == CommissionState.in_progress


def test_every_transition_of_a_step_is_one_the_state_table_allows():
    """R-16.1: the steps move records only along app/states.py's transitions."""
    for step in LIFECYCLES["commission"].steps:
        if step.moves_to is not None and step.moves_to != CommissionState.in_progress:
            assert any(can_transition(state, step.moves_to) for state in CommissionState), step
    assert {s.moves_to for s in LIFECYCLES["item"].steps} >= {
        ItemState.submitted, ItemState.accepted, ItemState.supplementing, ItemState.approved,
        ItemState.refused}


def test_every_step_has_its_form_and_every_form_its_step():
    """R-16.1: the screens bind a form to each declared step, and to nothing else."""
    declared = {(target, step.key) for target, life in LIFECYCLES.items() for step in life.steps}
    assert declared == set(FORMS)


def test_the_messages_a_step_declares_are_the_ones_it_sends(app):
    """R-16.1: the table's messages are what running the steps queues for the unit."""
    with app.app_context():
        commission = f.opened()
        sent = {n.template for n in db.session.scalars(
            sa.select(Notification).where(Notification.commission_id == commission.id))}
        for key in ("assign", "draft_plan"):
            declared = {t.value for t in LIFECYCLES["commission"].step(key).notifies}
            assert declared and declared <= sent, key
        db.session.rollback()


# ---- correcting a date is a step -------------------------------------------------------

def test_a_date_is_corrected_by_a_step_with_its_reason_in_the_history(app, client):
    """R-16.1: the application date typed wrongly is corrected by the supervisor's step,
    with the reason in the state history; the contact deadline follows; a correction
    without a reason is refused."""
    with app.app_context():
        commission = f.opened()
        db.session.commit()
        pk, old_due = commission.id, commission.contact_due_on
    url = f"/workflow/commission/{pk}/correct_date"
    form = client.get(url).get_data(as_text=True)
    assert "applied_on" in form and "completed_on" not in form  # only recorded dates
    refused = client.post(url, data={"field": "applied_on", "value": "2025-09-29",
                                     "reason": ""})
    assert refused.status_code == 200
    response = client.post(url, data={"field": "applied_on", "value": "2025-09-29",
                                      "reason": "申请表签收日期录入错误"})
    assert response.status_code == 302
    with app.app_context():
        commission = db.session.get(Commission, pk)
        assert commission.applied_on == D("2025-09-29")
        assert commission.contact_due_on < old_due
        last = db.session.scalars(sa.select(CommissionStateChange).order_by(
            CommissionStateChange.id.desc())).first()
        assert (last.from_state, last.to_state) == (commission.state, commission.state)
        assert "申请表签收日期录入错误" in last.note and "2025-09-30" in last.note
        assert last.changed_by_id is not None


def test_a_correction_keeps_the_dates_in_order(app):
    """R-16.1: a corrected date may not jump past the dates that follow it."""
    with app.app_context():
        commission = f.opened()
        with pytest.raises(DomainError):
            corrections.correct_date(db.session, commission, field="applied_on",
                                     value=D("2025-10-31"), reason="录错",
                                     today=D("2025-11-01"), cal=load_calendar(db.session))
        db.session.rollback()


# ---- delete (R-16.3) -------------------------------------------------------------------

def test_no_trash_icon_on_commissions_or_items(app, client):
    """R-16.3: commissions and items are never deleted: no trash icon on their lists."""
    with app.app_context():
        f.opened()
        db.session.commit()
    for url in ("/commissionview/list/", "/commissionitemview/list/"):
        html = client.get(url).get_data(as_text=True)
        assert "/delete/" not in html, url


def test_a_printed_notice_is_kept_a_draft_is_deleted(app, client):
    """R-16.3: a one-time notice printed (its document archived) is refused deletion with a
    Chinese reason, not a database error; one never printed is deleted."""
    with app.app_context():
        case = f.full_case()
        draft = MaterialNotice(commission_id=case.commission, issued_on=D("2025-10-12"),
                               issued_by_id=case.coordinator, note="草稿")
        db.session.add(draft)
        db.session.commit()
        printed, draft_id = case.notice, draft.id
    response = client.post(f"/documents/commission/{case.commission}/print/material_notice/"
                           f"{printed}")
    assert response.status_code == 200
    response = client.post(f"/materialnoticeview/delete/{printed}", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "不能删除" in html
    response = client.post(f"/materialnoticeview/delete/{draft_id}", follow_redirects=True)
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(MaterialNotice, printed) is not None
        assert db.session.get(MaterialNotice, draft_id) is None


def test_a_used_reference_row_is_refused_deletion_with_a_reason(app, client):
    """R-16.3: a checklist material a notice line points to is refused deletion with a
    Chinese reason (the database's refusal, through the transaction helper), never a
    database error; an unused one is deleted."""
    with app.app_context():
        commission = f.opened()
        catalogue = commission.items[0].approval_item
        used = ItemMaterial(approval_item=catalogue, name="建设项目用地预审申请表")
        unused = ItemMaterial(approval_item=catalogue, name="授权委托书")
        notice = MaterialNotice(commission=commission, issued_on=D("2025-10-11"),
                                issued_by=commission.coordinator)
        notice.lines = [MaterialNoticeLine(commission_item=commission.items[0], material=used,
                                           material_name=used.name,
                                           problem=MaterialProblem.missing)]
        db.session.add_all([used, unused, notice])
        db.session.commit()
        used_id, unused_id = used.id, unused.id
    response = client.post(f"/itemmaterialview/delete/{used_id}", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "已被其他记录引用，不能删除" in html
    response = client.post(f"/itemmaterialview/delete/{unused_id}", follow_redirects=True)
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(ItemMaterial, used_id) is not None
        assert db.session.get(ItemMaterial, unused_id) is None
