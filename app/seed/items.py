"""Plan the plans and the delegated items' steps; write the joint approvals (R-5.3, R-6.1, R-6.2).

Each attempt of the simulated execution (app/seed/timeline.py) becomes the item steps a
coordinator or a specialist takes on its page: submitted, accepted, 补正 requested with
its one-time notice and received, approved or refused, the unit told, re-applied. Plans are
drafted and confirmed by their steps, so their dates are the product's rule; deadlines and
overdue marks are what the steps and the replay's daily sweep compute.
"""
from __future__ import annotations

import datetime as dt

from app.choices import MaterialProblem, Stage
from app.models import (
    ApprovalItem,
    JointApproval,
    MaterialNotice,
)
from app.domain.one_time_notice import Line, set_lines
from app.seed.context import Built, DemoContext
from app.seed.replay import Replay
from app.seed.timeline import Attempt, visible
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


def plan_items(ctx: DemoContext, built: Built) -> None:
    """Plan v1 drafted after the contact (confirmed to start the work), each attempt's
    steps up to the case's cut, and a new plan version after a refusal re-applied."""
    case = built.case
    if CS.planning not in case.entered:
        return
    _plan_first_plan(ctx, built)
    if case.execution is None:
        return
    attempts = visible(case.execution, case.cut)
    for attempt in attempts:
        _plan_attempt(ctx, built, attempt)
    for attempt in attempts:
        if attempt.previous is not None:
            _plan_replan(ctx, built, attempt)


PLAN_NOTE = "按委托事项及承诺时限拟定的个性化审批进度计划"


def _plan_first_plan(ctx: DemoContext, built: Built) -> None:
    case = built.case
    contacted = case.entered[CS.planning]
    start = case.work_start
    if start is None:
        drafted, start = contacted, ctx.cal.add(contacted, 3)
    else:
        drafted = min(ctx.cal.add(contacted, 1), start)
    built.step(ctx.replay, drafted, "commission", "draft_plan", start=start, note=PLAN_NOTE)
    if case.work_start is not None:
        built.step(ctx.replay, start, "commission", "confirm_plan",
                   confirmed_by=case.project.unit.handler_name, confirmed_on=start)


def _plan_attempt(ctx: DemoContext, built: Built, attempt: Attempt) -> None:
    """The steps of one attempt that happened by the case's cut."""
    replay, cut = ctx.replay, built.case.cut

    def row():
        return built.row(attempt)

    def step(offset: int, key: str, **values: object) -> None:
        day = ctx.on(built, offset)
        built.step(replay, day, "item", key, row, **values)

    if attempt.previous is not None:   # re-applied the day the unit was told
        built.plan(replay, ctx.on(built, attempt.previous.informed), "item.reapply",
                   _reapply(built, attempt))
    if attempt.submit > cut:
        return
    step(attempt.submit, "submit", on=ctx.on(built, attempt.submit))
    if attempt.accept > cut:
        return
    step(attempt.accept, "accept", on=ctx.on(built, attempt.accept))
    if attempt.supplement and attempt.supplement[0] <= cut:
        requested, received = attempt.supplement
        day = ctx.on(built, requested)
        built.plan(replay, day, "item.supplement", _supplement(ctx, built, attempt, day))
        if received <= cut:
            step(received, "supplement_in", on=ctx.on(built, received))
    if attempt.decide > cut:
        return
    decided = ctx.on(built, attempt.decide)
    if attempt.outcome == ItemState.approved:
        built.plan(replay, decided, "item.approve", _approve(ctx, built, attempt, decided))
    else:
        step(attempt.decide, "refuse", on=decided, reason=ctx.rng.choice(REFUSAL_REASONS))
        if attempt.informed is not None and attempt.informed <= cut:
            step(attempt.informed, "informed", on=ctx.on(built, attempt.informed))


def _reapply(built: Built, attempt: Attempt):
    def action(replay: Replay) -> None:
        row = replay.step("item", "reapply", built.row(attempt.previous))
        built.rows[(attempt.item.id, attempt.number)] = row
    return action


def _approve(ctx: DemoContext, built: Built, attempt: Attempt, day: dt.date):
    def action(replay: Replay) -> None:
        replay.step("item", "approve", built.row(attempt), on=day,
                    result_document=_result_document(ctx, attempt.item, day))
    return action


def _supplement(ctx: DemoContext, built: Built, attempt: Attempt, day: dt.date):
    """一次性告知书 (R-6.5): every missing material at once, issued on its screen, then the
    补正 step, whose message to the unit lists the notice's materials (R-6.8)."""
    materials = list(attempt.item.materials)
    chosen = ctx.rng.sample(materials, min(len(materials), ctx.rng.randint(1, 2)))
    lines = [(material, ctx.rng.choice(list(MaterialProblem))) for material in chosen or [None]]

    def action(replay: Replay) -> None:
        row = built.row(attempt)
        notice = MaterialNotice(commission=built.commission, issued_on=day,
                                issued_by=built.commission.coordinator,
                                note="请建设单位按本告知书一次性补齐下列材料。")
        # the lines' one writer, as the notice's screen writes them (R-6.5)
        set_lines(notice, [Line(commission_item=row, material=material,
                                material_name="" if material else "补充说明材料",
                                problem=problem, note="请按审批部门意见修改完善后重新提交。")
                           for material, problem in lines])
        replay.session.add(notice)
        replay.step("item", "supplement", row, on=day, note="申报材料需补正，详见一次性告知书。")
    return action


def _plan_replan(ctx: DemoContext, built: Built, attempt: Attempt) -> None:
    """A refusal re-applied changes the plan: a new version drafted the day the unit was
    told, from the day of the re-application; the unit confirms it the next working day
    (R-5.3). The old version stays."""
    informed = attempt.previous.informed
    built.step(ctx.replay, ctx.on(built, informed), "commission", "draft_plan",
               start=ctx.on(built, attempt.submit),
               note=f"“{attempt.item.name}”不予许可后重新申办（第2次），调整计划")
    if informed + 1 <= built.case.cut:
        confirmed = ctx.on(built, informed + 1)
        built.step(ctx.replay, confirmed, "commission", "confirm_plan",
                   confirmed_by=built.case.project.unit.handler_name, confirmed_on=confirmed)


def _result_document(ctx: DemoContext, item: ApprovalItem, day: dt.date) -> str:
    template = RESULT_DOCS.get(item.name)
    seq = ctx.serial(item.name if template else item.department.name)
    if template:
        return template.format(year=day.year, seq=seq)
    short = item.department.short_name or item.department.name
    return f"{item.name}准予许可决定书（{short}许〔{day.year}〕{seq}号）"


def write_joint_approvals(ctx: DemoContext) -> None:
    """竣工联合验收 of the cases that reached it (after the replay)."""
    for built in ctx.built:
        if built.worked():
            _joint_approval(ctx, built)


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
