"""The demo's 60 commissions on paper: which project, which state, which items, which dates.

States are spread over every CommissionState; a project has at most one open commission
(R-4.4), earlier closed commissions of the same project cover earlier phases. Dates are
computed backwards from the anchor date in working days, so every open commission is in
its state "now" and every closed one closed before its successor was asked about.
Pure planning: no database access (the ORM objects are only read).
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from app.choices import DelegationScope, Stage, TerminationReason
from app.domain.policy import ANNOUNCEMENT_WORKING_DAYS
from app.domain.workdays import WorkCalendar
from app.models import ApprovalItem, Project
from app.seed.timeline import Execution, refuse_at_first_stage, simulate
from app.states import CommissionState as CS

# Open commissions not being terminated; the terminating/announced ones are in TERMINATIONS.
OPEN_STATES = {CS.pre_review: 3, CS.accepted: 3, CS.assigned: 3, CS.planning: 3,
               CS.in_progress: 13, CS.delivering: 4}
LAST_COMPLETED, EARLIER_COMPLETED = 2, 17
HISTORY_SIZES = (3,) * 2 + (2,) * 16 + (1,) * 19   # 37 eligible projects, 57 commissions
MAIN_PATH = (CS.pre_review, CS.accepted, CS.assigned, CS.planning, CS.in_progress,
             CS.delivering, CS.completed)
PHASES = ("A", "B", "C")
R = TerminationReason


@dataclass(frozen=True)
class TerminationPlan:
    """How a commission ends early (Art.9): from which state, why, and how it is confirmed."""

    target: CS
    from_state: CS
    reason: TerminationReason
    text: str
    announced: bool = False
    earlier: bool = False


TERMINATIONS = (
    TerminationPlan(CS.terminating, CS.in_progress, R.missing_prerequisites,
                    "用地批准文件尚未取得，前置要件不全，审批无法继续。"),
    TerminationPlan(CS.terminating, CS.planning, R.unit_request,
                    "建设单位调整投资计划，书面申请终止协办委托。"),
    TerminationPlan(CS.announced, CS.in_progress, R.false_declaration,
                    "申报的土地权属证明与不动产登记信息不一致，经核实属虚假申报。", announced=True),
    TerminationPlan(CS.announced, CS.in_progress, R.missing_prerequisites,
                    "经一次性告知后，建设单位逾期未补齐前置要件。", announced=True),
    TerminationPlan(CS.terminated, CS.in_progress, R.not_permitted,
                    "项目选址涉及生态保护红线，依法不予审批。"),
    TerminationPlan(CS.terminated, CS.in_progress, R.missing_prerequisites,
                    "环境影响评价文件未通过审批，前置要件不全。", announced=True),
    TerminationPlan(CS.terminated, CS.planning, R.unit_request,
                    "建设单位决定暂缓建设，申请终止协办委托，待条件成熟后重新申请。", earlier=True),
    TerminationPlan(CS.terminated, CS.assigned, R.force_majeure,
                    "受台风灾害影响，项目场地需重新勘察，审批暂无法继续。", earlier=True),
    TerminationPlan(CS.terminated, CS.planning, R.other,
                    "建设单位股权变更，需以变更后的主体重新提出委托申请。", earlier=True),
)

# Items of each phase (A: 立项用地, B: 工程建设 + 施工许可, C: 竣工验收 + 公共设施接入).
BUILDING_ONLY = {"防空地下室审批", "特殊建设工程消防设计审查", "雷电防护装置设计审核",
                 "特殊建设工程消防验收", "人防工程竣工验收备案", "雷电防护装置竣工验收", "燃气报装",
                 "通信报装"}
PHASE_B = ("建设工程设计方案审查", "建设工程规划许可证", "防空地下室审批", "建筑垃圾处置核准",
           "施工图联合审查", "特殊建设工程消防设计审查", "雷电防护装置设计审核", "建筑工程施工许可证核发")
PHASE_C = ("规划条件核实", "特殊建设工程消防验收", "人防工程竣工验收备案", "雷电防护装置竣工验收",
           "城建档案验收", "竣工联合验收", "竣工验收备案", "城镇污水排入排水管网许可", "供水报装",
           "供电报装", "燃气报装", "通信报装")


@dataclass
class Case:
    """One planned commission and, once scheduled, its dates."""

    project: Project
    target: CS
    phase: str
    scope: DelegationScope
    items: list[ApprovalItem]
    termination: TerminationPlan | None = None
    refuse: ApprovalItem | None = None
    path: list[CS] = field(default_factory=list)
    entered: dict[CS, dt.date] = field(default_factory=dict)
    execution: Execution | None = None
    cut: int | None = None

    @property
    def open(self) -> bool:
        return self.target not in (CS.completed, CS.terminated, CS.ineligible)

    @property
    def first_day(self) -> dt.date:
        return self.entered[CS.pre_review]

    @property
    def last_day(self) -> dt.date:
        return self.entered[self.path[-1]]

    def reached(self, state: CS) -> bool:
        return state in self.entered

    @property
    def work_start(self) -> dt.date | None:
        return self.entered.get(CS.in_progress)


# ---------------------------------------------------------------- which items per phase
def phase_items(phase: str, project: Project,
                catalogue: dict[str, ApprovalItem]) -> list[ApprovalItem]:
    """The catalogue items a project of this kind needs in ``phase``."""
    names = list(_phase_names(phase, project))
    if project.floor_area is None:
        names = [n for n in names if n not in BUILDING_ONLY]
    return sorted((catalogue[n] for n in names), key=lambda i: i.sort_order)


def _phase_names(phase: str, project: Project):
    investment = int(project.total_investment or 0)
    new_land = project.construction_kind.value == "new"
    if phase == "B":
        yield from PHASE_B
        if project.floor_area is None:
            yield "占用、挖掘城市道路许可"
        return
    if phase == "C":
        yield from PHASE_C
        return
    if project.investment_kind.value == "government":
        yield from ("政府投资项目建议书审批", "可行性研究报告审批", "初步设计及概算审批")
        if new_land:
            yield from ("用地预审与选址意见书", "建设用地规划许可证")
    else:
        foreign_large = project.fund_source is not None and \
            project.fund_source.value == "foreign" and investment >= 50000
        yield "企业投资项目核准" if foreign_large else "企业投资项目备案"
        if new_land:
            yield "建设用地规划许可证"
    if investment >= 10000:
        yield "节能审查"
    yield "环境影响报告书审批" if investment >= 30000 else "环境影响报告表审批"
    if new_land:
        yield "水土保持方案审批"


def choose_items(case_phase: str, scope: DelegationScope, project: Project,
                 catalogue: dict[str, ApprovalItem], rng: random.Random,
                 *, no_parallel: bool = False) -> list[ApprovalItem]:
    """Full: every needed item from ``case_phase`` to completion; partial: 2–4 of one phase."""
    if scope == DelegationScope.full:
        phases = PHASES[PHASES.index(case_phase):]
        items = [i for p in phases for i in phase_items(p, project, catalogue)]
    else:
        pool = phase_items(case_phase, project, catalogue)
        items = sorted(rng.sample(pool, min(len(pool), rng.randint(2, 4))),
                       key=lambda i: i.sort_order)
    if no_parallel:
        items = [i for i in items if i.stage != Stage.parallel] or items[:1]
    return items


# ---------------------------------------------------------------- states over projects
def plan_cases(projects: list[Project], catalogue: dict[str, ApprovalItem],
               rng: random.Random) -> list[Case]:
    """Spread the 60 commissions over the 40 projects (R-4.4: one open per project)."""
    excluded = [p for p in projects if p.is_special_project or p.is_major_infrastructure]
    eligible = [p for p in projects if p not in excluded]
    last_slots: list = [s for s, n in OPEN_STATES.items() for _ in range(n)]
    last_slots += [CS.completed] * LAST_COMPLETED
    last_slots += [t for t in TERMINATIONS if not t.earlier]
    earlier_slots: list = [CS.completed] * EARLIER_COMPLETED
    earlier_slots += [t for t in TERMINATIONS if t.earlier]
    rng.shuffle(last_slots)
    rng.shuffle(earlier_slots)
    order = rng.sample(eligible, len(eligible))
    cases = []
    for project, size in zip(order, HISTORY_SIZES):
        history = [earlier_slots.pop() for _ in range(size - 1)] + [last_slots.pop()]
        cases += _project_cases(project, history, catalogue, rng)
    for project in excluded:
        items = phase_items("A", project, catalogue)
        cases.append(Case(project, CS.ineligible, "A", DelegationScope.full, items))
    _choose_refusals(cases, rng)
    return cases


def _project_cases(project: Project, history: list, catalogue: dict[str, ApprovalItem],
                   rng: random.Random) -> list[Case]:
    advances = sum(1 for slot in history[:-1] if slot == CS.completed)
    phase_index = rng.randint(0, len(PHASES) - 1 - advances)
    cases = []
    for position, slot in enumerate(history):
        termination = slot if isinstance(slot, TerminationPlan) else None
        target = termination.target if termination else slot
        last = position == len(history) - 1
        scope = DelegationScope.full if last and rng.random() < 0.6 else DelegationScope.partial
        no_parallel = termination is not None and termination.from_state == CS.in_progress
        phase = PHASES[phase_index]
        items = choose_items(phase, scope, project, catalogue, rng, no_parallel=no_parallel)
        cases.append(Case(project, target, phase, scope, items, termination))
        if target == CS.completed:
            phase_index += 1
    return cases


def _choose_refusals(cases: list[Case], rng: random.Random) -> None:
    """A few commissions meet a refusal that is explained and re-applied (R-6.2)."""
    candidates = [c for c in cases if c.target in (CS.in_progress, CS.delivering, CS.completed)
                  and len(c.items) >= 2]
    for case in rng.sample(candidates, 6):
        case.refuse = rng.choice([i for i in case.items if i.stage != Stage.parallel]
                                 or case.items)


# ---------------------------------------------------------------- dates
def state_path(case: Case) -> list[CS]:
    """The states a commission went through to reach its target."""
    if case.target == CS.ineligible:
        return [CS.pre_review, CS.ineligible]
    plan = case.termination
    if plan is None:
        return list(MAIN_PATH[: MAIN_PATH.index(case.target) + 1])
    path = list(MAIN_PATH[: MAIN_PATH.index(plan.from_state) + 1]) + [CS.terminating]
    if plan.announced:
        path.append(CS.announced)
    if plan.target == CS.terminated:
        path.append(CS.terminated)
    return path


def schedule_cases(cases: list[Case], anchor: dt.date, cal: WorkCalendar, rng: random.Random,
                   *, confirm_days: int) -> None:
    """Give every case its path, execution and dates; a project's cases end to start."""
    by_project: dict[int, list[Case]] = {}
    for case in cases:
        by_project.setdefault(id(case.project), []).append(case)
    # Counting back from the last working day keeps every event on or before the anchor,
    # also when the anchor itself is a weekend or a holiday.
    today = anchor if cal.is_working_day(anchor) else cal.add(anchor, -1)
    for history in by_project.values():
        end = None
        for case in reversed(history):
            _prepare(case, rng)
            if end is None:
                end = cal.add(today, -_recency(case, rng))
            _date_path(case, end, cal, rng, confirm_days)
            end = cal.add(case.first_day, -rng.randint(10, 60))


