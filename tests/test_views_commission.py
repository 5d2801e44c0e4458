"""Screens of commissions (委托协办): the case list, the case page with everything recorded
under it, coordinator assignments and state history (app/views/commission.py)."""
from __future__ import annotations

import re

import sqlalchemy as sa
from conftest import form_errors
from test_views_commission_rows import (
    D,
    count,
    make_approval_item,
    make_commission,
    make_department,
    make_item,
    make_staff,
    only,
    page,
    post,
)

from app.choices import (
    ConstructionKind,
    ContactMethod,
    DelegationScope,
    DeliveryMethod,
    EscalationTarget,
    InvestmentKind,
    StaffRole,
    TerminationReason,
    UnitNature,
    WorkLogType,
)
from app.extensions import db
from app.models import (
    Commission,
    CommissionStateChange,
    Consultation,
    CoordinatorAssignment,
    Delivery,
    Escalation,
    FeeNotice,
    JointApproval,
    MaterialNotice,
    PlanVersion,
    Project,
    ResultReceipt,
    Termination,
    Unit,
    WorkLogEntry,
)
from app.states import CommissionState

COMMISSIONS = "/commissionview"


def _project(app) -> int:
    with app.app_context():
        unit = Unit(name="阳江市江城区城投公司", address="阳江市江城区东风路1号",
                    nature=UnitNature.government, leader_name="王总", leader_phone="13900139000",
                    handler_name="陈经办", handler_phone="13700137000")
        project = Project(unit=unit, name="江城区第二中学扩建工程", address="阳江市江城区",
                          construction_kind=ConstructionKind.expansion,
                          investment_kind=InvestmentKind.government)
        db.session.add_all([unit, project])
        db.session.commit()
        return project.id


def _commission_form(project_id, **changes):
    data = {"project": project_id, "scope": DelegationScope.partial.value,
            "intention": "委托协办施工许可阶段事项", "delegated_items_text": "建筑工程施工许可证核发",
            "contact_method": ContactMethod.wechat.value}
    data.update(changes)
    return data


