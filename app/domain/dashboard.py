"""The dashboard's figures (R-13.5): a handful of aggregate queries, whatever the data size.

Every figure is computed by the database (GROUP BY / SUM over CASE), never by walking rows
in Python: the number of statements is fixed (six), so the landing page costs the same with
ten commissions or a hundred thousand.

``scope`` narrows everything to the commissions a user may see (a SQL clause on
``Commission``, from ``app.access.commission_scope``; ``None`` means all), so a coordinator's
dashboard shows their own caseload.

Definitions (the dashboard's legend says the same); open commission, open item, overdue
item and decided on time are those of app/domain/definitions.py (R-13.7):
- open commissions: commissions in an open lifecycle state;
- the stage of an open commission: the stage of its earliest open item, "earliest" in the
  order of the approval stages (立项用地 → 工程规划 → 施工许可 → 竣工验收, then the parallel
  utility connections); a commission with no open item has no stage yet;
- overdue items: as the 督办 screen lists them and the deadline sweep marks them;
- this month's completions and terminations: by ``completed_on`` / ``terminated_on``;
- the on-time trend: per calendar month of the last twelve, the items decided (approved or
  refused) that month, and those decided on time (as the assessment counts them);
- the rating distribution: every revisit's 好差评 rating, all levels shown.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.choices import Rating, Stage
from app.domain import definitions as defs
from app.domain.planning import SEQUENTIAL_STAGES
from app.models.commission import Commission
from app.models.items import CommissionItem
from app.models.organisation import Department
from app.models.reference import ApprovalItem
from app.models.revisits import Revisit
from app.states import CommissionState

#: Approval stages in the order a project passes them; parallel work comes last.
STAGE_ORDER: tuple[Stage, ...] = (*SEQUENTIAL_STAGES, Stage.parallel)
#: Open commission states in lifecycle order (the enum's declaration order).
OPEN_STATES: tuple[CommissionState, ...] = defs.OPEN_COMMISSION_STATES
TREND_MONTHS = 12


@dataclass(frozen=True)
class TrendPoint:
    """One month of the on-time trend."""

    month: dt.date  # the first day of the month
    decided: int
    on_time: int

    @property
    def rate(self) -> float | None:
        """Share decided by the promised date, in percent (None: nothing decided)."""
        return round(100.0 * self.on_time / self.decided, 1) if self.decided else None


@dataclass(frozen=True)
class Dashboard:
    """The figures of the landing page."""

    today: dt.date
    by_state: list[tuple[CommissionState, int]]
    by_stage: list[tuple[Stage, int]]
    without_open_item: int
    overdue_by_department: list[tuple[int, str, int]]
    completed_this_month: int
    terminated_this_month: int
    trend: list[TrendPoint]
    ratings: list[tuple[Rating, int]]

    @property
    def open_total(self) -> int:
        return sum(count for _state, count in self.by_state)

    @property
    def overdue_total(self) -> int:
        return sum(count for _id, _name, count in self.overdue_by_department)


def month_start(day: dt.date, months_back: int = 0) -> dt.date:
    """The first day of the month ``months_back`` months before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def _scoped(query: Any, scope: Any) -> Any:
    return query if scope is None else query.where(scope)


def _int(value: Any) -> int:
    return int(value or 0)


def commissions_by_state(session: Session, scope: Any = None) -> list[tuple[CommissionState, int]]:
    """Open commissions per state, every open state listed (zero included)."""
    rows = session.execute(_scoped(
        sa.select(Commission.state, sa.func.count())
        .where(defs.open_commission())
        .group_by(Commission.state), scope)).all()
    counts = {state: _int(n) for state, n in rows}
    return [(state, counts.get(state, 0)) for state in OPEN_STATES]


def _earliest_stages(scope: Any = None) -> Any:
    """(commission_id, rank): the rank in STAGE_ORDER of each open commission's earliest
    open item."""
    rank = sa.case({stage: i for i, stage in enumerate(STAGE_ORDER)},
                   value=ApprovalItem.stage)
    return _scoped(
        sa.select(CommissionItem.commission_id, sa.func.min(rank).label("rank"))
        .join(ApprovalItem, CommissionItem.approval_item_id == ApprovalItem.id)
        .join(Commission, CommissionItem.commission_id == Commission.id)
        .where(defs.open_commission(), defs.open_item())
        .group_by(CommissionItem.commission_id), scope).subquery()


def at_stage(stage: Stage | None) -> Any:
    """Over Commission: open, and its earliest open item is of ``stage`` (None: it has no
    open item yet) — the commissions behind one bar of the stage chart."""
    if stage is None:
        has_open_item = sa.select(CommissionItem.id).where(
            CommissionItem.commission_id == Commission.id, defs.open_item()).exists()
        return sa.and_(defs.open_commission(), ~has_open_item)
    earliest = _earliest_stages()
    return Commission.id.in_(sa.select(earliest.c.commission_id)
                             .where(earliest.c.rank == STAGE_ORDER.index(stage)))