def _prepare(case: Case, rng: random.Random) -> None:
    case.path = state_path(case)
    if CS.in_progress not in case.path:
        return
    case.execution = simulate(case.items, rng, refuse=case.refuse)
    plan = case.termination
    if plan is not None and plan.from_state == CS.in_progress:
        case.cut = refuse_at_first_stage(case.execution)
    elif case.target == CS.in_progress:
        high = case.execution.length - 1   # at least the last decision is still to come
        case.cut = rng.randint(min(max(1, high // 5), high), high)
    else:
        case.cut = case.execution.length


def _recency(case: Case, rng: random.Random) -> int:
    """Working days between entering the current state and the anchor."""
    choices = {
        CS.pre_review: (0, 4), CS.accepted: (0, 0), CS.assigned: (0, 2), CS.planning: (1, 3),
        CS.delivering: (1, 5), CS.terminating: (1, 3), CS.announced: (1, 9),
        CS.completed: (5, 150), CS.terminated: (5, 150), CS.ineligible: (3, 160),
    }
    if case.target == CS.in_progress:
        return case.cut or 0
    low, high = choices[case.target]
    return rng.randint(low, high)


def _date_path(case: Case, end: dt.date, cal: WorkCalendar, rng: random.Random,
               confirm_days: int) -> None:
    """Walk the path backwards from the day the last state was entered."""
    day = end
    case.entered[case.path[-1]] = day
    for before, after in reversed(list(zip(case.path, case.path[1:]))):
        day = cal.add(day, -_duration(case, before, after, rng, confirm_days))
        case.entered[before] = day


def _duration(case: Case, before: CS, after: CS, rng: random.Random, confirm_days: int) -> int:
    """Working days spent in ``before`` on the way to ``after``."""
    if (before, after) == (CS.in_progress, CS.delivering):
        return case.execution.length + rng.randint(1, 2)
    if (before, after) == (CS.in_progress, CS.terminating):
        return case.cut
    if (before, after) == (CS.assigned, CS.planning):
        return rng.choices((0, 1, 2), weights=(2, 7, 1))[0]   # 2: the contact came late
    if (before, after) == (CS.terminating, CS.announced):
        return confirm_days + rng.randint(1, 2)            # published after the deadline
    if (before, after) == (CS.terminating, CS.terminated):
        return rng.randint(1, confirm_days)
    if (before, after) == (CS.announced, CS.terminated):
        return ANNOUNCEMENT_WORKING_DAYS
    spans = {
        (CS.pre_review, CS.accepted): (1, 4), (CS.pre_review, CS.ineligible): (0, 2),
        (CS.accepted, CS.assigned): (0, 0), (CS.planning, CS.in_progress): (2, 5),
        (CS.delivering, CS.completed): (3, 8), (CS.assigned, CS.terminating): (1, 3),
        (CS.planning, CS.terminating): (1, 3),
    }
    low, high = spans[(before, after)]
    return rng.randint(low, high)
