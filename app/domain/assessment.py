"""考核评价 figures of a period, per department and per coordinator, from the records (R-13.3).

Every figure is one aggregate SQL query over the period [start, end], both days included.
"On time", "overdue" and "late contact" are those of app/domain/definitions.py (R-13.7).
What each figure counts:

* **commissions handled** (办理委托数)
  - department: distinct commissions with an item of the department that was at the
    department during the period (submitted on or before ``end`` and not decided before
    ``start``), the commission not closed (completed / terminated) before ``start``;
  - coordinator: distinct commissions in the coordinator's hands on at least one day of
    the period (an assignment of the 协办员分派记录 covering that day), the commission not
    closed before ``start``.
* **items decided / on time**: items (every attempt) decided in the period (准予 or 不予许可,
  ``decided_on`` in the period); on time when ``decided_on <= due_on`` and the item was
  never marked overdue (``overdue_on`` empty). An item decided before the department
  accepted it (no ``due_on``) ran no deadline and counts as on time.
* **contacts made / on time** (coordinators only): first contacts with the unit recorded in
  the period (``contacted_on`` in the period); on time when ``contacted_on <=
  contact_due_on`` and the contact was never marked overdue. A contact whose coordinator
  was assigned only after the contact deadline is not the coordinator's (R-5.4).
* **on-time rate** (按时办结率, %): (items on time + contacts on time) / (items decided +
  contacts made) × 100, two decimals; for a department this is the items' rate. The item
  and contact rates are also given separately. Empty (not 0) when nothing was decided.
* **overdue count** (超期件数): items, plus for coordinators contacts, that were marked
  overdue in the period (``overdue_on`` / ``contact_overdue_on`` in the period) or that
  were overdue at the end of the period (app/domain/definitions.py, "as of" ``end``: not
  decided / not contacted by ``end``, due before ``end``, the commission still open at
  ``end``; an item in 补正 at ``end`` is not running, a commission whose termination was
  issued no longer waits for a contact). A late contact that is the window's delay (no
  coordinator assigned by the deadline, definitions.window_delay, R-5.4) is charged to
  the department that runs the window, not to a coordinator.
* **refusals** (不予许可件数): items refused in the period.
* **average rating** (平均满意度): revisits made in the period, 非常满意 5 … 非常不满意 1
  (app/choices.py RATING_SCORES), averaged to two decimals; department: revisits of
  commissions with an item of the department. Empty when there was no revisit.
* **open escalations** (未解决的问题上报): raised on or before ``end`` and not resolved by
  ``end``; department: those naming an item of the department.

A coordinator is charged with an event (a decision, an overdue mark, a contact, a revisit)
when the 协办员分派记录 shows them in charge of the commission on the event's day; an
overdue item or contact still open, and an open escalation, on the period's last day.
Where the history has no entry for that day (records kept before it existed), the
commission's current coordinator is charged.

Listed: every active department and every coordinator on the roster during the period,
plus any other with a figure.
"""
from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from sqlalchemy.orm import Session, aliased

from app.choices import RATING_SCORES, AssessmentSubject, StaffRole
from app.domain import definitions as defs
from app.domain.errors import DomainError
from app.models.casework import Escalation
from app.models.commission import Commission, CoordinatorAssignment
from app.models.items import CommissionItem
from app.models.organisation import Department, StaffMember
from app.models.reference import ApprovalItem
from app.models.revisits import Revisit
from app.states import ItemState

CENT = decimal.Decimal("0.01")

#: The figures an Assessment row keeps (its column names), frozen when saved.
FROZEN = ("commissions_handled", "on_time_rate", "overdue_count", "refusals",
          "average_rating", "open_escalations")

#: The counters a subject collects; rates and averages are derived from them.
COUNTERS = (
    "commissions_handled", "items_decided", "items_on_time", "contacts_made",
    "contacts_on_time", "items_overdue", "contacts_overdue", "refusals", "ratings",
    "rating_total", "open_escalations",
)


