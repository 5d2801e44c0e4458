"""Plan the commissions' intake: pre-review, commission, acceptance, coordinator, contact
(R-1.2, R-4, R-5.1, R-5.2).

Nothing here writes what the lifecycle owns: each fact is a step planned on its day
(app/seed/replay.py), run by the replay through the lifecycle's table as its button runs it.
"""
from __future__ import annotations

import datetime as dt

from app.choices import ContactMethod, DelegationScope, KeyProjectLevel
from app.models import ApprovalItem, PreReview, StaffMember
from app.seed.context import Built, DemoContext
from app.seed.people import HEAD, LEAVER, REPLACEMENT
from app.seed.replay import Replay
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
METHOD_TEXT = {"phone": "电话", "wechat": "微信", "sms": "短信", "visit": "上门", "email": "邮件"}


def plan_commissions(ctx: DemoContext, cases: list[Case]) -> list[Built]:
    """Plan every case's intake: the enquiry and its pre-review, the commission opened from
    it, acceptance (or the finding that it is ineligible), the coordinator and the contact."""
    handled: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for case in sorted(cases, key=lambda c: (c.first_day, c.project.name)):
        end = ctx.anchor if case.open else case.last_day
        built = Built(case, _pick_receiver(ctx, case, end, handled), end)
        _plan_intake(ctx, built)
        _plan_coordination(ctx, built)
        ctx.built.append(built)
        # 项目当前进度 on the form: what the latest commission is about.
        case.project.progress = (DONE if case.target == CS.completed else PROGRESS)[case.phase]
    return ctx.built


