"""R-13.7: one data set with every corner, and every reader of "overdue" gives the same answer.

The district is built through the lifecycle steps the buttons call, on fixed dates around
the 2025 National Day holiday (1–8 October off, Sunday 28 September and Saturday 11 October
worked); "today" is Monday 2025-10-20. Its corners:

* a running item whose deadline crossed the holiday (due 10-09: 8 working days late);
* an item in 补正 past its old date (clock stopped: not overdue) and one whose 补正 ended,
  its deadline moved by the 7 working days it stood still, and overdue again;
* a terminated commission with a late item (closed: not overdue any more), and one in
  the termination procedure whose late item was withdrawn (R-10.5: not overdue any more);
* a refused item re-applied (the new attempt has no clock yet), one refused before
  acceptance (no clock: decided on time), a completed commission with a late and an
  on-time approval, an item due today (not overdue) and one due last Thursday;
* a commission accepted but not assigned (its contact deadline runs from acceptance, R-5.4:
  late, the window's delay), one whose contact is late,
  one contacted late (no longer late), one whose termination started before any contact.

The readers: the 督办 screen (query and page), the dashboard (figures and page), the sweep's
marks (which the API serves as ``overdue_on`` / ``contact_overdue_on``), the assessment,
the item ledger and the Python predicates of app/domain/definitions.py.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
import sqlalchemy as sa

from app import clock as app_clock
from app.choices import (
    AssessmentSubject,
    DeliveryMethod,
    Stage,
    StaffRole,
    TerminationReason,
)
from app.domain import (
    approvals,
    assessment,
    closing,
    coordination,
    dashboard,
    definitions,
    overdue,
)
from app.domain.sweep import sweep
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.ledgers import reading
from app.ledgers.definitions import ITEMS
from app.models import Commission, CommissionItem, Delivery
from app.states import CommissionState
from tests import factories as f

D = dt.date.fromisoformat
CAL = WorkCalendar()
TODAY = D("2025-10-20")


class District:
    """Builds commissions through the domain steps; remembers the rows by name."""

    def __init__(self) -> None:
        self.jia, self.yi = f.department("甲局"), f.department("乙局")
        self.a = f.approval_item(Stage.s1, 5, dept=self.jia, name="用地预审与选址意见书")
        self.b = f.approval_item(Stage.s1, 3, dept=self.yi, name="企业投资项目备案")
        self.c = f.approval_item(Stage.s2, 5, dept=self.jia, name="建设工程规划许可证")
        self.coordinator = f.staff(StaffRole.coordinator, name="张协办")
        self.commissions: dict[str, Commission] = {}

    def commission(self, name: str, catalogue: list, *, applied: str, assigned: bool = True,
                   contacted: str | None = None) -> dict:
        """Open, accept, assign, contact and plan (as far as the dates given go)."""
        state = (CommissionState.in_progress if contacted else
                 CommissionState.assigned if assigned else CommissionState.accepted)
        row = f.case(state, items=catalogue, coordinator=self.coordinator, on=D(applied),
                     contacted_on=D(contacted) if contacted else None)
        self.commissions[name] = row
        return {item.approval_item: item for item in row.items}

    def accepted(self, item: CommissionItem, submitted: str, accepted: str) -> None:
        approvals.submit(db.session, item, on=D(submitted))
        approvals.accept(db.session, item, on=D(accepted), cal=CAL)


def terminate(commission: Commission, issued: str) -> None:
    closing.terminate(db.session, commission, reason=TerminationReason.unit_request,
                      reason_text=None, issued_on=D(issued), confirm_days=5, cal=CAL)


@pytest.fixture
def district(app):
    """The data set, committed; returns the District."""
    with app.app_context():
        d = District()
        # A terminated commission: its item was found late while it ran, then it ended.
        items = d.commission("terminated", [d.a], applied="2025-09-22", contacted="2025-09-23")
        d.accepted(items[d.a], "2025-09-24", "2025-09-25")              # due 10-09
        db.session.commit()
        sweep(db.session, today=D("2025-10-10"), cal=CAL)              # stamps it 10-10
        terminate(d.commissions["terminated"], "2025-10-13")
        closing.confirm_termination(db.session, d.commissions["terminated"],
                                    confirmed_on=D("2025-10-14"), cal=CAL)

        items = d.commission("holiday", [d.a, d.b], applied="2025-09-22", contacted="2025-09-23")
        d.accepted(items[d.a], "2025-09-24", "2025-09-25")              # due 10-09: late
        d.accepted(items[d.b], "2025-10-14", "2025-10-15")              # due today: not late

        items = d.commission("suspended", [d.a, d.b], applied="2025-09-22",
                             contacted="2025-09-23")
        d.accepted(items[d.a], "2025-09-24", "2025-09-25")              # due 10-09 …
        approvals.request_supplement(db.session, items[d.a], on=D("2025-10-09"))  # … stopped
        d.accepted(items[d.b], "2025-09-24", "2025-09-25")              # due 09-29 …
        approvals.request_supplement(db.session, items[d.b], on=D("2025-09-26"))
        approvals.receive_supplement(db.session, items[d.b], on=D("2025-10-13"), cal=CAL)
        assert items[d.b].due_on == D("2025-10-15")                     # … +7: late again

        items = d.commission("terminating", [d.a], applied="2025-09-22", contacted="2025-09-23")
        d.accepted(items[d.a], "2025-09-24", "2025-09-25")              # due 10-09: late
        terminate(d.commissions["terminating"], "2025-10-16")           # item withdrawn

        items = d.commission("refused", [d.a, d.b], applied="2025-09-22", contacted="2025-09-23")
        d.accepted(items[d.a], "2025-09-24", "2025-09-25")
        approvals.refuse(db.session, items[d.a], on=D("2025-10-10"), reason="不符合规划条件")
        approvals.record_unit_informed(items[d.a], on=D("2025-10-13"))
        approvals.reapply(db.session, items[d.a])                        # new attempt: no clock
        approvals.submit(db.session, items[d.b], on=D("2025-09-24"))
        approvals.refuse(db.session, items[d.b], on=D("2025-10-09"), reason="材料不全")  # no clock

        items = d.commission("completed", [d.b, d.c], applied="2025-09-22",
                             contacted="2025-09-23")
        d.accepted(items[d.b], "2025-09-24", "2025-09-25")              # due 09-29
        approvals.approve(db.session, items[d.b], on=D("2025-10-10"))  # late
        d.accepted(items[d.c], "2025-09-24", "2025-09-25")              # due 10-09
        approvals.approve(db.session, items[d.c], on=D("2025-10-09"))  # on its day: on time
        done = d.commissions["completed"]
        closing.start_delivery(db.session, done)
        db.session.add(Delivery(commission=done, method=DeliveryMethod.visit,
                                delivered_on=D("2025-10-13"), receipt_signed_on=D("2025-10-13"),
                                signer="陈经办"))
        closing.complete(db.session, done, completed_on=D("2025-10-14"))

        items = d.commission("yesterday", [d.c], applied="2025-10-09", contacted="2025-10-09")
        d.accepted(items[d.c], "2025-10-09", "2025-10-10")              # due Thu 10-16

        d.commission("unassigned", [d.a], applied="2025-10-09", assigned=False)
        d.commission("late contact", [d.b], applied="2025-10-09")       # due 10-10, none
        d.commission("contacted late", [d.b], applied="2025-09-26",      # due Sun 09-28
                     contacted="2025-10-09")
        d.commission("terminated uncontacted", [d.b], applied="2025-10-09")
        terminate(d.commissions["terminated uncontacted"], "2025-10-13")
        db.session.commit()
        yield d


def _items() -> list[CommissionItem]:
    return list(db.session.scalars(sa.select(CommissionItem).order_by(CommissionItem.id)))


def _named(district: District, *names: str) -> set[int]:
    return {district.commissions[n].id for n in names}


def test_every_reader_agrees_on_overdue_items(district, ctx):
    """R-13.7: the 督办 query, the dashboard, the sweep, the assessment and the Python
    predicate select the same overdue items, per department, with the same days late."""
    expected = {i.id for i in _items() if definitions.is_overdue(i, TODAY)}
    late = {i.commission_id for i in _items() if i.id in expected}
    assert late == _named(district, "holiday", "suspended", "yesterday")
    assert len(expected) == 3

    rows, total = overdue.late_items(db.session, today=TODAY, cal=CAL)
    assert total == len(expected) and {r.item.id for r in rows} == expected
    days = {r.item.commission_id: r.working_days_late for r in rows}
    assert days[district.commissions["holiday"].id] == 8       # across the holiday
    assert days[district.commissions["yesterday"].id] == 2
    assert all(r.working_days_late == definitions.working_days_late(r.item.due_on, TODAY, CAL)
               for r in rows)
    per_department = Counter(r.item.department.id for r in rows)

    board = dashboard.build(db.session, TODAY)
    assert {dept: n for dept, _name, n in board.overdue_by_department} == per_department
    assert board.overdue_total == len(expected)

    figures = assessment.compute(db.session, TODAY, TODAY)   # before the sweep: not marked
    by_department = {fig.subject_id: fig.items_overdue for fig in figures
                     if fig.subject == AssessmentSubject.department and fig.items_overdue}
    assert by_department == per_department

    result = sweep(db.session, today=TODAY, cal=CAL)
    assert result.items_marked == len(expected)
    marked_today = {i.id for i in _items() if i.overdue_on == TODAY}
    assert marked_today == expected
    # the one stamped while its commission ran keeps its stamp, and is not overdue now
    terminated_item = district.commissions["terminated"].items[0]
    assert terminated_item.overdue_on == D("2025-10-10")
    assert terminated_item.id not in expected

    figures = assessment.compute(db.session, TODAY, TODAY)   # after it: marked today
    assert {fig.subject_id: fig.items_overdue for fig in figures
            if fig.subject == AssessmentSubject.department and fig.items_overdue} \
        == per_department
    # the "as of a day" reading agrees with the "now" reading on the current day
    as_of = set(db.session.scalars(
        sa.select(CommissionItem.id).join(Commission)
        .where(definitions.overdue_item_as_of(TODAY))))
    assert as_of == expected


def test_every_reader_agrees_on_late_contacts(district, ctx):
    """R-13.7: the 督办 screen, the sweep, the assessment and the predicate agree on late
    contacts: the unassigned one too (R-5.4: the deadline runs from acceptance; the window's
    delay, not a coordinator's), not the one contacted late, not one being terminated."""
    commissions = list(db.session.scalars(sa.select(Commission)))
    expected = {c.id for c in commissions if definitions.is_late_contact(c, TODAY)}
    assert expected == _named(district, "late contact", "unassigned")
    assert {c.id for c in overdue.late_contacts(db.session, today=TODAY)} == expected
    assert {c.id for c in commissions if coordination.contact_overdue(c, TODAY)} == expected
    as_of = set(db.session.scalars(
        sa.select(Commission.id).where(definitions.late_contact_as_of(TODAY))))
    assert as_of == expected
    coordinators = [fig for fig in assessment.compute(db.session, TODAY, TODAY)
                    if fig.subject == AssessmentSubject.coordinator]
    assert sum(fig.contacts_overdue for fig in coordinators) == 1  # the unassigned: window
    marked = sweep(db.session, today=TODAY, cal=CAL).contacts_marked
    stamped = set(db.session.scalars(
        sa.select(Commission.id).where(Commission.contact_overdue_on == TODAY)))
    assert marked == len(expected) and stamped == expected


def test_every_reader_agrees_on_decisions_on_time(district, ctx):
    """R-13.7: October's decisions and those on time are the same for the dashboard's trend,
    the assessment and the item ledger; late and refused-before-acceptance items included."""
    sweep(db.session, today=TODAY, cal=CAL)
    october = [i for i in _items() if i.decided_on and i.decided_on >= D("2025-10-01")]
    on_time = [i for i in october if definitions.decided_on_time(i)]
    assert (len(october), len(on_time)) == (4, 2)   # refused late, refused without clock,
    # approved late, approved on its day
    point = dashboard.build(db.session, TODAY).trend[-1]
    assert point.month == D("2025-10-01") and (point.decided, point.on_time) == (4, 2)

    figures = [fig for fig in assessment.compute(db.session, D("2025-10-01"), TODAY)
               if fig.subject == AssessmentSubject.department]
    assert sum(fig.items_decided for fig in figures) == len(october)
    assert sum(fig.items_on_time for fig in figures) == len(on_time)

    column = next(col for col in ITEMS.columns
                  if getattr(col.get, "__wrapped__", None) is definitions.decided_on_time)
    assert sum(1 for i in october if column.get(i)) == len(on_time)
    # read as plain columns, as the export reads it (app/ledgers/reading.py)
    records = reading.rows(db.session, ITEMS, sa.select(CommissionItem).where(
        CommissionItem.id.in_([i.id for i in october])))
    assert sum(1 for record in records if column.get(record)) == len(on_time)
    assert all(column.get(i) is None for i in _items() if i.decided_on is None)


def test_screens_show_the_same_figures(district, app, client):
    """R-13.7: the 督办 page lists exactly the overdue items; the dashboard's tile counts them."""
    app_clock.freeze(dt.datetime(2025, 10, 20, 2, 0, tzinfo=dt.timezone.utc))
    with app.app_context():
        expected = {i.commission.application_no for i in _items()
                    if definitions.is_overdue(i, TODAY)}
        others = {c.application_no for c in db.session.scalars(sa.select(Commission))} - expected
    html = client.get("/overdue/").get_data(as_text=True)
    table = html.split("overdue-items", 1)[1].split("</table>", 1)[0]
    assert {n for n in expected if n in table} == expected
    assert not {n for n in others if n in table}
    page = client.get("/").get_data(as_text=True)
    tile = re.search(r'id="tile-overdue">\s*<div class="xb-tile-value">(\d+)<', page)
    assert tile and int(tile.group(1)) == len(expected)


def _usable(query, table: str, index: str) -> list[str]:
    """SQLite can answer ``query`` (as executed: the literals it renders inline, the rest
    bound) from ``index``: with INDEXED BY it refuses ("no query solution") otherwise.
    Returns the steps of its plan."""
    compiled = query.compile(db.engine, compile_kwargs={"render_postcompile": True})
    params = tuple(compiled.params[name] for name in compiled.positiontup)
    sql = str(compiled).replace(f"FROM {table}", f"FROM {table} INDEXED BY {index}", 1)
    connection = db.session.connection()
    connection.exec_driver_sql(sql, params).all()
    return [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)]