def ratio(part: int, whole: int, scale: int = 100) -> decimal.Decimal | None:
    """``part / whole × scale`` to two decimals (half up), or None when ``whole`` is 0."""
    if not whole:
        return None
    value = decimal.Decimal(part * scale) / decimal.Decimal(whole)
    return value.quantize(CENT, rounding=decimal.ROUND_HALF_UP)


@dataclass
class Figures:
    """The computed figures of one department or coordinator for one period."""

    subject: AssessmentSubject
    subject_id: int
    name: str
    commissions_handled: int = 0
    items_decided: int = 0
    items_on_time: int = 0
    contacts_made: int = 0
    contacts_on_time: int = 0
    items_overdue: int = 0
    contacts_overdue: int = 0
    refusals: int = 0
    ratings: int = 0
    rating_total: int = 0
    open_escalations: int = 0

    @property
    def item_on_time_rate(self) -> decimal.Decimal | None:
        return ratio(self.items_on_time, self.items_decided)

    @property
    def contact_on_time_rate(self) -> decimal.Decimal | None:
        return ratio(self.contacts_on_time, self.contacts_made)

    @property
    def on_time_rate(self) -> decimal.Decimal | None:
        """Items and contacts together (the one rate an Assessment keeps)."""
        return ratio(self.items_on_time + self.contacts_on_time,
                     self.items_decided + self.contacts_made)

    @property
    def overdue_count(self) -> int:
        return self.items_overdue + self.contacts_overdue

    @property
    def average_rating(self) -> decimal.Decimal | None:
        return ratio(self.rating_total, self.ratings, scale=1)

    def frozen(self) -> dict[str, Any]:
        """The values an Assessment row keeps, under FROZEN's names."""
        return {name: getattr(self, name) for name in FROZEN}


def check_period(start: dt.date | None, end: dt.date | None) -> None:
    """Refuse a period without both dates or ending before it starts."""
    if start is None or end is None:
        raise DomainError(_("Give the first and the last day of the period."))
    if end < start:
        raise DomainError(_("The end of the period is before its start."))


def compute(session: Session, start: dt.date, end: dt.date) -> list[Figures]:
    """The figures of every department, then every coordinator, for [start, end]."""
    check_period(start, end)
    departments: dict[int, dict[str, int]] = {}
    coordinators: dict[int, dict[str, int]] = {}
    for family in (_decisions, _item_overdue, _escalations):
        sub = family(start, end).subquery()
        _add(departments, _grouped(session, sub, "dept"))
        _add(coordinators, _grouped(session, sub, "coord"))
    for family in (_contacts, _contact_overdue, _coordinator_ratings):
        _add(coordinators, _grouped(session, family(start, end).subquery(), "coord"))
    _add(departments, _grouped(session, _contact_overdue(start, end).subquery(), "dept"))
    _add(departments, _department_ratings(session, start, end))
    _add(departments, _department_handled(session, start, end))
    _add(coordinators, _coordinator_handled(session, start, end))
    return (_subjects(session, Department, departments, start, end)
            + _subjects(session, StaffMember, coordinators, start, end))


# ---- the figure families: one row per event, with its department and coordinator -------

def _day(value: dt.date) -> sa.ColumnElement:
    return sa.literal(value, type_=sa.Date())


#: One alias for every "who was in charge" subquery (an alias per call costs ~10 ms).
_CHARGE = aliased(CoordinatorAssignment, name="in_charge")


def _coordinator_on(day: Any) -> sa.ColumnElement:
    """The coordinator in charge of the outer query's Commission on ``day``."""
    ca = _CHARGE
    covering = (
        sa.select(ca.staff_id)
        .where(ca.commission_id == Commission.id, ca.assigned_on <= day,
               sa.or_(ca.ended_on.is_(None), ca.ended_on > day))
        .order_by(ca.assigned_on.desc(), ca.id.desc()).limit(1)
        .correlate_except(ca).scalar_subquery()
    )
    return sa.func.coalesce(covering, Commission.coordinator_id)


def _flag(condition: sa.ColumnElement) -> sa.ColumnElement:
    return sa.case((condition, 1), else_=0)


