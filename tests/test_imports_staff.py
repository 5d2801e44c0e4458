"""R-18.1 with R-2.3 / R-2.5: importing the staff roster — joins, leavers and transfers become
roster changes with their approval, never silent edits; a second import changes nothing."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app.choices import RosterChangeKind, StaffRole, StaffStatus
from app.clock import office_today
from app.extensions import db
from app.imports import staff
from app.models import RosterChange, StaffMember
from tests import factories as f
from tests.import_books import book, problems, run
from tests.test_roster import assigned_commission

ID_CARD = "11010519491231002X"


def person_row(**kw):
    row = {"staff_no": "XB-001", "name": "张协办", "role": "协办员", "phone": "13800138001",
           "status": "在岗", "admitted_on": dt.date(2025, 1, 2)}
    row.update(kw)
    return row


def changes(person: StaffMember) -> list[tuple[RosterChangeKind, bool]]:
    rows = db.session.scalars(sa.select(RosterChange).where(RosterChange.staff_id == person.id)
                              .order_by(RosterChange.id)).all()
    return [(c.kind, c.applied_on is not None) for c in rows]


def test_new_people_join_through_approved_roster_changes_and_reimport_is_unchanged(ctx):
    """R-18.1, R-2.3: each new person is filed as a join, approved by the importer and in
    effect from the date joined; a specialist's department may come on the same file; the
    ID card is kept as a hash only; a second import changes nothing."""
    data = book(staff.KIND, {
        "departments": [{"name": "区住房和城乡建设局", "contact_name": "李专人",
                         "contact_phone": "0662-3312345"}],
        "staff": [person_row(),
                  person_row(staff_no=None, id_card=ID_CARD, name="王专办", role="专办员",
                             department="区住房和城乡建设局")]})
    report = run(staff.KIND, data)
    assert report.ok, problems(report)
    assert report.counts["create"] == 3
    coordinator = db.session.scalar(sa.select(StaffMember).where(StaffMember.staff_no == "XB-001"))
    specialist = db.session.scalar(sa.select(StaffMember).where(StaffMember.name == "王专办"))
    assert coordinator.status == StaffStatus.active and coordinator.role == StaffRole.coordinator
    assert specialist.department.name == "区住房和城乡建设局"
    assert specialist.id_card_hash == staff.id_card_hash(ID_CARD)
    assert ID_CARD not in str([getattr(specialist, c.key) for c in StaffMember.__table__.c])
    assert changes(coordinator) == [(RosterChangeKind.join, True)]
    change = db.session.scalar(sa.select(RosterChange).where(RosterChange.staff_id == coordinator.id))
    assert change.approved_by == "导入测试" and change.effective_on == dt.date(2025, 1, 2)
    again = run(staff.KIND, data)
    assert again.counts["unchanged"] == 3, [(r.row, r.detail) for r in again.rows]
    assert changes(coordinator) == [(RosterChangeKind.join, True)]


def test_leaver_and_transfer_are_roster_changes(ctx):
    """R-18.1, R-2.3: a person on duty marked 调离 is filed as a leave, a move of department
    as a transfer, each approved and in effect; a future date waits for its day."""
    old, new = f.department(name="旧局"), f.department(name="新局")
    leaver = f.staff(name="离开者", staff_no="XB-1")
    mover = f.staff(StaffRole.specialist, dept=old, name="调动者", staff_no="XB-2")
    later = f.staff(name="将离开", staff_no="XB-3")
    db.session.commit()
    today = office_today()
    report = run(staff.KIND, book(staff.KIND, {"staff": [
        person_row(staff_no="XB-1", name="离开者", status="调离", exited_on=today),
        person_row(staff_no="XB-2", name="调动者", role="专办员", department="新局"),
        person_row(staff_no="XB-3", name="将离开", status="调离",
                   exited_on=today + dt.timedelta(days=30)),
    ]}))
    too_soon = run(staff.KIND, book(staff.KIND, {"staff": [
        person_row(staff_no="XB-4", name="明天来", admitted_on=today + dt.timedelta(days=1),
                   filed_on=today + dt.timedelta(days=1))]}))
    assert "提前" in problems(too_soon)[0]  # filed ahead of the day
    assert report.ok, problems(report)
    assert report.counts["update"] == 3
    db.session.expire_all()
    assert leaver.status == StaffStatus.transferred and leaver.exited_on == today
    assert changes(leaver) == [(RosterChangeKind.leave, True)]
    assert mover.department == new and changes(mover) == [(RosterChangeKind.transfer, True)]
    assert later.status == StaffStatus.active
    assert changes(later) == [(RosterChangeKind.leave, False)]
    assert "生效" in report.rows[2].detail


def test_leaver_with_open_commissions_is_refused_and_nothing_changes(ctx):
    """R-18.1, R-2.3: a coordinator with open commissions cannot leave by import either:
    the row is refused naming the commission, and no row of the file is saved."""
    holder = f.staff(name="在办者", staff_no="XB-9")
    commission = assigned_commission(holder)
    db.session.commit()
    people = db.session.scalar(sa.select(sa.func.count()).select_from(StaffMember))
    report = run(staff.KIND, book(staff.KIND, {"staff": [
        person_row(staff_no="XB-8", name="新人"),
        person_row(staff_no="XB-9", name="在办者", status="调离", exited_on=office_today())]}))
    assert not report.ok
    assert commission.application_no in " ".join(problems(report))
    role = run(staff.KIND, book(staff.KIND, {"staff": [
        person_row(staff_no="XB-9", name="在办者", role="专办员", department=None)]}))
    assert not role.ok  # nor become a specialist while holding them
    role = run(staff.KIND, book(staff.KIND, {"staff": [
        person_row(staff_no="XB-9", name="在办者", role="专办员",
                   department=f.department(name="某局").name)]}))
    assert commission.application_no in " ".join(problems(role))
    db.session.expire_all()
    assert holder.status == StaffStatus.active
    # the new colleague of the refused file is not saved either (the case's builder made the
    # others)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffMember)) == people
    assert db.session.scalar(sa.select(StaffMember.id).filter_by(name="新人")) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RosterChange)) == 0


def test_staff_bad_rows(ctx):
    """R-18.1: no key, a bad ID card, a bad phone, a specialist without department, an unknown
    department, a staff number twice: each refused in Chinese."""
    report = run(staff.KIND, book(staff.KIND, {"staff": [
        person_row(staff_no=None),
        person_row(staff_no="A2", id_card="110105194912310021"),
        person_row(staff_no="A3", phone="123"),
        person_row(staff_no="A4", role="专办员"),
        person_row(staff_no="A5", department="不存在局"),
        person_row(staff_no="A5"),
    ]}))
    assert [r.row for r in report.refused] == [2, 3, 4, 5, 6, 7]
    texts = [" ".join(r.problems) for r in report.refused]
    assert "人员编号" in texts[0] and "身份证" in texts[1] and "电话" in texts[2]
    assert "审批部门" in texts[3] and "不存在局" in texts[4] and "第 6 行" in texts[5]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffMember)) == 0
