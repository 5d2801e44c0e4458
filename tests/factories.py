"""The one set of test row builders (R-16.1): every test builds its rows here.

Two kinds of rows, built two ways:

* **Reference rows and the records of ordinary screens** — departments, staff, towns,
  units, projects, catalogue items, enquiries; deliveries and the like. Their screens
  save what the form says, so a builder adds the row directly (valid by default, any
  field overridable), as the screen would.
* **What the lifecycle owns** — a commission's state and dates, its items' states and
  decisions, coordinator assignments, plans and their confirmation, supplements,
  terminations, announcements and the state history. These have one writer, their step
  (app/lifecycle), so ``case(state)`` and ``item_in(state)`` take a commission or an item
  there only through the domain functions the step buttons call (app/domain/intake,
  coordination, planning, approvals, closing), with their checks. The 办结 and 终止 steps
  also print their form (app/documents/steps.py); these builders take the steps' domain
  part only, and a test of the forms takes the step itself.

No test module constructs a lifecycle-owned model itself (tests/test_house_rules.py);
tests/test_models.py alone inserts raw rows of every model, to test the schema's
constraints below the domain.

Every step is taken on ``on``, by default the frozen clock's today (app/clock.py): a
builder works on whatever day the run stands (R-16.5). Rows are flushed, not committed.
"""
from __future__ import annotations

import datetime as dt
import decimal
import itertools
from dataclasses import dataclass
from typing import Iterable, Sequence

from flask import current_app

from app import clock
from app.choices import (
    ConstructionKind,
    ContactMethod,
    DelegationScope,
    DeliveryMethod,
    FundSource,
    InvestmentKind,
    KeyProjectLevel,
    LandNature,
    MaterialProblem,
    MeetingKind,
    Rating,
    Stage,
    StaffRole,
    StaffStatus,
    TerminationReason,
    UnitNature,
)
from app.domain import approvals, closing, coordination, intake, planning
from app.domain.workdays import WorkCalendar, load_calendar
from app.extensions import db
from app.models import (
    ApprovalItem,
    Commission,
    CommissionItem,
    CoordinationMeeting,
    Delivery,
    Department,
    MaterialNotice,
    MaterialNoticeLine,
    MeetingActionItem,
    PreReview,
    Project,
    Revisit,
    StaffMember,
    Town,
    Unit,
)
from app.states import CommissionState, ItemState, PreReviewOutcome

D = dt.date.fromisoformat
_seq = itertools.count(1)
_codes = itertools.count(1)


def calendar() -> WorkCalendar:
    """The working-day calendar the steps use (the package's years and the stored ones)."""
    return load_calendar(db.session)


def _add(row, flush: bool = True):
    db.session.add(row)
    if flush:
        db.session.flush()
    return row


def _row(model: type, defaults: dict, kw: dict, flush: bool = True):
    """A ``model`` row of ``defaults`` overridden by ``kw`` (any column or relation)."""
    return _add(model(**{**defaults, **kw}), flush)


def _parent(kw: dict, name: str, make) -> None:
    """Make the ``name`` parent unless ``kw`` gives it (as a row or as ``<name>_id``)."""
    if kw.get(name) is None and f"{name}_id" not in kw:
        kw[name] = make()


# ---- reference rows ----------------------------------------------------------------------
# Valid by default, every column overridable by keyword, a parent given as a row or as its
# id; ``flush=False`` leaves the row pending (tests/test_models.py lets the database refuse
# it at its own flush).

def department(name: str | None = None, *, flush: bool = True, **kw) -> Department:
    """An approval department."""
    return _row(Department, {"name": name or f"部门{next(_seq)}", "contact_name": "李专人",
                             "contact_phone": "0662-3312345"}, kw, flush)


def staff(role: StaffRole = StaffRole.coordinator, dept: Department | None = None,
          name: str | None = None, *, flush: bool = True, **kw) -> StaffMember:
    """A coordinator on duty, or a specialist of ``dept`` (a new department by default)."""
    if dept is not None:
        kw["department"] = dept
    if role == StaffRole.specialist:
        _parent(kw, "department", lambda: department(flush=flush))
    return _row(StaffMember, {
        "name": name or f"员工{next(_seq)}", "role": role, "phone": "13800138000",
        "status": StaffStatus.active, "admitted_on": dt.date(2025, 1, 1)}, kw, flush)


def town(name: str = "南恩街道", code: str = "441702001") -> Town:
    """A town of the district (the one of that code, made once)."""
    row = db.session.query(Town).filter_by(code=code).first()
    return row if row is not None else _add(Town(name=name, code=code))