def _items() -> sa.Select:
    return (sa.select()
            .select_from(CommissionItem)
            .join(ApprovalItem, CommissionItem.approval_item_id == ApprovalItem.id)
            .join(Commission, CommissionItem.commission_id == Commission.id))


def _decisions(start: dt.date, end: dt.date) -> sa.Select:
    on_time = defs.item_on_time()
    return _items().add_columns(
        ApprovalItem.department_id.label("dept"),
        _coordinator_on(CommissionItem.decided_on).label("coord"),
        sa.literal(1).label("items_decided"),
        _flag(on_time).label("items_on_time"),
        _flag(CommissionItem.state == ItemState.refused).label("refusals"),
    ).where(CommissionItem.decided_on.between(start, end))


def _item_overdue(start: dt.date, end: dt.date) -> sa.Select:
    marked = CommissionItem.overdue_on.between(start, end)
    still_late = defs.overdue_item_as_of(end)
    day = sa.case((marked, CommissionItem.overdue_on), else_=_day(end))
    return _items().add_columns(
        ApprovalItem.department_id.label("dept"),
        _coordinator_on(day).label("coord"),
        sa.literal(1).label("items_overdue"),
    ).where(sa.or_(marked, still_late))


def _contacts(start: dt.date, end: dt.date) -> sa.Select:
    on_time = defs.contact_on_time()
    return sa.select(
        _coordinator_on(Commission.contacted_on).label("coord"),
        sa.literal(1).label("contacts_made"),
        _flag(on_time).label("contacts_on_time"),
    ).where(Commission.contacted_on.between(start, end), ~defs.window_delay())


def _window_department() -> sa.ColumnElement:
    """The department that runs the window (charged with its own delays, R-5.4)."""
    return (sa.select(Department.id).where(Department.runs_window.is_(True))
            .order_by(Department.id).limit(1).scalar_subquery())


def _contact_overdue(start: dt.date, end: dt.date) -> sa.Select:
    marked = Commission.contact_overdue_on.between(start, end)
    still_late = defs.late_contact_as_of(end)
    day = sa.case((marked, Commission.contact_overdue_on), else_=_day(end))
    window = defs.window_delay()
    return sa.select(
        sa.case((window, sa.null()), else_=_coordinator_on(day)).label("coord"),
        sa.case((window, _window_department()), else_=sa.null()).label("dept"),
        sa.literal(1).label("contacts_overdue"),
    ).where(sa.or_(marked, still_late))


def _rating_score() -> sa.ColumnElement:
    return sa.case(*((Revisit.rating == rating, score) for rating, score in RATING_SCORES.items()),
                   else_=0)


def _coordinator_ratings(start: dt.date, end: dt.date) -> sa.Select:
    return (sa.select(
        _coordinator_on(Revisit.visited_on).label("coord"),
        sa.literal(1).label("ratings"),
        _rating_score().label("rating_total"),
    ).select_from(Revisit).join(Commission, Revisit.commission_id == Commission.id)
        .where(Revisit.visited_on.between(start, end)))


def _escalations(start: dt.date, end: dt.date) -> sa.Select:
    return (sa.select(
        ApprovalItem.department_id.label("dept"),
        _coordinator_on(_day(end)).label("coord"),
        sa.literal(1).label("open_escalations"),
    ).select_from(Escalation)
        .join(Commission, Escalation.commission_id == Commission.id)
        .outerjoin(CommissionItem, Escalation.commission_item_id == CommissionItem.id)
        .outerjoin(ApprovalItem, CommissionItem.approval_item_id == ApprovalItem.id)
        .where(Escalation.raised_on <= end,
               sa.or_(Escalation.resolved_on.is_(None), Escalation.resolved_on > end)))


# ---- grouping ---------------------------------------------------------------------------

def _grouped(session: Session, sub: sa.Subquery, key: str) -> dict[int, dict[str, int]]:
    """Sum every counter column of ``sub`` per value of its ``key`` column."""
    measures = [c.name for c in sub.c if c.name in COUNTERS]
    rows = session.execute(
        sa.select(sub.c[key], *(sa.func.sum(sub.c[m]).label(m) for m in measures))
        .where(sub.c[key].is_not(None)).group_by(sub.c[key])
    )
    return {row[0]: {m: int(row[i + 1] or 0) for i, m in enumerate(measures)} for row in rows}