def _pick_receiver(ctx: DemoContext, case: Case, end: dt.date,
                   handled: dict[str, list[tuple[dt.date, dt.date]]]) -> StaffMember:
    """The coordinator with the fewest open cases that day (the head takes fewer).

    A case still open when the leaver's roster change takes effect goes to him, so that the
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


def _plan_intake(ctx: DemoContext, built: Built) -> None:
    """The enquiry (added on its screen), decided eligible; the commission opened with the
    delegated items; then accepted, or found ineligible before acceptance."""
    case, replay = built.case, ctx.replay
    unit = case.project.unit
    day = case.first_day
    enquiry = dict(
        received_on=day, receiver=built.receiver, project=case.project,
        enquirer_name=unit.handler_name, enquirer_phone=unit.handler_phone,
        enquiry=f"咨询“{case.project.name}”{PHASE_TEXT[case.phase]}阶段审批事项及委托协办条件。",
    )
    exclusion = _exclusion_found_later(built) if case.target == CS.ineligible else None

    def receive(replay: Replay) -> None:
        built.pre_review = PreReview(outcome=PreReviewOutcome.pending, **enquiry)
        replay.session.add(built.pre_review)

    built.plan(replay, day, "pre-review received", receive)
    built.step(replay, day, "pre_review", "decide", lambda: built.pre_review,
               outcome=PreReviewOutcome.eligible.value)
    built.plan(replay, day, "pre_review.open_commission", _opener(ctx, built))
    if exclusion is not None:
        built.plan(replay, case.entered[CS.ineligible], "commission.ineligible", exclusion)
    elif CS.accepted in case.entered:
        built.step(replay, case.entered[CS.accepted], "commission", "accept",
                   applied_on=case.entered[CS.accepted])


def _opener(ctx: DemoContext, built: Built):
    """The open step with the case's items; the commission's modes and the items'
    specialists are then set as their screens set them."""
    case, project, rng = built.case, built.case.project, ctx.rng
    key = project.key_level in (KeyProjectLevel.provincial, KeyProjectLevel.municipal)
    modes = dict(
        mode_special_handling=project.key_level == KeyProjectLevel.provincial,
        mode_priority=key, mode_supervised=key or rng.random() < 0.2,
        mode_proactive=project.investment_kind.value == "government" or rng.random() < 0.3,
        mode_accompanied=rng.random() < 0.25,
    )
    specialists = {item.id: _specialist(ctx, item, case.first_day) for item in case.items}

    def action(replay: Replay) -> None:
        built.commission = commission = replay.step(
            "pre_review", "open_commission", built.pre_review, scope=case.scope.value,
            items=[item.id for item in case.items], intention=_intention(case))
        for name, value in modes.items():
            setattr(commission, name, value)
        for row in commission.items:
            row.specialist = specialists[row.approval_item_id]
            built.rows[(row.approval_item_id, row.attempt or 1)] = row

    return action


def _specialist(ctx: DemoContext, item: ApprovalItem, day: dt.date) -> StaffMember | None:
    people = ctx.roster.specialists_on(day, item.department)
    return ctx.rng.choice(people) if people else None


def _exclusion_found_later(built: Built):
    """An excluded project (Art.2) whose exclusion came to light only after the
    pre-review: the project is recorded as excluded on its screen, and the commission is
    found ineligible before acceptance, the reason in its history."""
    project = built.case.project
    flags = (project.is_special_project, project.is_major_infrastructure)
    project.is_special_project = project.is_major_infrastructure = False
    reason, channel = INELIGIBLE["special" if flags[0] else "major"]

    def action(replay: Replay) -> None:
        project.is_special_project, project.is_major_infrastructure = flags
        replay.step("commission", "ineligible", built.commission,
                    reason=f"经核查，{reason}{channel}")

    return action


def _intention(case: Case) -> str:
    if case.scope == DelegationScope.full:
        return (f"委托协办{PHASE_TEXT[case.phase]}至竣工验收全过程审批事项，"
                f"希望{PHASE_GOAL[case.phase]}。")
    return f"委托协办{PHASE_TEXT[case.phase]}阶段部分审批事项，希望{PHASE_GOAL[case.phase]}。"


def _plan_coordination(ctx: DemoContext, built: Built) -> None:
    """The coordinator (定人) and the first contact with the unit (Art.7). A coordinator
    assigned after the leaver left is his replacement; the leaver's cases still open on
    that day pass to the replacement by the roster change (people.plan_roster)."""
    case, replay = built.case, ctx.replay
    assigned_on = case.entered.get(CS.assigned)
    if assigned_on is None:
        return
    coordinator = built.receiver
    if coordinator.name == LEAVER and assigned_on >= ctx.roster.handover_day:
        coordinator = ctx.roster.by_name(REPLACEMENT)
    built.step(replay, assigned_on, "commission", "assign", coordinator=coordinator.id,
               on=assigned_on)
    contacted_on = case.entered.get(CS.planning)
    if contacted_on is None:
        return
    method = ctx.rng.choice(list(ContactMethod))
    unit = case.project.unit
    built.step(replay, contacted_on, "commission", "contact", method=method.value,
               contacted_on=contacted_on,
               note=f"按约定方式（{METHOD_TEXT[method.value]}）联系项目经办人{unit.handler_name}，"
                    "了解项目进展及审批需求。")


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


def plan_enquiries(ctx: DemoContext) -> None:
    """Enquiries that never became commissions: decided ineligible at the pre-review,
    told why and where to go."""
    for back, name, phone, enquiry, reason, channel in ENQUIRIES:
        day = ctx.cal.add(ctx.anchor, -back)
        receiver = ctx.rng.choice(ctx.roster.coordinators_on(day))
        fields = dict(received_on=day, receiver=receiver, enquirer_name=name,
                      enquirer_phone=phone, enquiry=enquiry, outcome=PreReviewOutcome.pending)
        ctx.replay.at(day, _turned_away(fields, reason, channel), label=f"enquiry {name}")


def _turned_away(fields: dict, reason: str, channel: str):
    def action(replay: Replay) -> None:
        review = PreReview(**fields)
        replay.session.add(review)
        replay.step("pre_review", "decide", review, outcome=PreReviewOutcome.ineligible.value,
                    reason=reason, other_channel=channel)
    return action