def test_commission_round_trip_with_service_modes(app, client):
    """R-3.2: a commission flags its service modes (特事特办, 优先办理, 主动服务, 跟踪督办,
    陪同协办); it is added, listed, shown and edited with Chinese labels, and its state is set
    by the system, not the form."""
    project_id = _project(app)
    add_form = page(client, f"{COMMISSIONS}/add")
    for text in ("特事特办", "优先办理", "主动服务", "跟踪督办", "陪同协办", "委托方式"):
        assert text in add_form, text
    assert 'name="state"' not in add_form and 'name="application_no"' not in add_form
    response = post(client, f"{COMMISSIONS}/add", _commission_form(
        project_id, mode_special_handling="y", mode_priority="y"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        row = only(Commission)
        assert (row.project_id, row.scope, row.contact_method, row.state) == (
            project_id, DelegationScope.partial, ContactMethod.wechat, CommissionState.pre_review)
        assert (row.mode_special_handling, row.mode_priority, row.mode_proactive,
                row.mode_supervised, row.mode_accompanied) == (True, True, False, False, False)
        row.application_no = "JC2026-0601"
        db.session.commit()
        pk = row.id
    listing = page(client, f"{COMMISSIONS}/list/")
    for text in ("委托协办", "申请编号", "建设单位", "JC2026-0601", "江城区第二中学扩建工程",
                 "阳江市江城区城投公司", "咨询预审"):
        assert text in listing, text
    shown = page(client, f"{COMMISSIONS}/show/{pk}")
    for text in ("服务方式", "部分委托", "微信", "委托协办意向", "具体委托事项"):
        assert text in shown, text
    response = post(client, f"{COMMISSIONS}/edit/{pk}", _commission_form(
        project_id, mode_proactive="y", mode_supervised="y", mode_accompanied="y",
        remarks="重点项目"))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        row = db.session.get(Commission, pk)
        assert (row.mode_special_handling, row.mode_priority, row.mode_proactive,
                row.mode_supervised, row.mode_accompanied) == (False, False, True, True, True)
        assert row.remarks == "重点项目" and row.application_no == "JC2026-0601"


def test_second_open_commission_of_a_project_is_refused(app, client):
    """R-4.4: a project has at most one open commission; a second gets a Chinese message
    on the form and nothing is saved."""
    project_id = _project(app)
    with app.app_context():
        db.session.add(Commission(project_id=project_id, application_no="JC2026-0602",
                                  state=CommissionState.in_progress))
        db.session.commit()
    response = post(client, f"{COMMISSIONS}/add", _commission_form(project_id))
    assert response.status_code == 200
    assert "该项目已有未办结的委托协办" in " ".join(form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(Commission) == 1


def _everything_under(app):
    """A commission with one record of every kind shown on its page; the texts to look for."""
    with app.app_context():
        coordinator = make_staff(StaffRole.coordinator, name="林协办")
        dept = make_department("区住房和城乡建设局")
        commission = make_commission("JC2026-0603", coordinator=coordinator)
        other = make_commission("JC2026-0604", coordinator=coordinator)
        item = make_item(commission, make_approval_item(dept, "建筑工程施工许可证核发"))
        make_item(other, make_approval_item(dept, "竣工验收备案"))
        c = commission
        db.session.add_all([
            PlanVersion(commission=c, version=1, drafted_on=D("2026-03-03"),
                        confirmed_by="计划确认人甲"),
            WorkLogEntry(commission=c, logged_on=D("2026-03-03"), author=coordinator,
                         entry_type=WorkLogType.contact, content="日志内容甲"),
            WorkLogEntry(commission=other, logged_on=D("2026-03-03"), author=coordinator,
                         entry_type=WorkLogType.contact, content="他案日志乙"),
            Consultation(commission=c, coordinator=coordinator,
                         specialist=make_staff(StaffRole.specialist, dept, "周专办"),
                         asked_on=D("2026-03-04"), question="沟通问题甲"),
            Escalation(commission=c, raised_by=coordinator, target=EscalationTarget.window,
                       raised_on=D("2026-03-05"), problem="上报问题甲"),
            MaterialNotice(commission=c, issued_on=D("2026-03-06"), issued_by=coordinator,
                           note="告知书备注甲"),
            FeeNotice(commission=c, commission_item=item, department=dept,
                      fee_name="城市基础设施配套费", amount=1000, issued_on=D("2026-03-07")),
            ResultReceipt(commission=c, department=dept, received_on=D("2026-03-08"),
                          documents="施工许可证正本"),
            Delivery(commission=c, method=DeliveryMethod.visit, delivered_on=D("2026-03-09"),
                     signer="签收人甲"),
            Termination(commission=c, reason=TerminationReason.unit_request,
                        issued_on=D("2026-03-10"), reason_text="终止说明甲"),
            CommissionStateChange(commission=c, from_state=CommissionState.planning,
                                  to_state=CommissionState.in_progress, note="状态备注甲"),
            CoordinatorAssignment(commission=c, staff=coordinator, assigned_on=D("2026-03-02"),
                                  reason="分派原因甲"),
        ])
        db.session.commit()
        return commission.id


def test_commission_page_shows_everything_recorded_under_it(app, client):
    """R-5.1, R-5.3, R-6.1, R-6.3, R-6.4, R-6.5, R-6.7, R-8.1, R-8.2, R-8.4, R-10.1: the
    case page lists the commission's items, plan versions, work log, consultations,
    escalations, one-time notices, fee notices, results received, deliveries, termination,
    state history and coordinator assignments; not those of other commissions."""
    pk = _everything_under(app)
    shown = page(client, f"{COMMISSIONS}/show/{pk}")
    for title in ("协办事项", "审批进度计划", "工作日志", "沟通记录", "问题上报", "一次性告知书",
                  "缴费通知书", "结果物接收", "结果送达", "委托终止", "状态变更记录", "协办员分派"):
        assert title in shown, title
    for text in ("建筑工程施工许可证核发", "计划确认人甲", "日志内容甲", "沟通问题甲", "上报问题甲",
                 "告知书备注甲", "城市基础设施配套费", "施工许可证正本", "签收人甲",
                 "建设单位要求终止协办委托", "状态备注甲", "分派原因甲"):
        assert text in shown, text
    assert "他案日志乙" not in shown and "竣工验收备案" not in shown


def _commissions(app, n: int) -> None:
    with app.app_context():
        for _ in range(n):
            make_commission(coordinator=make_staff())
        db.session.commit()


def test_commission_list_queries_do_not_grow_with_rows(app, client, count_queries):
    """The commission list issues the same number of SQL statements for 3 rows and for 20
    (project, unit and coordinator are loaded for the whole page at once)."""
    client.get(f"{COMMISSIONS}/list/")
    _commissions(app, 3)
    with count_queries() as few:
        html = client.get(f"{COMMISSIONS}/list/").get_data(as_text=True)
    assert html.count(f"{COMMISSIONS}/show/") == 3
    _commissions(app, 22)
    with count_queries() as many:
        client.get(f"{COMMISSIONS}/list/")
    assert len(many) == len(few), (len(few), len(many))


def _grow_case(app, pk: int, n: int) -> None:
    """``n`` more items on commission ``pk``, each with two work-log entries about it."""
    with app.app_context():
        commission = db.session.get(Commission, pk)
        for _ in range(n):
            item = make_item(commission, make_approval_item(make_department()))
            for content in ("跟进", "催办"):
                db.session.add(WorkLogEntry(
                    commission=commission, logged_on=D("2026-03-04"), author=commission.coordinator,
                    entry_type=WorkLogType.follow_up, content=content, commission_item=item))
        db.session.commit()


def test_commission_page_queries_do_not_grow_with_rows(app, client, count_queries):
    """The case page (a commission and the 16 panels under it) issues the same SQL statements
    for 2 items and for 8, all but one with work-log entries about it; the panels take the commission
    from the session instead of loading it, and everything it loads, once per panel."""
    pk = _everything_under(app)
    _grow_case(app, pk, 1)
    client.get(f"{COMMISSIONS}/show/{pk}")
    with count_queries() as few:
        assert client.get(f"{COMMISSIONS}/show/{pk}").status_code == 200
    _grow_case(app, pk, 6)
    with count_queries() as many:
        html = client.get(f"{COMMISSIONS}/show/{pk}").get_data(as_text=True)
    assert html.count("催办") == 7
    assert len(many) == len(few), (len(few), len(many))
    commission_loads = [s for s in many if " FROM commission " in " ".join(f"{s} ".split())
                        and "count(" not in s]
    assert len(commission_loads) == 1, commission_loads  # the page's own
    assert len(many) <= 75, len(many)  # 356 on a demo case before the fix, 69 after


# ---- coordinator assignments and state history -------------------------------------

def test_coordinator_assignment_round_trip(app, client):
    """R-5.1: one coordinator per commission; a reassignment is recorded with its period and
    reason. Only coordinators are offered."""
    with app.app_context():
        commission = make_commission("JC2026-0605")
        first = make_staff(StaffRole.coordinator, name="林协办")
        make_staff(StaffRole.specialist, name="周专办")
        db.session.commit()
        commission_id, first_id = commission.id, first.id
    add_form = page(client, "/coordinatorassignmentview/add")
    assert "林协办" in add_form and "周专办" not in add_form
    response = post(client, "/coordinatorassignmentview/add", {
        "commission": commission_id, "staff": first_id, "assigned_on": "2026-03-02",
    })
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        row = only(CoordinatorAssignment)
        assert (row.commission_id, row.staff_id, row.assigned_on) == (
            commission_id, first_id, D("2026-03-02"))
        pk = row.id
    listing = page(client, "/coordinatorassignmentview/list/")
    for text in ("协办员分派", "协办员", "分派日期", "结束日期", "林协办", "JC2026-0605"):
        assert text in listing, text
    assert "原因" in page(client, f"/coordinatorassignmentview/show/{pk}")
    response = post(client, f"/coordinatorassignmentview/edit/{pk}", {
        "commission": commission_id, "staff": first_id, "assigned_on": "2026-03-02",
        "ended_on": "2026-04-01", "reason": "工作调动",
    })
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        row = db.session.get(CoordinatorAssignment, pk)
        assert (row.ended_on, row.reason) == (D("2026-04-01"), "工作调动")


def test_coordinator_assignment_ending_before_start_is_refused(app, client):
    """R-5.1: an assignment cannot end before it began."""
    with app.app_context():
        commission = make_commission()
        coordinator = make_staff()
        db.session.commit()
        ids = (commission.id, coordinator.id)
    response = post(client, "/coordinatorassignmentview/add", {
        "commission": ids[0], "staff": ids[1], "assigned_on": "2026-03-02",
        "ended_on": "2026-03-01",
    })
    assert response.status_code == 200
    assert "结束日期不得早于开始日期" in " ".join(form_errors(response.get_data(as_text=True)))
    with app.app_context():
        assert count(CoordinatorAssignment) == 0


def test_state_history_is_read_only(app, client):
    """The lifecycle history is listed and shown, never added or edited by hand."""
    with app.app_context():
        change = CommissionStateChange(commission=make_commission("JC2026-0606"),
                                       from_state=CommissionState.accepted,
                                       to_state=CommissionState.assigned, note="分派协办员")
        db.session.add(change)
        db.session.commit()
        pk = change.id
    shown = page(client, f"/commissionstatechangeview/show/{pk}")
    assert "原状态" in shown and "已分派" in shown and "分派协办员" in shown
    for url in ("/commissionstatechangeview/add", f"/commissionstatechangeview/edit/{pk}"):
        response = client.post(url, data={"note": "改写"})
        assert response.status_code in (302, 403, 404), (url, response.status_code)
    with app.app_context():
        assert db.session.get(CommissionStateChange, pk).note == "分派协办员"
        assert count(CommissionStateChange) == 1


# ---- relation fields over large tables -----------------------------------------------------

ADD_FORMS = {
    # add form: the relation fields that must search instead of listing every row
    "/commissionitemview/add": ("commission", "joint_approval"),
    "/jointapprovalview/add": ("commission",),
    "/itemsupplementview/add": ("commission_item",),
    "/planversionview/add": ("commission",),
    "/planstepview/add": ("plan_version", "commission_item"),
    "/worklogentryview/add": ("commission", "commission_item", "corrects"),
    "/consultationview/add": ("commission", "commission_item"),
    "/escalationview/add": ("commission", "commission_item"),
    "/materialnoticeview/add": ("commission",),
    "/materialnoticelineview/add": ("notice", "commission_item"),
    "/feenoticeview/add": ("commission", "commission_item"),
    "/resultreceiptview/add": ("commission",),
    "/deliveryview/add": ("commission",),
    "/terminationview/add": ("commission",),
    "/announcementview/add": ("termination",),
    "/coordinatorassignmentview/add": ("commission",),
}


def test_relation_fields_search_instead_of_listing_rows(app, client):
    """Forms never render the commissions, items, plans, notices, log entries or
    terminations into a <select>: those fields search /lookup/<kind> as the user types, and
    the search finds the records by application number."""
    _everything_under(app)
    with app.app_context():
        commission = db.session.scalars(
            sa.select(Commission).where(Commission.application_no == "JC2026-0603")).one()
        db.session.add(JointApproval(commission=commission, title="联合审批标题甲"))
        db.session.commit()
    for url, fields in ADD_FORMS.items():
        html = page(client, url)
        assert "JC2026-0603" not in html and "JC2026-0604" not in html, url
        for field in fields:
            assert re.search(rf'<select class="form-control xb-lookup"[^>]* name="{field}"',
                             html), (url, field)
    for kind in ("commission", "commission_item", "joint_approval", "plan_version",
                 "work_log_entry", "material_notice", "termination"):
        found = client.get(f"/lookup/{kind}?q=JC2026-0603").get_json()["results"]
        assert found and all("JC2026-0604" not in r["text"] for r in found), kind
    found = client.get("/lookup/work_log_entry?q=日志内容").get_json()["results"]
    assert [r["text"] for r in found] == ["JC2026-0603 2026-03-03 联系建设单位 日志内容甲"]