def unit(name: str | None = None, *, flush: bool = True, **kw) -> Unit:
    """A construction unit whose handler has a mobile (messages reach it)."""
    return _row(Unit, {
        "name": name or f"阳江市江城区建设公司{next(_seq)}", "address": "阳江市江城区东风路1号",
        "nature": UnitNature.enterprise, "leader_name": "王总", "leader_phone": "13900139000",
        "handler_name": "陈经办", "handler_phone": "13700137000"}, kw, flush)


def project(owner: Unit | None = None, *, flush: bool = True, **kw) -> Project:
    """A project of ``owner`` (a new unit by default) in a town of the district."""
    if owner is not None:
        kw["unit"] = owner
    _parent(kw, "unit", lambda: unit(flush=flush))
    if "town" not in kw and "town_id" not in kw:
        kw["town"] = town()
    return _row(Project, {
        "name": f"江城项目{next(_seq)}", "address": "阳江市江城区",
        "construction_kind": ConstructionKind.new, "investment_kind": InvestmentKind.social},
        kw, flush)


_new_project = project


def full_project(name: str = "江城滨海智造产业园一期") -> Project:
    """A project with every field the forms print filled in, of a unit likewise."""
    owner = unit(name=f"阳江市{name}建设有限公司", leader_title="总经理",
                 handler_title="报建专员", email="baojian@example.cn",
                 nature=UnitNature.institution)
    return project(
        owner=owner, name=name, project_code=f"2025-441702-70-03-{next(_codes):06d}",
        total_investment=decimal.Decimal("12000.50"), fund_source=FundSource.hmt,
        floor_area=decimal.Decimal("45000.00"), land_nature=LandNature.collective,
        key_level=KeyProjectLevel.town, brief="新建厂房及配套设施，总建筑面积约4.5万平方米。",
        progress="已完成项目备案，正在开展方案设计。")


def approval_item(stage: Stage = Stage.s1, days: int = 5, dept: Department | None = None,
                  name: str | None = None, *, flush: bool = True, **kw) -> ApprovalItem:
    """A catalogue item of ``dept`` (a new department by default), ``days`` promised."""
    if dept is not None:
        kw["department"] = dept
    _parent(kw, "department", lambda: department(flush=flush))
    return _row(ApprovalItem, {"name": name or f"审批事项{next(_seq)}", "stage": stage,
                               "promised_days": days}, kw, flush)


def due_item(accepted: dt.date, due: dt.date, stage: Stage = Stage.s1, **kw) -> ApprovalItem:
    """A catalogue item whose promised working days, counted from ``accepted``, end on
    ``due`` (a working day): the acceptance step on ``accepted`` then puts an item's
    deadline on ``due``."""
    return approval_item(stage, calendar().between(accepted, due), **kw)


def pre_review(proj: Project | None = None, receiver: StaffMember | None = None,
               outcome: PreReviewOutcome = PreReviewOutcome.pending,
               on: dt.date | None = None, **fields) -> PreReview:
    """An enquiry about ``proj`` (a new project by default), received on ``on``, as its
    screen records it (``fields`` override the enquirer and the question); an ``outcome``
    other than pending is then decided by the pre-review's step."""
    fields = {"enquirer_name": "陈经办", "enquirer_phone": "13700137000",
              "enquiry": "咨询委托协办", **fields}
    row = _add(PreReview(received_on=on or clock.office_today(), receiver=receiver or staff(),
                         project=proj if proj is not None else project(), **fields))
    if outcome != PreReviewOutcome.pending:
        intake.decide_pre_review(row, outcome, reason="属特殊工程", other_channel="市政务服务中心")
        db.session.flush()
    return row


# ---- records of the ordinary screens -----------------------------------------------------

def delivery(commission: Commission, on: dt.date | None = None, **kw) -> Delivery:
    """The results handed to the unit on ``on``, its receipt signed the same day."""
    on = on or clock.office_today()
    kw.setdefault("method", DeliveryMethod.visit)
    kw.setdefault("receipt_signed_on", on)
    kw.setdefault("signer", "陈经办")
    return _add(Delivery(commission=commission, delivered_on=on, **kw))


# ---- the lifecycle: a commission taken to a state by its steps ---------------------------

#: the states a commission passes on its way to completion, in order
ROUTE = (CommissionState.pre_review, CommissionState.accepted, CommissionState.assigned,
         CommissionState.planning, CommissionState.in_progress, CommissionState.delivering,
         CommissionState.completed)
#: the termination procedure's states, in order
TERMINATION = (CommissionState.terminating, CommissionState.announced,
               CommissionState.terminated)


