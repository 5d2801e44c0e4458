"""Write the supervision records: meetings, revisits, assessments (R-7, R-13.2, R-13.3)."""
from __future__ import annotations

import datetime as dt
import decimal
from collections import Counter

from app.choices import (
    ContactMethod,
    EscalationTarget,
    MeetingKind,
    Rating,
    StaffRole,
    WorkLogType,
)
from app.domain import meetings, revisits
from app.domain.assessment_period import Entry, period_rows, save_period
from app.models import (
    CoordinationMeeting,
    Department,
    MeetingActionItem,
    Revisit,
    StaffMember,
)
from app.seed.casework import _escalate, log
from app.seed.context import Built, DemoContext
from app.seed.people import HEAD
from app.states import CommissionState as CS
from app.states import EscalationStatus

# (working days before the anchor, kind)
MEETINGS = ((150, MeetingKind.joint), (118, MeetingKind.coordination),
            (92, MeetingKind.coordination), (61, MeetingKind.joint),
            (33, MeetingKind.coordination), (9, MeetingKind.coordination))
JOINT_ISSUES = ("1. 通报协办服务开展情况及超时限事项；\n2. 研究施工图联合审查与消防设计审查衔接问题；\n"
                "3. 部署协办员、专办员业务培训。")
JOINT_DECISIONS = ("1. 各审批部门对超时限事项逐项说明原因并限期办结；\n"
                   "2. 消防设计审查意见纳入施工图联合审查一次性出具；\n3. 下季度组织专题业务培训。")
OPINIONS = {
    Rating.very_satisfied: "协办员全程跟踪，材料一次性告知清楚，办理速度快。",
    Rating.satisfied: "服务热情，审批进度反馈及时。",
    Rating.basically_satisfied: "总体满意，个别事项等待时间较长。",
    Rating.dissatisfied: "个别事项多次补正材料，进度反馈不够及时。",
}


def write_supervision(ctx: DemoContext) -> None:
    """Meetings, revisits and the two assessments of the third quarter."""
    numbers: Counter = Counter()
    for back, kind in MEETINGS:
        numbers[kind] += 1
        _meeting(ctx, ctx.cal.add(ctx.anchor, -back), kind, numbers[kind])
    _meeting_escalation(ctx)
    _revisits(ctx)
    _assessments(ctx)


def _working_on(built: Built, day: dt.date) -> bool:
    """Was the commission in progress (plan confirmed, work not finished) on ``day``?"""
    case = built.case
    start = case.work_start
    if start is None or start > day:
        return False
    after = case.path.index(CS.in_progress) + 1
    return after >= len(case.path) or day < case.entered[case.path[after]]


def _meeting(ctx: DemoContext, day: dt.date, kind: MeetingKind, number: int) -> None:
    """A 协调会议 about a few commissions, or the standing 联席会议 (R-7.1)."""
    head = ctx.roster.by_name(HEAD)
    working = [b for b in ctx.built if _working_on(b, day)]
    discussed = ctx.rng.sample(working, min(len(working), 4 if kind == MeetingKind.joint else 3))
    departments = _departments(ctx, discussed, kind, day)
    meeting = CoordinationMeeting(
        kind=kind, held_on=day, convener=head,
        place="区政务服务中心三楼会议室" if kind == MeetingKind.joint else "区政务服务大厅协办专窗洽谈室",
        title=f"工程建设项目协办联席会议（{day.year}年第{number}次）" if kind == MeetingKind.joint
        else f"工程建设项目审批协调会（{day.year}年第{number}期）",
    )
    meeting.issues, meeting.decisions = (JOINT_ISSUES, JOINT_DECISIONS) \
        if kind == MeetingKind.joint else _topics(ctx, discussed, day)
    meeting.departments = departments
    meeting.attendees = _attendees(ctx, day, head, discussed, departments)
    meeting.commissions = [b.commission for b in discussed]
    meeting.projects = list(dict.fromkeys(b.case.project for b in discussed))
    _action_items(ctx, meeting, day)
    ctx.session.add(meeting)
    for built in discussed:
        log(ctx, built, day, WorkLogType.coordination,
            f"参加{meeting.title}，研究解决项目审批中的问题。")
    if kind == MeetingKind.coordination:
        ctx.meetings.append((meeting, discussed))


