"""The personalised approval plan (审批进度计划, Art.7, R-5.3): generated, versioned, confirmed.

Scheduling rule: the four stages run in order; the items of one stage run side by side
from the stage's first day; the next stage starts the working day after the stage's last
completion. Parallel items (utility connections) run alongside stage 3 (or from the start
when there is no stage-3 item). Durations are the catalogue's promised working days.
Items already decided keep their real dates; a re-plan is a new version, the old ones stay.
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
T = TypeVar("T")


@dataclass(frozen=True)
class Slot:
    """One planned line: the item and its planned submission and completion dates."""

    item: CommissionItem
    submit_on: dt.date
    done_on: dt.date


def current_items(commission: Commission) -> list[CommissionItem]:
    """The latest attempt of each delegated item (a refused attempt re-applied is replaced)."""
    replaced = {item.previous_attempt_id for item in commission.items if item.previous_attempt_id}
    return [item for item in commission.items if item.id not in replaced]


def plan_offsets(items: Iterable[T], *, stage: Callable[[T], Stage], days: Callable[[T], int],
                 key: Callable[[T], Any],
                 fixed: Mapping[T, tuple[int, int]] | None = None) -> dict[T, tuple[int, int]]:
    """The planning rule (module docstring) on plain numbers: (submit, done) of each item, in
    working days from the plan's first working day, in plan order. ``fixed`` holds the
    offsets of items whose dates are already known (decided ones); the next stage starts
    after them as after planned ones. Pure, so the demo seed and the benchmark use it too.
    """
    fixed = fixed or {}
    result: dict[T, tuple[int, int]] = {}
    pool = list(items)
    cursor = parallel_start = 0
    for current in SEQUENTIAL_STAGES:
        stage_items = sorted((i for i in pool if stage(i) == current), key=key)
        if not stage_items:
            continue
        if current == Stage.s3:
            parallel_start = cursor
        latest = cursor
        for item in stage_items:
            result[item] = fixed.get(item) or (cursor, cursor + days(item))
            latest = max(latest, result[item][1])
        cursor = latest + 1
    for item in sorted((i for i in pool if stage(i) == Stage.parallel), key=key):
        result[item] = fixed.get(item) or (parallel_start, parallel_start + days(item))
    return result


def catalogue_order(item: ApprovalItem) -> tuple[int, int]:
    """The order of a stage's items in a plan: the catalogue's sort order."""
    return (item.sort_order, item.id)


def schedule(items: Sequence[CommissionItem], start: dt.date, cal: WorkCalendar) -> list[Slot]:
    """Plan ``items`` from ``start`` (its first working day) by the rule in the module
    docstring; decided items keep their real dates."""
    base = cal.add(start, 0)
    decided = {item: (cal.between(base, item.submitted_on), cal.between(base, item.decided_on))
               for item in items
               if item.state in ITEM_CLOSED and item.submitted_on and item.decided_on}
    offsets = plan_offsets(items, stage=lambda i: i.approval_item.stage,
                           days=lambda i: i.approval_item.promised_days,
                           key=lambda i: catalogue_order(i.approval_item), fixed=decided)
    return [Slot(item, item.submitted_on, item.decided_on) if item in decided
            else Slot(item, cal.add(base, submit), cal.add(base, done))
            for item, (submit, done) in offsets.items()]


PLANNABLE = frozenset({CommissionState.planning, CommissionState.in_progress})


def check_draft_plan(commission: Commission) -> None:
    """Whether a plan (version) may be drafted: the unit was contacted, the case is running."""
    require(commission.state in PLANNABLE,
            _("A plan is drafted after the unit has been contacted."))
    require(bool(current_items(commission)), _("The commission has no delegated item to plan."))


def draft_plan(session: Session, commission: Commission, *, start: dt.date, drafted_on: dt.date,
               cal: WorkCalendar, note: str | None = None, actor: Any = None) -> PlanVersion:
    """Add a new plan version generated from the delegated items (the old versions stay)."""
    check_draft_plan(commission)
    items = current_items(commission)
    last = session.scalar(
        sa.select(sa.func.max(PlanVersion.version)).where(PlanVersion.commission_id == commission.id)
    ) or 0
    plan = PlanVersion(commission=commission, version=last + 1, drafted_on=drafted_on, note=note)
    for sequence, slot in enumerate(schedule(items, start, cal), start=1):
        plan.steps.append(PlanStep(
            sequence=sequence, approval_item=slot.item.approval_item, commission_item=slot.item,
            planned_submit_on=slot.submit_on, planned_done_on=slot.done_on,
        ))
    session.add(plan)
    session.flush()
    notify_unit(session, commission, Template.plan_awaiting_confirmation)
    return plan


def latest_plan(session: Session, commission: Commission) -> PlanVersion | None:
    """The newest plan version of ``commission``."""
    return session.scalars(
        sa.select(PlanVersion).where(PlanVersion.commission_id == commission.id)
        .order_by(PlanVersion.version.desc()).limit(1)
    ).first()


def check_confirm_plan(session: Session, commission: Commission) -> PlanVersion:
    """Whether the unit may confirm a plan now; the plan version it would confirm."""
    require(commission.state in PLANNABLE,
            _("A plan is drafted after the unit has been contacted."))
    plan = latest_plan(session, commission)
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
    if commission.state == CommissionState.planning:
        move_commission(session, commission, CommissionState.in_progress, actor=actor,
                        note=str(_("Plan v%(version)s confirmed by %(who)s",
                                   version=plan.version, who=plan.confirmed_by)))