def case(state: CommissionState = CommissionState.in_progress, *,
         items: int | Sequence[ApprovalItem] = 1, coordinator: StaffMember | None = None,
         project: Project | None = None, receiver: StaffMember | None = None,
         on: dt.date | None = None, scope: DelegationScope = DelegationScope.partial,
         intention: str | None = None, **steps) -> Commission:
    """A commission taken to ``state`` through its steps: opened on ``on`` from an eligible
    enquiry about ``project`` (received by ``receiver``, default the coordinator) with
    ``items`` (a number of new catalogue items, or those given), then moved on by
    ``advance``; see there for ``coordinator`` and ``steps``."""
    on = on or clock.office_today()
    chosen = ([approval_item() for _ in range(items)] if isinstance(items, int)
              else list(items))
    review = pre_review(project if project is not None else _new_project(),
                        receiver=receiver or coordinator, outcome=PreReviewOutcome.eligible,
                        on=on)
    commission = intake.open_commission(db.session, review, scope=scope, items=chosen,
                                        intention=intention)
    return advance(commission, state, coordinator=coordinator, on=on, **steps)


def advance(commission: Commission, state: CommissionState, *,
            coordinator: StaffMember | None = None, on: dt.date | None = None,
            applied_on: dt.date | None = None, assigned_on: dt.date | None = None,
            contacted_on: dt.date | None = None, drafted_on: dt.date | None = None,
            plan_start: dt.date | None = None, plan_note: str | None = None,
            confirmed_on: dt.date | None = None, confirmed_by: str | None = None,
            decided_on: dt.date | None = None, completed_on: dt.date | None = None,
            issued_on: dt.date | None = None, published_on: dt.date | None = None,
            terminated_on: dt.date | None = None,
            reason: TerminationReason = TerminationReason.unit_request,
            reason_text: str | None = None, terminate_from: CommissionState | None = None,
            confirm_days: int | None = None) -> Commission:
    """Move ``commission`` on to ``state`` by the steps that lead there. Each step is taken
    on its own date (``applied_on`` …) if given, else on the date of the step before it;
    the first on ``on`` (default: today).

    To completion: accept; assign ``coordinator`` (a new one by default); record the
    contact; draft a plan (``drafted_on``, from ``plan_start``, with ``plan_note``) and have
    the unit confirm it (``confirmed_by``, default its handler); decide every open item
    (submitted, accepted and approved on ``decided_on``); start delivery; record a signed
    delivery and complete. The termination states are reached from ``terminate_from``
    (default: where the commission is, moved on to in progress first while it is at
    pre-review): terminate for ``reason`` (``issued_on``), the unit given ``confirm_days``
    (default: the setting) to confirm; ``announced`` publishes the
    announcement on ``published_on`` (default: the working day after the unit's time ran
    out); ``terminated`` records the unit's confirmation (``terminated_on``).
    ``ineligible`` closes it at pre-review."""
    day = on or clock.office_today()
    cal = calendar()
    config = current_app.config
    if state == CommissionState.ineligible:
        intake.mark_ineligible(db.session, commission, reason="不属于协办范围")
        db.session.flush()
        return commission
    if state in TERMINATION:
        if commission.state not in TERMINATION:
            start = terminate_from or (commission.state if commission.state != ROUTE[0]
                                       else CommissionState.in_progress)
            advance(commission, start, coordinator=coordinator, on=day, applied_on=applied_on,
                    assigned_on=assigned_on, contacted_on=contacted_on, drafted_on=drafted_on,
                    plan_start=plan_start, confirmed_on=confirmed_on, confirmed_by=confirmed_by,
                    decided_on=decided_on)
            # issued on the day of the last step taken, unless given
            day = issued_on or next((d for d in (decided_on, confirmed_on, drafted_on,
                                                 contacted_on, assigned_on, applied_on) if d), day)
            closing.terminate(
                db.session, commission, reason=reason, issued_on=day, cal=cal,
                reason_text=reason_text or ("项目取消" if reason == TerminationReason.other
                                            else None),
                confirm_days=confirm_days or config["TERMINATION_CONFIRM_DAYS"])
            db.session.flush()
            db.session.refresh(commission, ["termination"])
        if state == CommissionState.announced and commission.state != state:
            due = commission.termination.confirm_due_on
            closing.announce(db.session, commission, published_on=published_on or cal.add(due, 1),
                             url="https://www.jiangcheng.gov.cn/gg/1", cal=cal)
        elif state == CommissionState.terminated:
            closing.confirm_termination(db.session, commission,
                                        confirmed_on=terminated_on or day, cal=cal)
        db.session.flush()
        return commission
    for step in ROUTE[ROUTE.index(commission.state) + 1:ROUTE.index(state) + 1]:
        if step == CommissionState.accepted:
            day = applied_on or day
            intake.accept(db.session, commission, applied_on=day, cal=cal,
                          number_format=config["APPLICATION_NO_FORMAT"])
        elif step == CommissionState.assigned:
            day = assigned_on or day
            coordination.assign(db.session, commission, coordinator or staff(),
                                 assigned_on=day, cal=cal)
        elif step == CommissionState.planning:
            day = contacted_on or day
            coordination.record_contact(db.session, commission, method=ContactMethod.phone,
                                        contacted_on=day)
        elif step == CommissionState.in_progress:
            day = drafted_on or day
            plan = planning.draft_plan(db.session, commission, start=plan_start or day,
                                       drafted_on=day, cal=cal, note=plan_note)
            day = confirmed_on or day
            planning.confirm_plan(db.session, commission, plan, confirmed_on=day,
                                  confirmed_by=confirmed_by or commission.project.unit.handler_name)
        elif step == CommissionState.delivering:
            day = decided_on or day
            for item in closing.open_items(commission):
                advance_item(item, ItemState.approved, on=day)
            closing.start_delivery(db.session, commission)
        elif step == CommissionState.completed:
            day = completed_on or day
            delivery(commission, on=day)
            closing.complete(db.session, commission, completed_on=day)
        db.session.flush()
    return commission


