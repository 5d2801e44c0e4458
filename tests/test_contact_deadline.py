"""R-5.4: the 1-working-day contact deadline runs from the confirmed application, assigned
or not; a late assignment is the window's delay on 督办 and in the assessment."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app import clock as app_clock
from app.choices import AssessmentSubject, ContactMethod, StaffRole
from app.domain import assessment, coordination
from app.domain import definitions as defs
from app.domain.overdue import late_contacts
from app.domain.sweep import sweep
from app.domain.workdays import WorkCalendar
from app.extensions import db
from app.models import Commission
from app.states import CommissionState
from tests import factories as f

D = dt.date.fromisoformat
CAL = WorkCalendar()


def _accepted(applied="2025-09-30") -> Commission:
    commission = f.case(CommissionState.accepted, on=D(applied))
    db.session.commit()
    return commission


def test_contact_deadline_runs_from_acceptance_R_5_4(ctx):
    """R-5.4: accepting sets the 1-working-day deadline (across National Day 2025); an
    accepted, unassigned case past it is a late contact for every reader."""
    commission = _accepted()
    assert commission.contact_due_on == D("2025-10-09")
    assert commission.deadline == D("2025-10-09")
    assert not defs.is_late_contact(commission, D("2025-10-09"))
    today = D("2025-10-10")
    assert defs.is_late_contact(commission, today) and defs.is_window_delay(commission)
    assert [c.id for c in late_contacts(db.session, today=today)] == [commission.id]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Commission)
                             .where(defs.late_contact_as_of(today))) == 1
    assert sweep(db.session, today=today, cal=CAL).contacts_marked == 1
    assert commission.contact_overdue_on == today


def test_sweep_starts_the_deadline_of_cases_accepted_before_R_5_4(ctx):
    """R-5.4, existing data: a case accepted before the deadline ran from acceptance gets it
    from the sweep and is then late like any other."""
    commission = _accepted()
    commission.contact_due_on = None
    db.session.commit()
    assert sweep(db.session, today=D("2025-10-10"), cal=CAL).contacts_marked == 1
    assert commission.contact_due_on == D("2025-10-09")


def _figures(start, end):
    figures = assessment.compute(db.session, D(start), D(end))
    return ({fig.subject_id: fig for fig in figures
             if fig.subject == AssessmentSubject.department},
            {fig.subject_id: fig for fig in figures
             if fig.subject == AssessmentSubject.coordinator})


def test_late_assignment_is_charged_to_the_window_not_the_coordinator_R_5_4(ctx):
    """R-5.4: assigned after the deadline, the late contact counts against the department
    running the window, not against the coordinator; assigned in time and contacted late,
    it is the coordinator's."""
    window = f.department("区政务服务数据管理局", runs_window=True)
    late_hand, own_fault = f.staff(name="王协办"), f.staff(name="李协办")
    late = _accepted()
    coordination.assign(db.session, late, late_hand, assigned_on=D("2025-10-11"), cal=CAL)
    mine = _accepted()
    coordination.assign(db.session, mine, own_fault, assigned_on=D("2025-10-09"), cal=CAL)
    db.session.commit()
    assert defs.is_window_delay(late) and not defs.is_window_delay(mine)
    sweep(db.session, today=D("2025-10-13"), cal=CAL)
    departments, coordinators = _figures("2025-10-01", "2025-10-31")
    assert departments[window.id].contacts_overdue == 1
    assert coordinators[late_hand.id].contacts_overdue == 0
    assert coordinators[own_fault.id].contacts_overdue == 1
    coordination.record_contact(db.session, late, method=ContactMethod.phone,
                                contacted_on=D("2025-10-13"))
    db.session.commit()
    departments, coordinators = _figures("2025-10-01", "2025-10-31")
    assert coordinators[late_hand.id].contacts_made == 0  # not the coordinator's contact
    assert departments[window.id].contacts_overdue == 1


def test_supervision_names_the_window_for_a_late_assignment_R_5_4(app, client):
    """R-5.4: 督办 lists the accepted, unassigned case as late, charged to the window."""
    with app.app_context():
        number = _accepted().application_no
        assigned = _accepted()
        coordination.assign(db.session, assigned, f.staff(StaffRole.coordinator, name="赵协办"),
                            assigned_on=D("2025-09-30"), cal=CAL)
        db.session.commit()
        other = assigned.application_no
    app_clock.freeze(dt.datetime(2025, 10, 10, 2, 0, tzinfo=dt.timezone.utc))
    html = client.get("/overdue/").get_data(as_text=True)
    table = html.split("late-contacts", 1)[1].split("</table>", 1)[0]
    row = next(r for r in table.split("<tr>") if number in r)
    assert "协办专窗" in row
    row = next(r for r in table.split("<tr>") if other in r)
    assert "赵协办" in row and "协办专窗" not in row
