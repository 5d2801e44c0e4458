"""R-18.1: importing past commissions (the paper ledger) — numbers as written with the year's
counter moved past them, states entered through the correction step with an "imported"
history line, recorded cases never moved, dates corrected by the correction step."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app.choices import StaffRole
from app.domain import numbering
from app.extensions import db
from app.imports import commissions
from app.models import Commission, CommissionItem, CommissionStateChange, CoordinatorAssignment
from app.states import CommissionState, ItemState
from tests import factories as f
from tests.import_books import book, problems, run

D = dt.date


def setup_records():
    """A project, a coordinator, a specialist and two catalogue items."""
    project = f.project(project_code="2025-441702-70-03-000001")
    other = f.project(project_code="2025-441702-70-03-000002")
    dept = f.department(name="区住房和城乡建设局")
    f.staff(name="张协办", staff_no="XB-001")
    f.staff(StaffRole.specialist, dept=dept, name="王专办", staff_no="ZB-001")
    f.approval_item(name="施工许可", dept=dept, days=5, code="S3-001")
    f.approval_item(name="施工图审查", dept=dept, days=10, code="S3-002")
    db.session.commit()
    return project, other


def commission_row(**kw):
    row = {"application_no": "JCXB-2025-0042", "project_code": "2025-441702-70-03-000001",
           "state": "已办结", "coordinator": "XB-001", "applied_on": D(2025, 3, 3),
           "assigned_on": D(2025, 3, 3), "contact_method": "电话",
           "contacted_on": D(2025, 3, 4), "plan_confirmed_on": D(2025, 3, 10),
           "completed_on": D(2025, 6, 30)}
    row.update(kw)
    return row


def item_row(**kw):
    row = {"application_no": "JCXB-2025-0042", "item_code": "S3-001", "state": "准予许可",
           "specialist": "ZB-001", "submitted_on": D(2025, 3, 12),
           "accepted_on": D(2025, 3, 13), "decided_on": D(2025, 3, 20)}
    row.update(kw)
    return row


def test_past_commissions_enter_their_state_with_their_numbers(ctx):
    """R-18.1: commissions keep their numbers as written, enter their state with an
    "imported" history line, the year's counter moves past them; items too; a second
    import changes nothing."""
    setup_records()
    data = book(commissions.KIND, {
        "commissions": [commission_row(),
                        commission_row(application_no="JCXB-2025-0007", state="办理中",
                                       project_code="2025-441702-70-03-000002",
                                       completed_on=None)],
        "items": [item_row(), item_row(item_code="S3-002", state="部门已受理", decided_on=None,
                                       application_no="JCXB-2025-0007")]})
    report = run(commissions.KIND, data)
    assert report.ok, problems(report)
    assert report.counts["create"] == 4
    done = db.session.scalar(sa.select(Commission).where(Commission.application_no
                                                         == "JCXB-2025-0042"))
    assert done.state == CommissionState.completed and done.completed_on == D(2025, 6, 30)
    assert done.coordinator.name == "张协办"
    assert done.contact_due_on is not None and done.contact_due_on > D(2025, 3, 3)
    history = db.session.scalars(sa.select(CommissionStateChange)
                                 .where(CommissionStateChange.commission_id == done.id)).all()
    assert any("导入" in (h.note or "") for h in history)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CoordinatorAssignment)) == 2
    item = db.session.scalar(sa.select(CommissionItem).where(CommissionItem.commission_id
                                                              == done.id))
    assert item.state == ItemState.approved and item.due_on is not None
    assert item.specialist.name == "王专办"
    # the counter of 2025 moved past 42: the next number never collides
    assert numbering.next_application_no(db.session, 2025) == "JCXB-2025-0043"
    db.session.rollback()
    again = run(commissions.KIND, data)
    assert again.counts["unchanged"] == 4, [(r.row, r.detail, r.problems) for r in again.rows]


def test_recorded_commission_dates_are_corrected_by_the_step_and_states_never_moved(ctx):
    """R-18.1 with R-16.1: a recorded date given differently is corrected by the correction
    step (history says so); a different state is refused."""
    setup_records()
    run(commissions.KIND, book(commissions.KIND, {"commissions": [commission_row()]}))
    changed = run(commissions.KIND, book(commissions.KIND, {"commissions": [
        commission_row(completed_on=D(2025, 7, 1))]}))
    assert changed.counts["update"] == 1, problems(changed)
    done = db.session.scalar(sa.select(Commission))
    assert done.completed_on == D(2025, 7, 1)
    notes = [h.note for h in db.session.scalars(sa.select(CommissionStateChange))]
    assert any("更正" in (n or "") and "2025-06-30" in n for n in notes)
    moved = run(commissions.KIND, book(commissions.KIND, {"commissions": [
        commission_row(state="办理中", completed_on=None)]}))
    assert "已办结" in problems(moved)[0]


def test_bad_ledger_rows_are_refused_and_nothing_is_saved(ctx):
    """R-18.1: an unknown project, a missing required date, dates out of order, a state that
    cannot be imported, an unknown coordinator, a second open commission of a project, an
    item of an unknown commission or catalogue item, a specialist of another department:
    each refused in Chinese; nothing is saved and the counter does not move."""
    setup_records()
    f.staff(StaffRole.specialist, dept=f.department(name="他局"), name="外局专办", staff_no="ZB-9")
    db.session.commit()
    report = run(commissions.KIND, book(commissions.KIND, {
        "commissions": [
            commission_row(),
            commission_row(application_no="A-2", project_code="2025-441702-70-03-999999"),
            commission_row(application_no="A-3", completed_on=None),
            commission_row(application_no="A-4", contacted_on=D(2025, 3, 1)),
            commission_row(application_no="A-5", state="终止待确认"),
            commission_row(application_no="A-6", coordinator="无此人"),
            commission_row(application_no="A-7", state="办理中", completed_on=None,
                           project_code="2025-441702-70-03-000002"),
            commission_row(application_no="A-8", state="已分派", completed_on=None,
                           contacted_on=None, plan_confirmed_on=None,
                           project_code="2025-441702-70-03-000002"),
        ],
        "items": [item_row(), item_row(application_no="NONE"),
                  item_row(item_code="NOPE"), item_row(item_code="S3-002", specialist="ZB-9")],
    }))
    refused = {(r.sheet, r.row): " ".join(r.problems) for r in report.refused}
    # row 8 is a good open commission of the other project; row 9 a second one of it
    assert set(refused) == {("commissions", n) for n in (3, 4, 5, 6, 7, 9)} | {
        ("items", 3), ("items", 4), ("items", 5)}, refused
    assert "999999" in refused[("commissions", 3)]
    assert "办结" in refused[("commissions", 4)]
    assert "早于" in refused[("commissions", 5)] or "之前" in refused[("commissions", 5)]
    assert "无此人" in refused[("commissions", 7)]
    assert "委托" in refused[("commissions", 9)]
    assert "外局专办" in refused[("items", 5)]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Commission)) == 0
    assert numbering.next_application_no(db.session, 2025) == "JCXB-2025-0001"
    db.session.rollback()


def test_items_of_a_terminated_commission_are_imported_withdrawn(ctx):
    """R-18.1 with R-10.5: a terminated commission's undecided items enter as withdrawn on
    its termination day; an open state under it, or 已撤回 under a live one, is refused."""
    setup_records()
    terminated = commission_row(state="已终止", completed_on=None, terminated_on=D(2025, 5, 6),
                                plan_confirmed_on=None)
    report = run(commissions.KIND, book(commissions.KIND, {
        "commissions": [terminated],
        "items": [item_row(state="已撤回（委托终止）", submitted_on=None, accepted_on=None,
                           decided_on=None),
                  item_row(item_code="S3-002", state="已申报", accepted_on=None,
                           decided_on=None)]}))
    assert [r.row for r in report.refused] == [3] and "已撤回" in problems(report)[0]
    ok = run(commissions.KIND, book(commissions.KIND, {
        "commissions": [terminated],
        "items": [item_row(state="已撤回（委托终止）", submitted_on=None, accepted_on=None,
                           decided_on=None)]}))
    assert ok.ok, problems(ok)
    item = db.session.scalar(sa.select(CommissionItem))
    assert item.state == ItemState.withdrawn and item.withdrawn_on == D(2025, 5, 6)