# ---- the lifecycle: a delegated item taken to a state by its steps -----------------------

def add_item(commission: Commission, catalogue: ApprovalItem | None = None,
             **fields) -> CommissionItem:
    """A further item (待申报) of an open ``commission``, added as the item screen adds one:
    the domain's check first (app/views/items.py); ``fields`` are the screen's own
    (specialist, joint approval)."""
    catalogue = catalogue or approval_item()
    intake.check_add_item(db.session, commission, catalogue)
    return _add(CommissionItem(commission=commission, approval_item=catalogue, **fields))


def item_in(state: ItemState = ItemState.pending, *, commission: Commission | None = None,
            catalogue: ApprovalItem | None = None, on: dt.date | None = None,
            **steps) -> CommissionItem:
    """A delegated item taken to ``state`` by its steps: the first item of a new commission
    at work (with ``catalogue``), or a new item of ``commission``; see ``advance_item``."""
    on = on or clock.office_today()
    if commission is None:
        commission = case(items=[catalogue or approval_item()], on=on)
        item = commission.items[0]
    else:
        item = add_item(commission, catalogue)
    return advance_item(item, state, on=on, **steps)


def advance_item(item: CommissionItem, state: ItemState, *, on: dt.date | None = None,
                 submitted_on: dt.date | None = None, accepted_on: dt.date | None = None,
                 requested_on: dt.date | None = None, received_on: dt.date | None = None,
                 decided_on: dt.date | None = None, accept: bool = True,
                 reason: str = "不符合规划条件", result_document: str | None = None,
                 ) -> CommissionItem:
    """Move ``item`` on to ``state`` by the item's steps, each on its own date if given,
    else on the date of the step before it (the first on ``on``, default today):
    submitted; accepted by the department, which starts its deadline (``accept=False``:
    refused before acceptance); for ``supplementing`` a supplement requested
    (``requested_on``), and with ``received_on`` received again before a decision; approved,
    or refused for ``reason``. A withdrawn item is its commission's termination's
    (``advance(commission, CommissionState.terminating)``)."""
    day = on or clock.office_today()
    cal = calendar()
    if item.state == ItemState.pending and state != ItemState.pending:
        day = submitted_on or day
        approvals.submit(db.session, item, on=day)
    if item.state == ItemState.submitted and state != ItemState.submitted and accept:
        day = accepted_on or day
        approvals.accept(db.session, item, on=day, cal=cal)
    if state == ItemState.supplementing or (received_on and item.state == ItemState.accepted):
        day = requested_on or day
        approvals.request_supplement(db.session, item, on=day)
        if received_on:
            day = received_on
            approvals.receive_supplement(db.session, item, on=day, cal=cal)
    if state == ItemState.approved:
        approvals.approve(db.session, item, on=decided_on or day,
                          result_document=result_document)
    elif state == ItemState.refused:
        approvals.refuse(db.session, item, on=decided_on or day, reason=reason)
    db.session.flush()
    return item


