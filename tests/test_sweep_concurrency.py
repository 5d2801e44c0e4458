"""R-13.1, R-10.4: two sweeps at once apply each automatic termination exactly once."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.domain.sweep import sweep
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.models import Commission, CommissionStateChange
from app.states import CommissionState
from tests import factories as f

D = dt.date.fromisoformat
CAL = WorkCalendar()


def _announced(n: int) -> None:
    catalogue = f.approval_item()
    coordinator = f.staff()
    for _ in range(n):
        f.case(CommissionState.announced, items=[catalogue], coordinator=coordinator,
               on=D("2025-10-20"), terminate_from=CommissionState.assigned,
               issued_on=D("2025-10-21"), confirm_days=1, published_on=D("2025-10-23"))
    db.session.commit()


def test_two_concurrent_sweeps_terminate_each_commission_once(app):
    """R-10.4: the automatic termination is applied once, whichever sweep gets there."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name != "postgresql":
            pytest.skip("concurrent sweeps are proved on PostgreSQL (row locks, SKIP LOCKED)")
        _announced(30)
    counts: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            # the sweep issues the final 终止单: its templates need the app
            with app.app_context(), Session(engine) as session:
                barrier.wait()
                counts.append(sweep(session, today=D("2025-11-20"), cal=CAL).terminated)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sum(counts) == 30
    with app.app_context():
        states = db.session.scalars(sa.select(Commission.state)).all()
        assert set(states) == {CommissionState.terminated}
        automatic = db.session.scalar(
            sa.select(sa.func.count()).select_from(CommissionStateChange)
            .where(CommissionStateChange.from_state == CommissionState.announced))
        assert automatic == 30
