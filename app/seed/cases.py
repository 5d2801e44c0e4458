"""Write the planned commissions: pre-review, commission, history, coordinators (R-1.2, R-4, R-5.1).

Every field a lifecycle step sets is set exactly when the commission's path went through that
step, with the step's date, as the domain functions of app/domain/ would have set it.
"""
from __future__ import annotations

import datetime as dt

from app.choices import ContactMethod, DelegationScope, KeyProjectLevel
from app.domain import definitions
from app.domain.deadlines import contact_due_on
from app.domain.numbering import next_application_no
from app.models import (
    Commission,
    CommissionStateChange,
    CoordinatorAssignment,
    PreReview,
    StaffMember,
)
from app.seed.context import Built, DemoContext
from app.seed.people import HEAD, LEAVER, REPLACEMENT
from app.seed.scenario import Case
from app.states import CommissionState as CS
from app.states import PreReviewOutcome

PHASE_TEXT = {"A": "立项用地规划许可", "B": "工程建设许可和施工许可", "C": "竣工验收和公共设施接入"}
PROGRESS = {"A": "正在开展前期工作，办理立项和用地规划许可手续。",
            "B": "已完成立项和用地规划许可，正在办理工程建设许可和施工许可。",
            "C": "主体工程已完工，正在办理竣工验收和公共设施接入。"}
DONE = {"A": "已取得立项和用地规划许可，正在开展方案设计。",
        "B": "已取得施工许可，项目已开工建设。", "C": "已完成竣工验收备案，投入使用。"}
PHASE_GOAL = {"A": "尽快取得建设用地规划许可", "B": "尽快取得施工许可、按期开工",
              "C": "按期完成竣工验收备案并通水通电"}
INELIGIBLE = {
    "major": ("属交通、水利、能源等领域的重大工程，依《实施办法》第二条不纳入协办服务范围。",
              "指引至市级行业主管部门及省重点项目审批服务专班办理。"),
    "special": ("属特殊工程（应急抢险救灾工程），依《实施办法》第二条不纳入协办服务范围。",
                "指引按应急抢险救灾工程有关规定，向区应急管理局和区住建局办理。"),
}
HISTORY_NOTES = {
    CS.pre_review: "咨询预审，首问负责人：{receiver}",
    CS.ineligible: "不符合协办条件，已现场告知原因并指引其他办理途径",
    CS.accepted: "收到建设单位确认的《委托协办申请表》",
    CS.assigned: "分派协办员：{coordinator}",
    CS.planning: "已按约定方式联系建设单位",
    CS.in_progress: "建设单位确认审批进度计划",
    CS.delivering: "审批结果物已统一送达协办专窗",
    CS.completed: "《协办办结单》经双方确认",
    CS.terminating: "填写《协办委托终止单》，已短信告知建设单位",
    CS.announced: "建设单位逾期未确认，已在政务服务网发布公告",
    CS.terminated: "终止委托生效",
}


def write_cases(ctx: DemoContext, cases: list[Case]) -> list[Built]:
    """Add a pre-review, commission, history and assignments for every case."""
    handled: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for case in sorted(cases, key=lambda c: (c.first_day, c.project.name)):
        end = ctx.anchor if case.open else case.last_day
        receiver = _pick_receiver(ctx, case, end, handled)
        built = Built(case, _commission(ctx, case), receiver, end)
        built.commission.pre_review = _pre_review(ctx, case, receiver)
        _assign(ctx, built)
        _history(ctx, built)
        ctx.built.append(built)
        # 项目当前进度 on the form: what the latest commission is about.
        case.project.progress = (DONE if case.target == CS.completed else PROGRESS)[case.phase]
    _number(ctx)
    return ctx.built


