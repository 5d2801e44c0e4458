"""The personalised approval plan (审批进度计划, Art.7, R-5.3, R-5.5): generated, versioned,
confirmed.

Scheduling rule: the four stages run in order; an item starts on its stage's first day, or
the working day after the last of its prerequisites (catalogue data, within or across
stages) is planned to end, whichever is later; the next stage starts the working day after
the stage's last completion. Parallel items (utility connections) run alongside stage 3 (or
from the start when there is no stage-3 item), after their prerequisites likewise. Durations
are the catalogue's promised working days. Items already decided keep their real dates; a
re-plan is a new version, the old ones stay.

The critical path is the chain of items that fixes the last completion: going back from it,
each item's start is bound either by a prerequisite ending the working day before, or by the
end of an earlier stage. The planned total is the working days from the first planned
submission to the last planned completion.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence, TypeVar

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session

from app.choices import Stage
from app.domain.notices import notify_unit
from app.domain.transitions import move_commission, require
from app.domain.workdays import WorkCalendar
from app.models.commission import Commission
from app.models.items import CommissionItem
from app.models.plan import PlanStep, PlanVersion
from app.models.reference import ApprovalItem
from app.notify.templates import Template
from app.states import ITEM_CLOSED, CommissionState

SEQUENTIAL_STAGES = (Stage.s1, Stage.s2, Stage.s3, Stage.s4)
PLAN_ORDER = SEQUENTIAL_STAGES + (Stage.parallel,)
T = TypeVar("T")


@dataclass(frozen=True)
class Slot:
    """One planned line: the item, its planned submission and completion dates, and whether
    it lies on the plan's critical path (R-5.5)."""

    item: CommissionItem
    submit_on: dt.date
    done_on: dt.date
    critical: bool = False


def current_items(commission: Commission) -> list[CommissionItem]:
    """The latest attempt of each delegated item (a refused attempt re-applied is replaced)."""
    replaced = {item.previous_attempt_id for item in commission.items if item.previous_attempt_id}
    return [item for item in commission.items if item.id not in replaced]


def items_unloaded(commission: Commission) -> Session | None:
    """The session to ask with one statement while ``commission.items`` is not loaded (None
    when it is, or the commission has no session): a case page decides its buttons (拟定计划,
    交付结果) without loading every item and its relations."""
    if "items" not in sa.inspect(commission).unloaded:
        return None
    return sa.orm.object_session(commission)


def has_items(commission: Commission) -> bool:
    """Whether any item was delegated (then some attempt is current: the latest of each chain
    is never replaced)."""
    session = items_unloaded(commission)
    if session is None:
        return bool(commission.items)
    return bool(session.scalar(sa.select(
        sa.exists().where(CommissionItem.commission_id == commission.id))))


def _stage_rank(stage: Stage) -> int:
    """Where a stage's items may start in the stage rule: parallel work starts with stage 3."""
    return SEQUENTIAL_STAGES.index(Stage.s3 if stage == Stage.parallel else stage)


def in_prerequisite_order(items: list[T], prerequisites: Callable[[T], Iterable[T]]) -> list[T]:
    """``items`` (in plan order) so that an item comes after its prerequisites among them;
    a cycle (the catalogue screen refuses one) leaves the rest in plan order."""
    members, done, ordered = set(items), set(), []
    pending = list(items)
    while pending:
        ready = [i for i in pending
                 if all(p in done or p not in members for p in prerequisites(i))] or pending[:1]
        for item in ready:
            ordered.append(item)
            done.add(item)
            pending.remove(item)
    return ordered


