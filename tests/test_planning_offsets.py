"""R-5.3: the planning rule, once: plan_offsets on numbers, schedule on dates."""
from __future__ import annotations

import datetime as dt

from app.choices import Stage
from app.domain.planning import catalogue_order, plan_offsets, schedule
from app.domain.workdays import WorkCalendar
from app.models import ApprovalItem
from app.states import ItemState
from tests import factories as f

D = dt.date.fromisoformat
CAL = WorkCalendar()


def _catalogue() -> list[ApprovalItem]:
    return [
        ApprovalItem(id=1, name="甲", stage=Stage.s1, promised_days=5, sort_order=1),
        ApprovalItem(id=2, name="乙", stage=Stage.s1, promised_days=3, sort_order=2),
        ApprovalItem(id=3, name="丙", stage=Stage.s2, promised_days=4, sort_order=1),
        ApprovalItem(id=4, name="丁", stage=Stage.s3, promised_days=2, sort_order=1),
        ApprovalItem(id=5, name="供水", stage=Stage.parallel, promised_days=6, sort_order=1),
    ]


def test_offsets_follow_the_stage_rule():
    """R-5.3: a stage's items side by side; the next stage the day after its last; utility
    connections alongside stage 3; decided items keep their offsets."""
    a, b, c, d, water = _catalogue()
    offsets = plan_offsets([water, d, c, b, a], stage=lambda i: i.stage,
                           days=lambda i: i.promised_days, key=catalogue_order)
    assert list(offsets) == [a, b, c, d, water]
    assert offsets == {a: (0, 5), b: (0, 3), c: (6, 10), d: (11, 13), water: (11, 17)}
    late = plan_offsets([a, b, c], stage=lambda i: i.stage, days=lambda i: i.promised_days,
                        key=catalogue_order, fixed={a: (0, 9)})
    assert late[c] == (10, 14)


def test_schedule_is_the_offsets_on_working_days():
    """R-5.3: schedule() places the offsets on working days across the National Day
    holiday; a decided item keeps its real dates and the next stage starts after it."""
    a, b, c, d, water = _catalogue()
    items = f.unsaved_items((a, b, c, d, water))
    start = D("2025-09-26")
    slots = {s.item.approval_item: (s.submit_on, s.done_on) for s in schedule(items, start, CAL)}
    assert slots[a] == (start, D("2025-10-10"))        # 28 Sep and 11 Oct are worked
    assert slots[c] == (D("2025-10-11"), CAL.add(D("2025-10-11"), 4))
    items[0].state, items[0].submitted_on, items[0].decided_on = (
        ItemState.approved, D("2025-09-26"), D("2025-10-16"))
    slots = {s.item.approval_item: (s.submit_on, s.done_on) for s in schedule(items, start, CAL)}
    assert slots[a] == (D("2025-09-26"), D("2025-10-16"))
    assert slots[c][0] == D("2025-10-17")