def _departments(ctx: DemoContext, discussed: list[Built], kind: MeetingKind,
                 day: dt.date) -> list[Department]:
    """The joint meeting gathers every department with specialists; a coordination meeting
    the departments of the items under discussion."""
    if kind == MeetingKind.joint:
        return [d for d in ctx.departments.values()
                if d.runs_window or any(m.department is d and m.role == StaffRole.specialist
                                        for m in ctx.roster.members)]
    chosen = [_item_on(ctx, b, day).department for b in discussed]
    return list(dict.fromkeys([ctx.window] + chosen))


def _attendees(ctx: DemoContext, day: dt.date, head: StaffMember, discussed: list[Built],
               departments: list[Department]) -> list[StaffMember]:
    people = [head] + [b.coordinator_on(day) for b in discussed]
    for department in departments:
        people += ctx.roster.specialists_on(day, department)
    return list(dict.fromkeys(people))


# (issue, decision) about the item a commission was waiting for on the meeting day.
TOPICS = (
    ("“{item}”审查中{department}与相关部门意见不一致，需统一审查口径。",
     "以{department}意见为主，相关部门3个工作日内会签，协办员跟踪督办。"),
    ("“{item}”申报材料多次补正，建设单位对补正要求存在疑问。",
     "由{department}专办员一次性说明补正要求，协办员指导建设单位5个工作日内补齐。"),
    ("“{item}”办理进度滞后于审批进度计划，需协调加快审查。",
     "{department}明确专人加快审查，在承诺时限内办结，协办专窗跟踪督办。"),
)


def _topics(ctx: DemoContext, discussed: list[Built], day: dt.date) -> tuple[str, str]:
    """The meeting's issues and decisions, one numbered line per commission discussed."""
    if not discussed:
        return ("1. 梳理在办项目审批进度，研究跨部门审查意见衔接问题。",
                "1. 各部门按承诺时限办结在办事项，协办员跟踪督办。")
    issues, decisions = [], []
    for number, built in enumerate(discussed, start=1):
        item = _item_on(ctx, built, day)
        issue, decision = ctx.rng.choice(TOPICS)
        fields = {"item": item.name, "department": item.department.name}
        issues.append(f"{number}. {built.case.project.name}：{issue.format(**fields)}")
        decisions.append(f"{number}. {built.case.project.name}：{decision.format(**fields)}")
    return "\n".join(issues), "\n".join(decisions)


def _item_on(ctx: DemoContext, built: Built, day: dt.date):
    """The approval item the commission was waiting for on ``day`` (else the next one)."""
    offset = ctx.cal.between(built.case.work_start, day)
    attempts = [a for a, _ in built.worked()]
    running = [a for a in attempts if a.accept <= offset < a.decide]
    upcoming = sorted((a for a in attempts if a.submit > offset), key=lambda a: a.submit)
    chosen = max(running, key=lambda a: a.item.promised_days) if running else \
        (upcoming[0] if upcoming else attempts[-1])
    return chosen.item


def _action_items(ctx: DemoContext, meeting: CoordinationMeeting, day: dt.date) -> None:
    """Two action items due 5 working days after the meeting (counted as the screen counts
    them), marked done as its button marks them when that day has passed."""
    owners = meeting.attendees[1:] or meeting.attendees
    tasks = ("按会议意见出具书面审查意见", "跟踪落实会议决定事项并反馈进度")
    for task in tasks:
        item = MeetingActionItem(description=task, owner=ctx.rng.choice(owners),
                                 due_on=meetings.due_after_meeting(day, 5, ctx.cal))
        meeting.action_items.append(item)
        if item.due_on <= ctx.anchor:
            meetings.mark_done(item, on=ctx.cal.add(day, ctx.rng.randint(1, 5)))


