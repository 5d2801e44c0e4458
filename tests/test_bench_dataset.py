"""scripts/bench/dataset.py: the city-scale benchmark data set, at a small scale, on the suite's
database kind (SQLite in the first run of scripts/run-tests.sh, PostgreSQL in the second). It
loads on top of the demo district, the ORM reads every new row back consistently with
app/states.py, and the app can still insert afterwards (ids, sequences and counters intact)."""
from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from bench.dataset import seed_city
from sqlalchemy.orm import selectinload

from app.choices import StaffRole, UnitNature
from app.domain.numbering import next_application_no
from app.domain.sweep import mark_overdue
from app.extensions import db
from app.models import (Commission, CommissionItem, CommissionStateChange, Project, Unit,
                        WorkLogEntry)
from app.seed import DEMO_ANCHOR, seed_demo
from app.states import COMMISSION_OPEN, ITEM_CLOSED, CommissionState, ItemState

CS, IS = CommissionState, ItemState
MODELS = {"unit": Unit, "project": Project, "commission": Commission,
          "commission_item": CommissionItem, "commission_state_change": CommissionStateChange,
          "work_log_entry": WorkLogEntry}


def _counts() -> dict[str, int]:
    return {name: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for name, model in MODELS.items()}


def _check_items(commission: Commission) -> None:
    assert len(commission.items) == 4
    assert len({item.approval_item_id for item in commission.items}) == 4
    for item in commission.items:
        assert isinstance(item.state, ItemState) and item.attempt == 1
        if commission.state == CS.completed:
            assert item.state == IS.approved
        if not commission.is_open:
            assert item.state in ITEM_CLOSED or item.state == IS.pending
        assert (item.state == IS.refused) == (item.refusal_reason is not None)
        assert (item.state in ITEM_CLOSED) == (item.decided_on is not None)
        assert (item.state == IS.pending) == (item.submitted_on is None)
        if item.state not in (IS.pending, IS.submitted):
            assert item.due_on is not None and item.accepted_on >= item.submitted_on
        if item.decided_on:
            assert item.decided_on >= item.submitted_on
        if item.overdue_on:
            assert item.overdue_on > item.due_on
        if item.specialist:
            assert item.specialist.role == StaffRole.specialist
            assert item.specialist.department_id == item.approval_item.department_id


def _check_commission(commission: Commission) -> None:
    state = commission.state
    assert isinstance(state, CommissionState)
    assert state not in (CS.terminating, CS.announced, CS.ineligible)
    assert (commission.completed_on is not None) == (state == CS.completed)
    assert (commission.terminated_on is not None) == (state == CS.terminated)
    assert (commission.applied_on is None) == (state == CS.pre_review)
    assert (commission.application_no is None) == (state == CS.pre_review)
    if commission.applied_on:
        assert commission.applied_on <= DEMO_ANCHOR
        assert commission.application_no.startswith(f"JCXB-{commission.applied_on.year}-")
    if commission.completed_on:
        assert commission.applied_on <= commission.completed_on <= DEMO_ANCHOR
    if commission.coordinator:
        assert commission.coordinator.role == StaffRole.coordinator
        assert commission.assigned_on >= commission.applied_on
        assert commission.contact_due_on > commission.applied_on
    if commission.contacted_on:
        assert commission.contacted_on >= commission.assigned_on
    commission.deadline  # noqa: B018  (reads .termination only for `terminating`)
    history = [(c.from_state, c.to_state) for c in commission.state_changes]
    assert history[0] == (None, CS.pre_review)
    assert len(history) == (1 if state == CS.pre_review else 2)
    assert history[-1][1] == state
    _check_items(commission)


def test_seed_city_adds_a_consistent_data_set_the_app_can_extend(ctx):
    """The benchmark's data set: row counts as asked, every commission and item consistent
    with its state, the sweep has nothing to add, and the app's ids and numbers go on."""
    seed_demo(db.session)
    db.session.commit()
    before = _counts()
    last_id = db.session.scalar(sa.select(sa.func.max(Commission.id)))

    counts = seed_city(db.engine, commissions=200, items_per_commission=4,
                       logs_per_commission=5, units=50, progress=lambda *a: None)

    after = _counts()
    assert {name: after[name] - before[name] for name in MODELS} == counts
    new = db.session.scalars(
        sa.select(Commission).where(Commission.id > last_id).order_by(Commission.id)
        .options(selectinload(Commission.items), selectinload(Commission.state_changes))
    ).all()
    states = Counter(c.state for c in new)
    assert counts == {"unit": 50, "project": 200, "commission": 200, "commission_item": 800,
                      "commission_state_change": 400 - states[CS.pre_review],
                      "work_log_entry": 1000}
    assert 90 <= states[CS.completed] <= 150 and states[CS.terminated] >= 2
    assert len({s for s in states if s in COMMISSION_OPEN}) >= 4
    for commission in new:
        _check_commission(commission)

    # Work log: by a coordinator, within the commission's life, items of the same commission.
    item_owner = {item.id: c.id for c in new for item in c.items}
    by_id = {c.id: c for c in new}
    logs = db.session.scalars(sa.select(WorkLogEntry).where(WorkLogEntry.commission_id > last_id))
    for entry in logs:
        commission = by_id[entry.commission_id]
        assert entry.author.role == StaffRole.coordinator
        assert commission.state_changes[0].changed_at.date() <= entry.logged_on <= DEMO_ANCHOR
        assert entry.commission_item_id is None or \
            item_owner[entry.commission_item_id] == commission.id
    if db.engine.dialect.name == "postgresql":
        assert all(c.state_changes[-1].changed_at.tzinfo is not None for c in new)

    # The deadline sweep has nothing left to mark: overdue stamps are where it would put them.
    assert mark_overdue(db.session, DEMO_ANCHOR) == (0, 0)
    db.session.rollback()

    # The app still inserts: the next id and the next application number are free.
    unit = Unit(name="阳江市江城区基准测试后新增有限公司", address="阳江市江城区东风路1号",
                nature=UnitNature.enterprise, leader_name="陈伟", leader_phone="13800000000",
                handler_name="林敏", handler_phone="13900000000")
    db.session.add(unit)
    db.session.commit()
    assert unit.id == db.session.scalar(sa.select(sa.func.max(Unit.id)))
    number = next_application_no(db.session, DEMO_ANCHOR.year)
    assert db.session.scalar(sa.select(Commission.id).where(Commission.application_no == number)) \
        is None
    db.session.rollback()