def plan_offsets(items: Iterable[T], *, stage: Callable[[T], Stage], days: Callable[[T], int],
                 key: Callable[[T], Any],
                 fixed: Mapping[T, tuple[int, int]] | None = None,
                 prerequisites: Callable[[T], Iterable[T]] | None = None,
                 ) -> dict[T, tuple[int, int]]:
    """The planning rule (module docstring) on plain numbers: (submit, done) of each item, in
    working days from the plan's first working day, in plan order (stage, then ``key``).
    ``fixed`` holds the offsets of items whose dates are already known (decided ones); the
    next stage and the items needing them start after them as after planned ones.
    ``prerequisites`` gives an item's prerequisites (those not among ``items`` are ignored).
    Pure, so the demo seed and the benchmark use it too.
    """
    fixed = fixed or {}
    needs = prerequisites or (lambda _item: ())
    result: dict[T, tuple[int, int]] = {}
    pool = sorted(items, key=lambda i: (PLAN_ORDER.index(stage(i)), key(i)))

    def lay(item: T, earliest: int) -> int:
        if item in fixed:
            result[item] = fixed[item]
        else:
            ends = [result[p][1] + 1 for p in needs(item) if p in result]
            start = max([earliest] + ends)
            result[item] = (start, start + days(item))
        return result[item][1]

    cursor = parallel_start = 0
    for current in SEQUENTIAL_STAGES:
        stage_items = [i for i in pool if stage(i) == current]
        if not stage_items:
            continue
        if current == Stage.s3:
            parallel_start = cursor
        latest = cursor
        for item in in_prerequisite_order(stage_items, needs):
            latest = max(latest, lay(item, cursor))
        cursor = latest + 1
    for item in in_prerequisite_order([i for i in pool if stage(i) == Stage.parallel], needs):
        lay(item, parallel_start)
    return {item: result[item] for item in pool}


def critical_path(offsets: Mapping[T, tuple[int, int]], *, stage: Callable[[T], Stage],
                  prerequisites: Callable[[T], Iterable[T]] | None = None,
                  fixed: Iterable[T] = ()) -> list[T]:
    """The critical path of a plan laid out by ``plan_offsets`` (module docstring), first item
    first. Going back from the last completion: a prerequisite that ends the working day
    before the item starts, else an item of an earlier stage that does; a decided item
    (``fixed``), or the plan's first day, ends the walk."""
    if not offsets:
        return []
    needs = prerequisites or (lambda _item: ())
    fixed = set(fixed)
    last = max(offsets, key=lambda i: offsets[i][1])
    path = [last]
    while path[-1] not in fixed:
        item = path[-1]
        start = offsets[item][0]
        binding = [p for p in needs(item) if p in offsets and offsets[p][1] + 1 == start]
        binding = binding or [
            other for other in offsets
            if stage(other) != Stage.parallel and offsets[other][1] + 1 == start
            and _stage_rank(stage(other)) < _stage_rank(stage(item))]
        if not binding or binding[0] in path:
            break
        path.append(binding[0])
    return path[::-1]


def catalogue_order(item: ApprovalItem) -> tuple[int, int]:
    """The order of a stage's items in a plan: the catalogue's sort order."""
    return (item.sort_order, item.id)


def catalogue_prerequisites(item: ApprovalItem) -> list[ApprovalItem]:
    """An approval item's prerequisites as the catalogue records them (R-5.5)."""
    return list(item.prerequisites)


def prerequisite_problem(item_id: int | None, prerequisites: Iterable[ApprovalItem]) -> str | None:
    """Why ``prerequisites`` cannot be the prerequisites of catalogue item ``item_id`` (None on
    a new item), in Chinese, or None: an item is not its own prerequisite, even by a chain."""
    seen: set[int] = set()
    pending = [(p, [p.name]) for p in prerequisites]
    while pending:
        current, chain = pending.pop()
        if item_id is not None and current.id == item_id:
            return "前置事项不能循环：" + " → ".join(reversed(chain)) + " → 本事项"
        if current.id in seen:
            continue
        seen.add(current.id)
        pending.extend((p, chain + [p.name]) for p in current.prerequisites)
    return None


def schedule(items: Sequence[CommissionItem], start: dt.date, cal: WorkCalendar) -> list[Slot]:
    """Plan ``items`` from ``start`` (its first working day) by the rule in the module
    docstring; decided items keep their real dates; the critical path is marked."""
    base = cal.add(start, 0)
    decided = {item: (cal.between(base, item.submitted_on), cal.between(base, item.decided_on))
               for item in items
               if item.state in ITEM_CLOSED and item.submitted_on and item.decided_on}
    by_catalogue = {item.approval_item: item for item in items}

    def needs(item: CommissionItem) -> list[CommissionItem]:
        return [by_catalogue[p] for p in catalogue_prerequisites(item.approval_item)
                if p in by_catalogue]

    def stage(item: CommissionItem) -> Stage:
        return item.approval_item.stage

    offsets = plan_offsets(items, stage=stage, days=lambda i: i.approval_item.promised_days,
                           key=lambda i: catalogue_order(i.approval_item), fixed=decided,
                           prerequisites=needs)
    critical = set(critical_path(offsets, stage=stage, prerequisites=needs, fixed=decided))
    return [Slot(item, item.submitted_on, item.decided_on, item in critical) if item in decided
            else Slot(item, cal.add(base, submit), cal.add(base, done), item in critical)
            for item, (submit, done) in offsets.items()]