def _pick_receiver(ctx: DemoContext, case: Case, end: dt.date,
                   handled: dict[str, list[tuple[dt.date, dt.date]]]) -> StaffMember:
    """The coordinator with the fewest open cases that day (the head takes fewer).

    A case still open when the leaver's transfer takes effect goes to him, so that the
    demo shows the hand-over of his cases (人员报备, R-2.3, R-5.1).
    """
    day = case.first_day
    people = ctx.roster.coordinators_on(day)
    leaver = ctx.roster.by_name(LEAVER)
    if leaver in people and end >= ctx.roster.handover_day and CS.assigned in case.entered:
        person = leaver
    else:
        load = {p.name: sum(1 for start, stop in handled.get(p.name, ()) if start <= day <= stop)
                * (3 if p.name == HEAD else 1) for p in people}
        lowest = min(load.values())
        person = ctx.rng.choice([p for p in people if load[p.name] == lowest])
    handled.setdefault(person.name, []).append((day, end))
    return person


def _pre_review(ctx: DemoContext, case: Case, receiver: StaffMember) -> PreReview:
    unit = case.project.unit
    row = PreReview(
        received_on=case.first_day, receiver=receiver, project=case.project,
        enquirer_name=unit.handler_name, enquirer_phone=unit.handler_phone,
        enquiry=f"咨询“{case.project.name}”{PHASE_TEXT[case.phase]}阶段审批事项及委托协办条件。",
        outcome=PreReviewOutcome.eligible,
    )
    if case.target == CS.ineligible:
        kind = "special" if case.project.is_special_project else "major"
        row.outcome = PreReviewOutcome.ineligible
        row.ineligible_reason, row.other_channel = INELIGIBLE[kind]
    ctx.session.add(row)
    return row


def _commission(ctx: DemoContext, case: Case) -> Commission:
    project, rng, entered = case.project, ctx.rng, case.entered
    key = project.key_level in (KeyProjectLevel.provincial, KeyProjectLevel.municipal)
    applied = entered.get(CS.accepted)
    commission = Commission(
        project=project, scope=case.scope, state=case.target, intention=_intention(case),
        delegated_items_text="、".join(i.name for i in case.items),
        mode_special_handling=project.key_level == KeyProjectLevel.provincial,
        mode_priority=key, mode_supervised=key or rng.random() < 0.2,
        mode_proactive=project.investment_kind.value == "government" or rng.random() < 0.3,
        mode_accompanied=rng.random() < 0.25,
        applied_on=applied, assigned_on=entered.get(CS.assigned),
        # the contact deadline runs from acceptance, assigned or not
        contact_due_on=contact_due_on(applied, ctx.cal) if applied is not None else None,
        contacted_on=entered.get(CS.planning),
        contact_method=rng.choice(list(ContactMethod)) if CS.planning in entered else None,
        completed_on=entered.get(CS.completed), terminated_on=entered.get(CS.terminated),
    )
    commission.contact_overdue_on = _contact_overdue_on(ctx, case, commission)
    ctx.session.add(commission)
    return commission


def _intention(case: Case) -> str:
    if case.scope == DelegationScope.full:
        return (f"委托协办{PHASE_TEXT[case.phase]}至竣工验收全过程审批事项，"
                f"希望{PHASE_GOAL[case.phase]}。")
    return f"委托协办{PHASE_TEXT[case.phase]}阶段部分审批事项，希望{PHASE_GOAL[case.phase]}。"


def _contact_overdue_on(ctx: DemoContext, case: Case,
                        commission: Commission) -> dt.date | None:
    """The stamp the daily deadline sweep would have left (app/domain/definitions.py): the
    commission waited for its contact until it was made or its termination began (R-5.2)."""
    stopped = commission.contacted_on or case.entered.get(CS.terminating)
    return definitions.overdue_stamp(commission.contact_due_on, stopped, ctx.anchor)


