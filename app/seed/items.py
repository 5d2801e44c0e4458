"""Write the delegated items, supplements, joint approvals and plan versions (R-5.3, R-6.1, R-6.2).

Each item row shows its attempt as it stands on the commission's "now": the anchor date
for open commissions, the closing date for closed ones. Deadlines are computed with the
domain's own rule (acceptance + promised working days + suspended days).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import object_session

from app.choices import Stage
from app.domain import definitions
from app.domain.deadlines import item_due_on
from app.domain.planning import (
    catalogue_order,
    catalogue_prerequisites,
    critical_path,
    hold_plan,
    plan_offsets,
)
from app.models import (
    ApprovalItem,
    CommissionItem,
    ItemSupplement,
    JointApproval,
    PlanStep,
    PlanVersion,
    StaffMember,
)
from app.seed.context import Built, DemoContext
from app.seed.timeline import Attempt, planned_offsets, visible
from app.states import CommissionState as CS
from app.states import ItemState

RESULT_DOCS = {
    "建设用地规划许可证": "建设用地规划许可证（地字第{year}{seq:04d}号）",
    "建设工程规划许可证": "建设工程规划许可证（建字第{year}{seq:04d}号）",
    "建筑工程施工许可证核发": "建筑工程施工许可证（编号441702{year}{seq:04d}0101）",
    "用地预审与选址意见书": "用地预审与选址意见书（用字第{year}{seq:04d}号）",
    "企业投资项目备案": "广东省企业投资项目备案证（{year}-441702-{seq:04d}）",
    "竣工验收备案": "竣工验收备案证明书（江建备〔{year}〕{seq}号）",
    "施工图联合审查": "施工图设计文件审查合格书（编号441702-{year}-SG{seq:03d}）",
    "特殊建设工程消防设计审查": "特殊建设工程消防设计审查意见书（江建消审字〔{year}〕第{seq}号）",
    "特殊建设工程消防验收": "特殊建设工程消防验收意见书（江建消验字〔{year}〕第{seq}号）",
    "规划条件核实": "建设工程规划条件核实合格证（核字第{year}{seq:04d}号）",
    "竣工联合验收": "竣工联合验收意见书（江联验〔{year}〕{seq}号）",
    "供水报装": "供水接入确认单（江水接〔{year}〕{seq}号）",
    "供电报装": "供电方案答复单（江电方案〔{year}〕{seq}号）",
    "燃气报装": "燃气接驳确认书（江燃接〔{year}〕{seq}号）",
    "通信报装": "通信配套设施验收确认单（江通验〔{year}〕{seq}号）",
}
REFUSAL_REASONS = (
    "申报材料与规划设计条件不符（容积率超出控制指标），不予许可。",
    "设计文件未满足现行规范强制性条文要求，经补正后仍不符合，不予许可。",
    "申请材料中的权属证明文件与登记信息不一致，不予许可。",
    "专项技术审查未通过，需修改后重新申报。",
)


def write_items(ctx: DemoContext, built: Built) -> None:
    """Item rows (and their supplements), joint approvals and plan versions of one case."""
    case = built.case
    if case.target == CS.ineligible:
        return
    chosen_on = case.entered.get(CS.accepted, case.first_day)
    if case.execution is None:
        for item in case.items:
            row = CommissionItem(commission=built.commission, approval_item=item, attempt=1,
                                 state=ItemState.pending,
                                 specialist=_specialist(ctx, item, chosen_on))
            built.items.append((None, row))
    else:
        rows: dict[int, CommissionItem] = {}
        for attempt in visible(case.execution, case.cut):
            previous = rows.get(id(attempt.previous)) if attempt.previous else None
            row = _item_row(ctx, built, attempt, previous, chosen_on)
            rows[id(attempt)] = row
            built.items.append((attempt, row))
        _joint_approval(ctx, built)
    ctx.session.add_all(row for _, row in built.items)
    _plans(ctx, built)


def _specialist(ctx: DemoContext, item: ApprovalItem, day: dt.date) -> StaffMember | None:
    people = ctx.roster.specialists_on(day, item.department)
    return ctx.rng.choice(people) if people else None


def _item_row(ctx: DemoContext, built: Built, attempt: Attempt,
              previous: CommissionItem | None, chosen_on: dt.date) -> CommissionItem:
    cut = built.case.cut
    row = CommissionItem(
        commission=built.commission, approval_item=attempt.item, attempt=attempt.number,
        previous_attempt=previous, state=attempt.state_at(cut),
        specialist=previous.specialist if previous else _specialist(ctx, attempt.item, chosen_on),
    )
    if cut >= attempt.submit:
        row.submitted_on = ctx.on(built, attempt.submit)
    if cut >= attempt.accept:
        row.accepted_on = ctx.on(built, attempt.accept)
    periods = _supplements(ctx, built, attempt, row)
    row.due_on = item_due_on(row.accepted_on, attempt.item.promised_days, periods, built.now,
                             ctx.cal)
    if row.state in (ItemState.approved, ItemState.refused):
        row.decided_on = ctx.on(built, attempt.decide)
    if row.state == ItemState.approved:
        row.result_document = _result_document(ctx, attempt.item, row.decided_on)
    if row.state == ItemState.refused:
        row.refusal_reason = ctx.rng.choice(REFUSAL_REASONS)
        if attempt.informed is not None and attempt.informed <= cut:
            row.unit_informed_on = ctx.on(built, attempt.informed)
    row.overdue_on = _overdue_on(row, periods, built.now)
    return row


def _supplements(ctx: DemoContext, built: Built, attempt: Attempt,
                 row: CommissionItem) -> list[tuple[dt.date, dt.date | None]]:
    """补正 periods that have started by the cut, as ItemSupplement rows (R-6.1)."""
    if not attempt.supplement or attempt.supplement[0] > built.case.cut:
        return []
    requested, received = attempt.supplement
    period = (ctx.on(built, requested),
              ctx.on(built, received) if received <= built.case.cut else None)
    ctx.session.add(ItemSupplement(commission_item=row, requested_on=period[0],
                                   received_on=period[1], note="按一次性告知书补正申报材料"))
    return [period]


def _overdue_on(row: CommissionItem, periods: list[tuple[dt.date, dt.date | None]],
                now: dt.date) -> dt.date | None:
    """The stamp the daily deadline sweep would have left (app/domain/definitions.py): the
    clock ran until the decision, or until a 补正 still pending stopped it."""
    pending = [requested for requested, received in periods if received is None]
    stopped = row.decided_on or (pending[0] if pending else None)
    return definitions.overdue_stamp(row.due_on, stopped, now)


def _result_document(ctx: DemoContext, item: ApprovalItem, day: dt.date) -> str:
    template = RESULT_DOCS.get(item.name)
    seq = ctx.serial(item.name if template else item.department.name)
    if template:
        return template.format(year=day.year, seq=seq)
    short = item.department.short_name or item.department.name
    return f"{item.name}准予许可决定书（{short}许〔{day.year}〕{seq}号）"


def _joint_approval(ctx: DemoContext, built: Built) -> None:
    """竣工联合验收 groups the stage-4 acceptance items of several departments (R-6.1)."""
    rows = [(a, r) for a, r in built.worked() if a.item.stage == Stage.s4 and a.number == 1]
    departments = {a.item.department_id for a, _ in rows}
    if len(rows) < 3 or len(departments) < 2 or min(a.submit for a, _ in rows) > built.case.cut:
        return
    held = max(a.accept for a, _ in rows)
    joint = JointApproval(
        commission=built.commission, title="竣工联合验收（规划、消防、人防、档案等专项验收）",
        held_on=ctx.on(built, held) if held <= built.case.cut else None,
        note="协办员召集相关审批部门联合验收，一次性出具验收意见。",
    )
    ctx.session.add(joint)
    for _, row in rows:
        row.joint_approval = joint


def _plans(ctx: DemoContext, built: Built) -> None:
    """Plan v1 (drafted after the contact, confirmed to start the work) and v2 after a refusal."""
    case = built.case
    if CS.planning not in case.entered:
        return
    first_rows = {row.approval_item: row for a, row in built.items if a is None or a.number == 1}
    contacted = case.entered[CS.planning]
    if case.work_start is None:
        start = ctx.cal.add(contacted, 3)
        _plan(ctx, built, 1, contacted, start, planned_offsets(case.items), first_rows)
        return
    start = case.work_start
    drafted = min(ctx.cal.add(contacted, 1), start)
    v1 = _plan(ctx, built, 1, drafted, start, case.execution.planned, first_rows)
    _confirm(built, v1, start)
    for attempt, _row in built.worked():
        if attempt.number == 2:
            _replan(ctx, built, attempt)


def _plan(ctx: DemoContext, built: Built, version: int, drafted: dt.date, start: dt.date,
          offsets: dict[ApprovalItem, tuple[int, int]],
          rows: dict[ApprovalItem, CommissionItem]) -> PlanVersion:
    critical = set(critical_path(offsets, stage=lambda i: i.stage,
                                 prerequisites=catalogue_prerequisites))
    plan = PlanVersion(commission=built.commission, version=version, drafted_on=drafted,
                       note="按委托事项及承诺时限拟定的个性化审批进度计划")
    for sequence, (item, (submit, done)) in enumerate(offsets.items(), start=1):
        plan.steps.append(PlanStep(
            sequence=sequence, approval_item=item, commission_item=rows.get(item),
            planned_submit_on=ctx.cal.add(start, submit), planned_done_on=ctx.cal.add(start, done),
            critical=item in critical,
        ))
    plan.total_days = ctx.cal.between(min(s.planned_submit_on for s in plan.steps),
                                      max(s.planned_done_on for s in plan.steps))
    ctx.session.add(plan)
    return plan


def _confirm(built: Built, plan: PlanVersion, day: dt.date) -> None:
    plan.confirmed_on, plan.confirmed_by = day, built.case.project.unit.handler_name
    built.commission.plan_confirmed_on = day
    # no_autoflush: reading the items must not flush them early (the demo keeps its ids)
    with object_session(built.commission).no_autoflush:
        hold_plan(built.commission, plan)


def _replan(ctx: DemoContext, built: Built, attempt: Attempt) -> None:
    """A refusal re-applied changes the plan: a new version, the old one stays (R-5.3).

    Drafted as planning.draft_plan drafts it on the day the unit was told, from the day of
    the re-application: items decided by then keep their dates, the others are planned by
    the product's rule (plan_offsets)."""
    informed = attempt.previous.informed
    current = {a.item: a for a in visible(built.case.execution, informed)}  # latest attempts
    decided = {item: (a.submit - attempt.submit, a.decide - attempt.submit)
               for item, a in current.items() if a.decide <= informed}
    offsets = plan_offsets(list(current), stage=lambda i: i.stage,
                           days=lambda i: i.promised_days, key=catalogue_order, fixed=decided,
                           prerequisites=catalogue_prerequisites)
    rows = {a.item: r for a, r in built.worked() if current.get(a.item) is a}
    plan = _plan(ctx, built, 2, ctx.on(built, informed), ctx.on(built, attempt.submit),
                 offsets, rows)
    plan.note = f"“{attempt.item.name}”不予许可后重新申办，调整计划"
    for step in plan.steps:
        if step.approval_item is attempt.item:
            step.note = "重新申办（第2次）"
    if informed + 1 <= built.case.cut:
        _confirm(built, plan, ctx.on(built, informed + 1))