def reapplied(item: CommissionItem, on: dt.date | None = None) -> CommissionItem:
    """The new attempt of a refused ``item``: the unit told of the refusal, then re-applied
    (R-6.2)."""
    approvals.record_unit_informed(item, on=on or item.decided_on)
    return _add(approvals.reapply(db.session, item))


def unsaved_items(catalogue: Iterable[ApprovalItem]) -> list[CommissionItem]:
    """Pending items of no commission, never saved: the input of a plan's schedule
    (app/domain/planning.schedule), a pure function."""
    return [CommissionItem(approval_item=entry, state=ItemState.pending) for entry in catalogue]


# ---- the document cases: one commission with a record of every kind ----------------------

@dataclass
class Case:
    """Ids of the records ``full_case()`` made (the session may be gone when a test uses
    them)."""

    commission: int
    plan: int
    notice: int
    delivery: int
    meeting: int
    revisit: int
    coordinator: int


def opened(name: str = "江城滨海智造产业园一期", coordinator: StaffMember | None = None
           ) -> Commission:
    """The documents' commission at work (in progress since 2025-10-10): two items of two
    departments, accepted on 2025-09-30, contacted on 2025-10-09, its plan from 2025-10-10."""
    items = [approval_item(Stage.s1, 5, name=f"用地预审与选址意见书{name}",
                           dept=department(f"市自然资源局{name}")),
             approval_item(Stage.s2, 10, name=f"建设工程规划许可证{name}",
                           dept=department(f"区住房和城乡建设局{name}"))]
    coordinator = coordinator or staff(StaffRole.coordinator, name="张协办", phone="13600136000")
    return case(CommissionState.in_progress, items=items, project=full_project(name),
                coordinator=coordinator, intention="全程代办，尽快取得规划许可",
                on=D("2025-09-30"), contacted_on=D("2025-10-09"), drafted_on=D("2025-10-09"),
                plan_start=D("2025-10-10"), plan_note="按承诺时限编排", confirmed_on=D("2025-10-10"))


def full_case(complete: bool = False) -> Case:
    """``opened()`` with a one-time notice over both items, both approved, results in
    delivery with a signed receipt, a coordination meeting and a revisit; completed too
    when ``complete``. Committed."""
    commission = opened()
    first, second = commission.items
    notice = MaterialNotice(commission=commission, issued_on=D("2025-10-11"),
                            issued_by=commission.coordinator, note="请于5个工作日内补齐。")
    notice.lines = [
        MaterialNoticeLine(commission_item=first, material_name="建设项目用地预审申请表",
                           problem=MaterialProblem.missing),
        MaterialNoticeLine(commission_item=first, material_name="勘测定界图",
                           problem=MaterialProblem.insufficient, note="须加盖测绘单位公章"),
        MaterialNoticeLine(commission_item=second, material_name="建设工程设计方案总平面图",
                           problem=MaterialProblem.missing),
    ]
    db.session.add(notice)
    for item in commission.items:
        advance_item(item, ItemState.approved, submitted_on=D("2025-10-13"),
                     accepted_on=D("2025-10-14"), decided_on=D("2025-10-20"),
                     result_document=f"许可证{item.id:03d}号")
    closing.start_delivery(db.session, commission)
    handed = delivery(commission, on=D("2025-10-21"), method=DeliveryMethod.post,
                      carrier="中国邮政EMS", tracking_no="1178402791248",
                      documents="规划许可证正本1份", receipt_signed_on=D("2025-10-22"))
    owner = staff(StaffRole.coordinator, name="李协办", phone="13500135000")
    meeting = CoordinationMeeting(
        kind=MeetingKind.coordination, title="滨海智造产业园审批协调会", held_on=D("2025-10-15"),
        place="区政务服务中心三楼会议室", convener=commission.coordinator,
        issues="规划许可证办理进度滞后。", decisions="区住建局三个工作日内出具意见。",
        departments=[first.department, second.department], attendees=[owner],
        commissions=[commission])
    meeting.action_items = [MeetingActionItem(description="出具规划条件书面意见", owner=owner,
                                              due_on=D("2025-10-20"))]
    revisit = Revisit(commission=commission, visited_on=D("2025-10-28"),
                      method=ContactMethod.phone, visitor=owner, person_reached="陈经办",
                      rating=Rating.basically_satisfied, opinions="希望进一步压缩审批时间。",
                      follow_up="已反馈审批部门。")
    db.session.add_all([meeting, revisit])
    if complete:
        closing.complete(db.session, commission, completed_on=D("2025-10-23"))
    db.session.commit()
    return Case(commission.id, planning.latest_plan(commission).id, notice.id,
                handed.id, meeting.id, revisit.id, commission.coordinator_id)