def _meeting_escalation(ctx: DemoContext) -> None:
    """A problem a coordinator escalated to the window, resolved by a meeting (R-6.7)."""
    for meeting, discussed in ctx.meetings:
        if discussed:
            built, day = discussed[0], meeting.held_on
            raised = max(ctx.cal.add(day, -2), built.case.work_start)
            escalation = _escalate(
                ctx, built, None, built.coordinator_on(raised), EscalationTarget.window, raised,
                "多个审批部门对同一技术问题意见不一致，需协办专窗组织协调。")
            escalation.status = EscalationStatus.resolved
            escalation.resolved_on = day
            escalation.resolution = f"经{meeting.title}研究，统一审查标准，各部门按会议纪要办理。"
            return


def _revisits(ctx: DemoContext) -> None:
    """回访 of completed commissions; the one bad rating opens a rectification (R-13.2)."""
    head = ctx.roster.by_name(HEAD)
    last_day = ctx.cal.add(ctx.anchor, -5)
    done = sorted((b for b in ctx.built if b.case.target == CS.completed
                   and b.commission.completed_on <= last_day),
                  key=lambda b: (b.commission.completed_on, b.case.project.name))
    for position, built in enumerate(done):
        rating = Rating.dissatisfied if position == 0 else ctx.rng.choices(
            (Rating.very_satisfied, Rating.satisfied, Rating.basically_satisfied),
            weights=(6, 3, 1))[0]
        unit = built.case.project.unit
        revisit = Revisit(
            commission=built.commission, rating=rating, visitor=head,
            visited_on=ctx.cal.add(built.commission.completed_on, ctx.rng.randint(2, 5)),
            method=ctx.rng.choice((ContactMethod.phone, ContactMethod.visit, ContactMethod.wechat)),
            person_reached=unit.leader_name, opinions=OPINIONS[rating],
            follow_up="已约谈协办员并制定整改措施。" if rating.is_bad else None,
        )
        ctx.session.add(revisit)
        ctx.revisits.append(revisit)
        # a bad rating opens its rectification, as the revisit screen saves it
        rectification = revisits.open_rectification(ctx.session, revisit)
        if rectification is not None:   # ... then filled in on its screen
            feedback = ctx.cal.add(revisit.visited_on, 5)
            rectification.measures = "约谈协办员，完善材料预审和进度反馈机制；对补正事项逐项复盘。"
            if feedback <= ctx.anchor:
                rectification.verified_by, rectification.feedback_on = HEAD, feedback
                rectification.closed = True


def last_quarter(anchor: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar quarter before the one containing ``anchor``."""
    first_month = 3 * ((anchor.month - 1) // 3) + 1
    end = dt.date(anchor.year, first_month, 1) - dt.timedelta(days=1)
    return dt.date(end.year, end.month - 2, 1), end


def _assessments(ctx: DemoContext) -> None:
    """考核评价 of the last quarter, saved as the assessment screen saves it (R-13.3): the
    figures and the 通报 flag are the product's (app/domain/assessment*.py); only the
    supervisor's score and remarks are the demo's."""
    start, end = last_quarter(ctx.anchor)
    ctx.session.flush()
    remarks = (f"{start.year}年第{(start.month + 2) // 3}季度考核：指标由系统统计，"
               "得分经协办专窗负责人评定。")
    entries = {row.key: Entry(_score(row.values), remarks)
               for row in period_rows(ctx.session, start, end)
               if row.values["commissions_handled"]}
    save_period(ctx.session, start, end, entries, today=ctx.anchor)


def _score(values: dict) -> decimal.Decimal:
    """The head's score: mostly the on-time rate, the rest the units' ratings."""
    rate = values["on_time_rate"] or decimal.Decimal(80)
    rating = values["average_rating"] or decimal.Decimal(4)
    return min(decimal.Decimal(100), rate * decimal.Decimal("0.7") + rating * 6).quantize(
        decimal.Decimal("0.01"))