def commissions_by_stage(session: Session, scope: Any = None) -> list[tuple[Stage, int]]:
    """Open commissions per stage of their earliest open item (commissions without one:
    not counted here; ``Dashboard.without_open_item`` holds them)."""
    earliest = _earliest_stages(scope)
    rows = session.execute(
        sa.select(earliest.c.rank, sa.func.count()).group_by(earliest.c.rank)).all()
    counts = {_int(r): _int(n) for r, n in rows}
    return [(stage, counts.get(i, 0)) for i, stage in enumerate(STAGE_ORDER)]


def overdue_by_department(session: Session, today: dt.date,
                          scope: Any = None) -> list[tuple[int, str, int]]:
    """(department id, name, count) of overdue items, most overdue first."""
    count = sa.func.count(CommissionItem.id)
    rows = session.execute(_scoped(
        sa.select(Department.id, Department.name, count)
        .select_from(CommissionItem)
        .join(ApprovalItem, CommissionItem.approval_item_id == ApprovalItem.id)
        .join(Department, ApprovalItem.department_id == Department.id)
        .join(Commission, CommissionItem.commission_id == Commission.id)
        .where(defs.overdue_item(today))
        .group_by(Department.id, Department.name)
        .order_by(count.desc(), Department.name), scope)).all()
    return [(dept_id, name, _int(n)) for dept_id, name, n in rows]


def month_closures(session: Session, today: dt.date, scope: Any = None) -> tuple[int, int]:
    """(completions, terminations) dated in ``today``'s month, up to the month's end."""
    first, nxt = month_start(today), month_start(today, -1)
    completed = sa.and_(Commission.state == CommissionState.completed,
                        Commission.completed_on >= first, Commission.completed_on < nxt)
    terminated = sa.and_(Commission.state == CommissionState.terminated,
                         Commission.terminated_on >= first, Commission.terminated_on < nxt)
    row = session.execute(_scoped(
        sa.select(sa.func.sum(sa.case((completed, 1), else_=0)),
                  sa.func.sum(sa.case((terminated, 1), else_=0)))
        .where(sa.or_(completed, terminated)), scope)).one()
    return _int(row[0]), _int(row[1])


def on_time_trend(session: Session, today: dt.date, scope: Any = None,
                  months: int = TREND_MONTHS) -> list[TrendPoint]:
    """Decided items and those decided on time, per month of the last ``months`` months."""
    first = month_start(today, months - 1)
    end = month_start(today, -1)
    year = sa.extract("year", CommissionItem.decided_on)
    month = sa.extract("month", CommissionItem.decided_on)
    on_time = sa.case((defs.item_on_time(), 1), else_=0)
    query = (
        sa.select(year, month, sa.func.count(), sa.func.sum(on_time))
        .where(CommissionItem.state.in_(defs.DECIDED_ITEM_STATES),
               CommissionItem.decided_on >= first, CommissionItem.decided_on < end)
        .group_by(year, month))
    if scope is not None:  # unscoped, the items' index alone answers (no row is read)
        query = query.join(Commission, CommissionItem.commission_id == Commission.id)
    rows = session.execute(_scoped(query, scope)).all()
    counts = {(_int(y), _int(m)): (_int(n), _int(ok)) for y, m, n, ok in rows}
    points = []
    for back in range(months - 1, -1, -1):
        start = month_start(today, back)
        decided, ok = counts.get((start.year, start.month), (0, 0))
        points.append(TrendPoint(start, decided, ok))
    return points


def rating_distribution(session: Session, scope: Any = None) -> list[tuple[Rating, int]]:
    """Revisits per 好差评 level, best first, every level listed."""
    rows = session.execute(_scoped(
        sa.select(Revisit.rating, sa.func.count(Revisit.id))
        .join(Commission, Revisit.commission_id == Commission.id)
        .group_by(Revisit.rating), scope)).all()
    counts = {rating: _int(n) for rating, n in rows}
    return [(rating, counts.get(rating, 0)) for rating in Rating]


def build(session: Session, today: dt.date, scope: Any = None) -> Dashboard:
    """All figures of the dashboard for the commissions in ``scope`` (None: all)."""
    by_state = commissions_by_state(session, scope)
    by_stage = commissions_by_stage(session, scope)
    completed, terminated = month_closures(session, today, scope)
    open_total = sum(n for _s, n in by_state)
    return Dashboard(
        today=today,
        by_state=by_state,
        by_stage=by_stage,
        without_open_item=max(open_total - sum(n for _s, n in by_stage), 0),
        overdue_by_department=overdue_by_department(session, today, scope),
        completed_this_month=completed,
        terminated_this_month=terminated,
        trend=on_time_trend(session, today, scope),
        ratings=rating_distribution(session, scope),
    )
