"""Write the casework after the replay: work log, consultations, escalations (R-6.3–6.7).

The entries a coordinator adds on the casework screens, written from what the replay made
(the states' dates, the items' rows). The first contact's entry is the contact step's own,
and the one-time notices were issued with their 补正 steps (app/seed/items.py).
"""
from __future__ import annotations

import datetime as dt

from app.choices import EscalationTarget, Stage, WorkLogType
from app.models import CommissionItem, Consultation, Escalation, WorkLogEntry
from app.seed.context import Built, DemoContext
from app.seed.timeline import Attempt
from app.states import CommissionState as CS
from app.states import EscalationStatus, ItemState

T = WorkLogType
STATE_LOGS = {
    CS.accepted: (T.guidance, "收到建设单位确认的《委托协办申请表》，核对委托事项及申报材料清单。"),
    CS.in_progress: (T.guidance, "建设单位确认审批进度计划，指导其按阶段准备申报材料。"),
    CS.delivering: (T.other, "审批结果物已统一送达协办专窗，已短信提醒建设单位缴费并领取。"),
    CS.completed: (T.other, "与建设单位确认《协办办结单》，项目资料移交完毕。"),
    CS.terminating: (T.other, "填写《协办委托终止单》，已短信告知建设单位，等待确认。"),
    CS.announced: (T.other, "建设单位逾期未确认终止，已在政务服务网发布公告。"),
    CS.terminated: (T.other, "终止委托生效，相关资料已移交建设单位。"),
}
QUESTIONS = {
    "市自然资源局江城分局": ("总平面布局微调后是否需要重新进行设计方案审查？",
                   "容积率、建筑密度等规划指标不变的，可按方案变更简易程序办理。"),
    "区住房和城乡建设局": ("施工图审查中消防专篇与人防专篇能否合并报审？",
                  "可以，联合审查系统支持合并报审，审查意见一次性出具。"),
    "区发展和改革局": ("项目总投资调整超过10%，是否需要重新备案？",
                "在备案系统办理备案信息变更即可，无需重新备案。"),
    "市生态环境局江城分局": ("项目是否需要开展大气环境专项评价？",
                   "项目不涉及有组织排放的重点污染物，报告表中简要分析即可。"),
    "区农业农村和水利局": ("水土保持方案可否实行承诺制审批？",
                  "符合条件的项目可实行承诺制，提交承诺书后即可出具准予许可决定。"),
    "区人民防空办公室": ("防空地下室面积不足部分能否申请易地建设？",
                 "符合易地建设条件的，可申请易地建设并缴纳防空地下室易地建设费。"),
    "区城市管理和综合执法局": ("建筑垃圾运输单位是否需要提前备案？",
                    "核准时一并提交运输单位资质及车辆清单即可。"),
    "区气象局": ("雷电防护装置设计审核是否需要提供检测报告？",
             "设计审核阶段无需检测报告，竣工验收阶段需提交。"),
}


def write_casework(ctx: DemoContext) -> None:
    """Work log and consultations of every case; the open escalation."""
    for built in ctx.built:
        _work_log(ctx, built)
        for attempt, row in built.worked():
            _consultation(ctx, built, attempt, row)
            _supplement_log(ctx, built, row)
    _correction(ctx)
    _open_escalation(ctx)
    _department_escalation(ctx)


def log(ctx: DemoContext, built: Built, day: dt.date, kind: WorkLogType, content: str,
        item: CommissionItem | None = None) -> WorkLogEntry:
    """Add one work-log entry, written by whoever handled the commission that day."""
    entry = WorkLogEntry(
        commission=built.commission, logged_on=day, author=built.coordinator_on(day),
        entry_type=kind, content=content, commission_item=item,
        recorded_at=ctx.at(day, 17, ctx.rng.randint(0, 59)),
    )
    ctx.session.add(entry)
    return entry


def _work_log(ctx: DemoContext, built: Built) -> None:
    case = built.case
    log(ctx, built, case.first_day, T.guidance,
        "首问接待，介绍协办服务流程，指导填写《委托协办申请表》。")
    for state in case.path[1:]:
        day = case.entered[state]
        if state == CS.planning:   # the contact's own entry is the contact step's
            log(ctx, built, day, T.guidance,
                f"拟定个性化审批进度计划（第1版，共{len(case.items)}个事项），发送建设单位确认。")
        elif state in STATE_LOGS:
            kind, text = STATE_LOGS[state]
            log(ctx, built, day, kind, text)
    for attempt, row in built.worked():
        _item_logs(ctx, built, attempt, row)