def test_overdue_readers_can_use_their_indexes(ctx):
    """Issue 16 (督办 at city scale): late contacts can be read from the partial index of
    commissions awaiting contact (its states named as literals: with bound values SQLite
    cannot use it) and items behind their plan from (state, planned_submit_on), instead of
    a scan (at 100,000 commissions SQLite's planner then takes them: 36 and 50 ms before)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's INDEXED BY; PostgreSQL's planner has the same indexes")
    _usable(sa.select(Commission.id).where(definitions.late_contact(TODAY))
            .order_by(Commission.contact_due_on), "commission", "ix_commission_awaiting_contact")
    _usable(sa.select(CommissionItem.id).where(
        CommissionItem.state.in_(definitions.OPEN_ITEM_STATES),
        CommissionItem.planned_submit_on < TODAY),
        "commission_item", "ix_commission_item_state_planned_submit_on")


def test_late_items_are_read_from_their_index_alone(ctx):
    """Issue 16 (督办 at city scale): what 督办 reads of a late item to find its page -- its
    id, due date, commission and approval item, app/domain/overdue.late_items -- is in the
    index of running items by due date, so the rows of the items are not read (at 100,000
    commissions, 3,389 late items: SQLite 24 → 14 ms)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's INDEXED BY; PostgreSQL's planner has the same indexes")
    plan = _usable(sa.select(CommissionItem.id, CommissionItem.due_on,
                             CommissionItem.commission_id, CommissionItem.approval_item_id)
                   .where(definitions.item_past_due(TODAY)),
                   "commission_item", "ix_commission_item_state_due_on_refs")
    assert any("COVERING INDEX ix_commission_item_state_due_on_refs" in step
               for step in plan), plan