def total_days(slots: Sequence[Slot], cal: WorkCalendar) -> int:
    """The plan's total in working days: first planned submission to last completion."""
    if not slots:
        return 0
    return cal.between(min(s.submit_on for s in slots), max(s.done_on for s in slots))


PLANNABLE = frozenset({CommissionState.planning, CommissionState.in_progress})


def check_draft_plan(commission: Commission) -> None:
    """Whether a plan (version) may be drafted: the unit was contacted, the case is running."""
    require(commission.state in PLANNABLE,
            _("A plan is drafted after the unit has been contacted."))
    require(has_items(commission), _("The commission has no delegated item to plan."))


def draft_plan(session: Session, commission: Commission, *, start: dt.date, drafted_on: dt.date,
               cal: WorkCalendar, note: str | None = None, actor: Any = None) -> PlanVersion:
    """Add a new plan version generated from the delegated items (the old versions stay)."""
    check_draft_plan(commission)
    items = current_items(commission)
    last = latest_plan(commission)
    slots = schedule(items, start, cal)
    plan = PlanVersion(commission=commission, version=last.version + 1 if last else 1,
                       drafted_on=drafted_on, note=note, total_days=total_days(slots, cal))
    for sequence, slot in enumerate(slots, start=1):
        plan.steps.append(PlanStep(
            sequence=sequence, approval_item=slot.item.approval_item, commission_item=slot.item,
            planned_submit_on=slot.submit_on, planned_done_on=slot.done_on,
            critical=slot.critical,
        ))
    session.add(plan)
    session.flush()
    notify_unit(session, commission, Template.plan_awaiting_confirmation)
    return plan


def hold_plan(commission: Commission, plan: PlanVersion) -> None:
    """Write the confirmed plan's dates onto the current attempt of each planned item: the
    yardstick of plan against actual on 督办 (R-5.6, app/domain/slips.py)."""
    steps = {step.approval_item_id: step for step in plan.steps}
    for item in current_items(commission):
        step = steps.get(item.approval_item_id)
        item.planned_submit_on = step.planned_submit_on if step else None
        item.planned_done_on = step.planned_done_on if step else None


def latest_plan(commission: Commission) -> PlanVersion | None:
    """The newest plan version of ``commission``."""
    versions = commission.plan_versions
    return versions[-1] if versions else None


def confirmed_plan(commission: Commission) -> PlanVersion | None:
    """The newest plan version the unit confirmed, the one actual dates are held against."""
    return next((plan for plan in reversed(commission.plan_versions)
                 if plan.confirmed_on is not None), None)


def check_confirm_plan(session: Session, commission: Commission) -> PlanVersion:
    """Whether the unit may confirm a plan now; the plan version it would confirm."""
    require(commission.state in PLANNABLE,
            _("A plan is drafted after the unit has been contacted."))
    plan = latest_plan(commission)
    require(plan is not None, _("Draft a plan first."))
    require(plan.confirmed_on is None, _("This plan version is already confirmed."))
    return plan


def confirm_plan(session: Session, commission: Commission, plan: PlanVersion, *,
                 confirmed_by: str, confirmed_on: dt.date, actor: Any = None) -> None:
    """The unit confirms a plan version; the first confirmation starts the work (R-5.3)."""
    require(plan.commission_id == commission.id, _("This plan belongs to another commission."))
    require(plan.confirmed_on is None, _("This plan version is already confirmed."))
    newest = check_confirm_plan(session, commission)
    require(newest.id == plan.id, _("Only the newest plan version can be confirmed."))
    require(bool(confirmed_by and confirmed_by.strip()), _("Say who confirmed the plan."))
    require(confirmed_on >= plan.drafted_on, _("A plan cannot be confirmed before it was drafted."))
    plan.confirmed_on = confirmed_on
    plan.confirmed_by = confirmed_by.strip()
    commission.plan_confirmed_on = confirmed_on
    hold_plan(commission, plan)
    if commission.state == CommissionState.planning:
        move_commission(session, commission, CommissionState.in_progress, actor=actor,
                        note=str(_("Plan v%(version)s confirmed by %(who)s",
                                   version=plan.version, who=plan.confirmed_by)))
