"""How one delegated item list plays out in time: the plan and what actually happened (pure).

Offsets are working days counted from the day the unit confirmed the plan (the work start).
The *plan* is the product's own (app.domain.planning.plan_offsets, the rule ``schedule``
applies); the *execution* walks the stages in the same order but with what real cases
show: a day or two of preparation before submitting, early and late decisions, supplements
(补正, the clock stops), and refusals re-applied as new attempts.
Nothing here touches the database, so the consistency of the demo can be reasoned about
(and tested) on plain numbers.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from app.choices import Stage
from app.domain.planning import (
    SEQUENTIAL_STAGES,
    catalogue_order,
    catalogue_prerequisites,
    plan_offsets,
)
from app.models import ApprovalItem
from app.states import ItemState

# In reality some items of one stage wait for another (the plan's rule runs them side by
# side): the execution submits them only after their prerequisite was decided.
PREREQUISITES = {
    "可行性研究报告审批": "政府投资项目建议书审批",
    "初步设计及概算审批": "可行性研究报告审批",
    "建设用地规划许可证": "用地预审与选址意见书",
    "建设工程规划许可证": "建设工程设计方案审查",
    "建筑工程施工许可证核发": "施工图联合审查",
    "竣工验收备案": "竣工联合验收",
}
SUPPLEMENT_RATE = 0.12
LATE_RATE = 0.12


@dataclass
class Attempt:
    """One attempt at one item, as offsets from the work start."""

    item: ApprovalItem
    number: int
    submit: int
    accept: int
    decide: int
    outcome: ItemState = ItemState.approved
    supplement: tuple[int, int] | None = None
    informed: int | None = None
    previous: "Attempt | None" = None

    def exists_at(self, cut: int) -> bool:
        """A re-application exists once the unit was told about the refusal."""
        return self.previous is None or (self.previous.informed or 0) <= cut

    def state_at(self, cut: int) -> ItemState:
        """The item state at offset ``cut`` (events on ``cut`` itself have happened)."""
        if cut < self.submit:
            return ItemState.pending
        if cut < self.accept:
            return ItemState.submitted
        if cut < self.decide:
            if self.supplement and self.supplement[0] <= cut < self.supplement[1]:
                return ItemState.supplementing
            return ItemState.accepted
        return self.outcome


@dataclass
class Execution:
    """The plan and the attempts of one commission's items."""

    planned: dict[ApprovalItem, tuple[int, int]]
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def length(self) -> int:
        """Offset of the last decision (0 for an empty list)."""
        return max((a.decide for a in self.attempts), default=0)

    def first_group_end(self) -> int:
        """Offset at which the first stage's items are all decided."""
        first = _stages_present(a.item for a in self.attempts)[0]
        return max(a.decide for a in self.attempts if a.item.stage == first)


def _stages_present(items: Iterable[ApprovalItem]) -> list[Stage]:
    stages = {i.stage for i in items}
    return [s for s in SEQUENTIAL_STAGES if s in stages] or [Stage.parallel]


def planned_offsets(items: Sequence[ApprovalItem]) -> dict[ApprovalItem, tuple[int, int]]:
    """(submit, done) offsets of the plan: the product's own rule, app.domain.planning."""
    return plan_offsets(items, stage=lambda i: i.stage, days=lambda i: i.promised_days,
                        key=catalogue_order, prerequisites=catalogue_prerequisites)


def simulate(items: Sequence[ApprovalItem], rng: random.Random, *,
             refuse: ApprovalItem | None = None) -> Execution:
    """Play the items out; ``refuse`` gets a refusal and a second, approved attempt.

    Items of a stage start together, except that one waiting for a prerequisite
    (PREREQUISITES) is submitted after the prerequisite was decided.
    """
    execution = Execution(planned_offsets(items))
    cursor = parallel_start = 0
    for stage in SEQUENTIAL_STAGES:
        stage_items = sorted((i for i in items if i.stage == stage), key=catalogue_order)
        if not stage_items:
            continue
        if stage == Stage.s3:
            parallel_start = cursor
        latest = cursor
        decided: dict[str, int] = {}
        for item in stage_items:
            prerequisite = decided.get(PREREQUISITES.get(item.name, ""))
            start = cursor if prerequisite is None else max(cursor, prerequisite + 1)
            attempts = _run_item(item, start, rng, refused=item is refuse)
            execution.attempts.extend(attempts)
            decided[item.name] = attempts[-1].decide
            latest = max(latest, attempts[-1].decide)
        cursor = latest + 1
    for item in sorted((i for i in items if i.stage == Stage.parallel), key=catalogue_order):
        execution.attempts.extend(_run_item(item, parallel_start, rng, refused=item is refuse))
    return execution


def _run_item(item: ApprovalItem, start: int, rng: random.Random, *,
              refused: bool) -> list[Attempt]:
    first = _attempt(item, 1, start + rng.randint(0, 2), rng, supplements=not refused)
    if not refused:
        return [first]
    first.outcome = ItemState.refused
    first.informed = first.decide + rng.randint(0, 1)
    second = _attempt(item, 2, first.informed + rng.randint(2, 4), rng, supplements=False)
    second.previous = first
    return [first, second]


def _attempt(item: ApprovalItem, number: int, submit: int, rng: random.Random, *,
             supplements: bool) -> Attempt:
    accept = submit + rng.choice((0, 1, 1, 2))   # 窗口受理 → 部门受理
    promised = max(item.promised_days, 1)
    base = promised - rng.randint(0, min(2, promised - 1))
    supplement = None
    if supplements and base >= 2 and rng.random() < SUPPLEMENT_RATE:
        requested = accept + rng.randint(1, base - 1)
        supplement = (requested, requested + rng.randint(2, 5))
    late = rng.randint(1, 3) if rng.random() < LATE_RATE else 0
    pause = supplement[1] - supplement[0] if supplement else 0
    return Attempt(item, number, submit, accept, accept + base + pause + late,
                   supplement=supplement)


def refuse_at_first_stage(execution: Execution) -> int:
    """Turn the last decision of the first stage into a refusal; return that offset.

    Used for commissions terminated during the work: the refusal is explained and the
    termination form issued the same day, before any later item was submitted.
    """
    end = execution.first_group_end()
    last = max((a for a in execution.attempts if a.decide == end), key=lambda a: a.item.sort_order)
    last.outcome = ItemState.refused
    last.informed = end
    return end


def visible(execution: Execution, cut: int) -> list[Attempt]:
    """The attempts that exist at ``cut`` (a re-application only once it was made)."""
    return [a for a in execution.attempts if a.exists_at(cut)]