def _assign(ctx: DemoContext, built: Built) -> None:
    """The coordinator (定人), and the hand-over when the leaver's transfer takes effect."""
    case, commission = built.case, built.commission
    assigned_on = case.entered.get(CS.assigned)
    if assigned_on is None:
        return
    leaver, replacement = ctx.roster.by_name(LEAVER), ctx.roster.by_name(REPLACEMENT)
    handover = ctx.roster.handover_day
    first = built.receiver
    if first is leaver and assigned_on >= handover:
        first = replacement
    built.assignments.append(CoordinatorAssignment(commission=commission, staff=first,
                                                   assigned_on=assigned_on))
    commission.coordinator = first
    if first is leaver and built.now >= handover:
        built.assignments[0].ended_on = handover
        built.assignments[0].reason = "原协办员调离（人员报备），在办项目移交接替人员"
        built.assignments.append(CoordinatorAssignment(
            commission=commission, staff=replacement, assigned_on=handover,
            reason=f"接替调离的协办员{LEAVER}"))
        commission.coordinator = replacement
    ctx.session.add_all(built.assignments)


def _history(ctx: DemoContext, built: Built) -> None:
    """One CommissionStateChange per step taken, at the step's date (UTC+8 office hours)."""
    previous = None
    for position, state in enumerate(built.case.path):
        day = built.case.entered[state]
        note = HISTORY_NOTES[state].format(
            receiver=built.receiver.name,
            coordinator=built.assignments[0].staff.name if built.assignments else "",
        )
        ctx.session.add(CommissionStateChange(
            commission=built.commission, from_state=previous, to_state=state,
            changed_at=ctx.at(day, 9 + position, ctx.rng.randint(0, 50)), note=note,
        ))
        previous = state


def _number(ctx: DemoContext) -> None:
    """申请编号 in order of acceptance, drawn as intake.accept draws them (R-4.2)."""
    accepted = sorted(
        (b for b in ctx.built if b.commission.applied_on),
        key=lambda b: (b.commission.applied_on, b.case.first_day, b.case.project.name),
    )
    for built in accepted:
        built.commission.application_no = next_application_no(
            ctx.session, built.commission.applied_on.year, ctx.number_format)


# Enquiries turned away at the pre-review, with the reason and the other channel.
# (working days before the anchor, enquirer, phone, enquiry, reason, other channel)
ENQUIRIES = (
    (95, "陈先生", "13827650913", "咨询阳东区北惯镇厂房新建项目能否委托协办。",
     "项目位于阳东区，不属江城区辖区（第二条）。",
     "指引至阳东区政务服务中心工程建设项目审批服务窗口办理。"),
    (60, "林女士", "15917839250", "咨询城西街道农村村民自建住房报建能否委托协办。",
     "农村村民自建住房不属于工程建设项目审批协办范围。",
     "指引至所在街道办事处办理农村宅基地和建房（规划许可）审批。"),
    (34, "黄经理", "13680228461", "咨询海上风电场陆上集控中心项目委托协办。",
     "属能源领域重大工程，依《实施办法》第二条不纳入协办服务范围。",
     "指引至市发展和改革局及省重点项目审批服务专班办理。"),
    (7, "吴工", "18820417732", "咨询能否委托协办专窗代为编制环境影响评价文件。",
     "环境影响评价文件编制属中介技术服务，不属审批事项，不能委托协办（第二条）。",
     "指引至广东省网上中介服务超市自主选取中介服务机构。"),
)


def write_enquiries(ctx: DemoContext) -> None:
    """Pre-reviews that never became commissions: ineligible, told why and where to go."""
    for back, name, phone, enquiry, reason, channel in ENQUIRIES:
        day = ctx.cal.add(ctx.anchor, -back)
        ctx.session.add(PreReview(
            received_on=day, receiver=ctx.rng.choice(ctx.roster.coordinators_on(day)),
            enquirer_name=name, enquirer_phone=phone, enquiry=enquiry,
            outcome=PreReviewOutcome.ineligible, ineligible_reason=reason, other_channel=channel,
        ))