def _add(target: dict[int, dict[str, int]], source: dict[int, dict[str, int]]) -> None:
    for key, values in source.items():
        bucket = target.setdefault(key, {})
        for name, value in values.items():
            bucket[name] = bucket.get(name, 0) + value


def _department_ratings(session: Session, start: dt.date, end: dt.date) -> dict:
    pairs = (sa.select(CommissionItem.commission_id, ApprovalItem.department_id)
             .join(ApprovalItem, CommissionItem.approval_item_id == ApprovalItem.id)
             .distinct().subquery())
    rows = session.execute(
        sa.select(pairs.c.department_id, sa.func.count(), sa.func.sum(_rating_score()))
        .select_from(Revisit).join(pairs, pairs.c.commission_id == Revisit.commission_id)
        .where(Revisit.visited_on.between(start, end)).group_by(pairs.c.department_id)
    )
    return {dept: {"ratings": int(n), "rating_total": int(total or 0)} for dept, n, total in rows}


def _department_handled(session: Session, start: dt.date, end: dt.date) -> dict:
    query = (_items().add_columns(ApprovalItem.department_id,
                                  sa.func.count(sa.distinct(CommissionItem.commission_id)))
             .where(CommissionItem.submitted_on <= end,
                    sa.or_(CommissionItem.decided_on.is_(None),
                           CommissionItem.decided_on >= start),
                    defs.open_commission_as_of(start - dt.timedelta(days=1)))
             .group_by(ApprovalItem.department_id))
    return {dept: {"commissions_handled": int(n)} for dept, n in session.execute(query)}


def _coordinator_handled(session: Session, start: dt.date, end: dt.date) -> dict:
    ca = CoordinatorAssignment
    # An assignment ending on day D hands D to the next coordinator (see _coordinator_on).
    covers = sa.and_(ca.assigned_on <= end,
                     sa.or_(ca.ended_on.is_(None),
                            sa.and_(ca.ended_on > start, ca.ended_on > ca.assigned_on)))
    open_in_period = defs.open_commission_as_of(start - dt.timedelta(days=1))
    counts: dict = {}
    rows = session.execute(
        sa.select(ca.staff_id, sa.func.count(sa.distinct(ca.commission_id)))
        .join(Commission, ca.commission_id == Commission.id)
        .where(covers, open_in_period).group_by(ca.staff_id)
    )
    _add(counts, {staff: {"commissions_handled": int(n)} for staff, n in rows})
    # Commissions without any assignment history: their coordinator since assigned_on.
    no_history = ~sa.select(ca.id).where(ca.commission_id == Commission.id).exists()
    rows = session.execute(
        sa.select(Commission.coordinator_id, sa.func.count())
        .where(Commission.coordinator_id.is_not(None), Commission.assigned_on <= end,
               no_history, open_in_period).group_by(Commission.coordinator_id)
    )
    _add(counts, {staff: {"commissions_handled": int(n)} for staff, n in rows})
    return counts


def _subjects(session: Session, model: type, counts: dict[int, dict[str, int]],
              start: dt.date, end: dt.date) -> list[Figures]:
    """Figures for the subjects to list, in the roster's order."""
    if model is Department:
        subject = AssessmentSubject.department
        listed = sa.or_(Department.active.is_(True), Department.id.in_(list(counts) or [0]))
        order = (Department.sort_order, Department.name, Department.id)
    else:
        subject = AssessmentSubject.coordinator
        on_roster = sa.and_(StaffMember.role == StaffRole.coordinator,
                            StaffMember.admitted_on <= end,
                            sa.or_(StaffMember.exited_on.is_(None),
                                   StaffMember.exited_on >= start))
        listed = sa.or_(on_roster, StaffMember.id.in_(list(counts) or [0]))
        order = (StaffMember.name, StaffMember.id)
    rows = session.execute(sa.select(model.id, model.name).where(listed).order_by(*order))
    return [Figures(subject, pk, name, **counts.get(pk, {})) for pk, name in rows]
