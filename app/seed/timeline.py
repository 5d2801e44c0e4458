"""How one delegated item list plays out in time: what actually happened (pure).

Offsets are working days counted from the day the unit confirmed the plan (the work start).
The plan itself is drafted by the product's step (app.domain.planning); the *execution*
walks the stages in the plan's order, an item after its catalogue prerequisites are
decided (R-5.5), with what real cases show: a day or two of preparation before submitting,
early and late decisions, supplements (补正, the clock stops), and refusals re-applied as
new attempts. Nothing here touches the database: the replay (app/seed/replay.py) turns the
attempts into the items' steps.
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
    in_prerequisite_order,
)
from app.models import ApprovalItem
from app.states import ItemState

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
    """The attempts of one commission's items."""

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


def simulate(items: Sequence[ApprovalItem], rng: random.Random, *,
             refuse: ApprovalItem | None = None) -> Execution:
    """Play the items out; ``refuse`` gets a refusal and a second, approved attempt.

    Stages run in order, as planned; an item is submitted once its stage has begun and its
    prerequisites among the items (catalogue data) are decided.
    """
    execution = Execution()
    decided: dict[ApprovalItem, int] = {}

    def run(item: ApprovalItem, earliest: int) -> int:
        ready = [decided[p] + 1 for p in catalogue_prerequisites(item) if p in decided]
        attempts = _run_item(item, max([earliest] + ready), rng, refused=item is refuse)
        execution.attempts.extend(attempts)
        decided[item] = attempts[-1].decide
        return decided[item]

    def in_order(stage: Stage) -> list[ApprovalItem]:
        chosen = sorted((i for i in items if i.stage == stage), key=catalogue_order)
        return in_prerequisite_order(chosen, catalogue_prerequisites)

    cursor = parallel_start = 0
    for stage in SEQUENTIAL_STAGES:
        stage_items = in_order(stage)
        if not stage_items:
            continue
        if stage == Stage.s3:
            parallel_start = cursor
        cursor = max([cursor] + [run(item, cursor) for item in stage_items]) + 1
    for item in in_order(Stage.parallel):
        run(item, parallel_start)
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