def _item_logs(ctx: DemoContext, built: Built, attempt: Attempt, row: CommissionItem) -> None:
    name, department = attempt.item.name, attempt.item.department.name
    if row.submitted_on:
        log(ctx, built, row.submitted_on, T.submission,
            f"协助建设单位向{department}申报“{name}”。", row)
    if row.state == ItemState.approved:
        verdict = "已办结" if attempt.item.stage == Stage.parallel else "已准予许可"
        log(ctx, built, row.decided_on, T.follow_up,
            f"“{name}”{verdict}，取得{row.result_document}。", row)
    if row.unit_informed_on:
        log(ctx, built, row.unit_informed_on, T.follow_up,
            f"“{name}”不予许可，已向建设单位说明原因并协助按要求重新申办。", row)
    if row.state == ItemState.accepted and row.overdue_on and row.overdue_on <= built.now:
        log(ctx, built, min(ctx.cal.add(row.overdue_on, 0), built.now), T.follow_up,
            f"“{name}”已超承诺时限，督促{department}专办员加快办理。", row)


def _consultation(ctx: DemoContext, built: Built, attempt: Attempt, row: CommissionItem) -> None:
    """沟通记录 with the item's specialist, for about a third of the items (R-6.3)."""
    question = QUESTIONS.get(attempt.item.department.name)
    cut = built.case.cut
    if question is None or row.specialist is None or attempt.number != 1 \
            or attempt.accept + 1 > min(cut, attempt.decide) or ctx.rng.random() > 0.35:
        return
    answered = attempt.accept + 2 <= cut
    ctx.session.add(Consultation(
        commission=built.commission, commission_item=row,
        coordinator=built.coordinator_on(ctx.on(built, attempt.accept + 1)),
        specialist=row.specialist, asked_on=ctx.on(built, attempt.accept + 1),
        question=question[0], answer=question[1] if answered else None,
        answered_on=ctx.on(built, attempt.accept + 2) if answered else None,
    ))


def _supplement_log(ctx: DemoContext, built: Built, row: CommissionItem) -> None:
    """The coordinator's entry on the day a 补正 and its one-time notice were issued."""
    if not row.supplements:
        return
    log(ctx, built, row.supplements[0].requested_on, T.guidance,
        f"“{row.approval_item.name}”需补正材料，已出具一次性告知书并指导建设单位补正。", row)


def _correction(ctx: DemoContext) -> None:
    """Entries are never edited: a correction is a new entry pointing at the old one (R-6.4)."""
    for built in ctx.built:
        contact = built.commission.contacted_on
        if contact is None or contact >= built.now:
            continue
        fix = log(ctx, built, ctx.cal.add(contact, 1), T.correction,
                  f"更正：{contact.isoformat()}联系记录中的联系对象应为项目负责人"
                  f"{built.case.project.unit.leader_name}，非项目经办人。")
        fix.corrects = built.contact_entry
        return


def _open_escalation(ctx: DemoContext) -> None:
    """A coordinator escalates a late (or else a slow) item to the window; still open (R-6.7)."""
    running = [(built, row) for built in ctx.built if built.case.target == CS.in_progress
               for _, row in built.worked() if row.state == ItemState.accepted]
    if not running:
        return
    built, row = next(((b, r) for b, r in running if r.overdue_on), running[0])
    raised = min(ctx.cal.add(row.overdue_on, 0), ctx.anchor) if row.overdue_on else ctx.anchor
    _escalate(ctx, built, row, built.coordinator_on(raised), EscalationTarget.window, raised,
              f"“{row.approval_item.name}”办理进度滞后，专办员反馈需其他部门意见，"
              "请协办专窗协调督办。")


def _department_escalation(ctx: DemoContext) -> None:
    """A specialist takes a hard question to the department head; resolved (R-6.7)."""
    done = [(built, attempt, row) for built in ctx.built if built.case.target == CS.completed
            for attempt, row in built.worked() if row.specialist is not None]
    if not done:
        return
    built, attempt, row = next((d for d in done if d[1].supplement), done[0])
    raised = row.supplements[0].requested_on if row.supplements else row.accepted_on
    escalation = _escalate(
        ctx, built, row, row.specialist, EscalationTarget.department_head, raised,
        f"“{row.approval_item.name}”申报材料涉及技术标准理解分歧，提请部门负责人会商。")
    escalation.status = EscalationStatus.resolved
    escalation.resolved_on = min(ctx.cal.add(raised, 2), row.decided_on)
    escalation.resolution = "经部门负责人会商，明确审查标准，建设单位按意见补正。"


def _escalate(ctx: DemoContext, built: Built, row: CommissionItem | None, by, target,
              raised: dt.date, problem: str) -> Escalation:
    escalation = Escalation(commission=built.commission, commission_item=row, raised_by=by,
                            target=target, raised_on=raised, problem=problem,
                            status=EscalationStatus.open)
    ctx.session.add(escalation)
    ctx.escalations.append(escalation)
    return escalation
