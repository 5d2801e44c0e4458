"""Row scope in every filter and related list (R-14.8): numbers outside it never show."""
from __future__ import annotations

import io

import openpyxl

from app import roles
from app.choices import MeetingKind, StaffRole
from app.extensions import db
from app.models import CoordinationMeeting, CoordinatorAssignment
from app.states import CommissionState
from tests.role_clients import role_client
from tests.test_views_commission_rows import (
    D,
    make_approval_item,
    make_commission,
    make_department,
    make_item,
    make_staff,
)

MINE, THEIRS = "JC2026-8801", "JC2026-8802"


def _world(app) -> dict[str, int]:
    """Two coordinators with one open commission each; a specialist on the first one's item;
    a meeting about both commissions, attended by the first coordinator."""
    with app.app_context():
        me, colleague = make_staff(), make_staff()
        department = make_department()
        specialist = make_staff(StaffRole.specialist, department)
        mine = make_commission(MINE, coordinator=me, state=CommissionState.in_progress)
        theirs = make_commission(THEIRS, coordinator=colleague,
                                 state=CommissionState.in_progress)
        make_item(mine, make_approval_item(department))
        for commission, staff in ((mine, me), (theirs, colleague)):
            db.session.add(CoordinatorAssignment(commission=commission, staff=staff,
                                                 assigned_on=D("2026-03-02")))
        meeting = CoordinationMeeting(
            kind=MeetingKind.coordination, title="两案协调会", held_on=D("2026-03-03"),
            place="三楼会议室", convener=colleague, issues="进度", attendees=[me],
            commissions=[mine, theirs])
        db.session.add(meeting)
        db.session.commit()
        return {"me": me.id, "colleague": colleague.id, "specialist": specialist.id,
                "meeting": meeting.id}


def test_assignment_search_filter_offers_only_own_commissions(app):
    """R-14.8: the coordinator-assignment list's search filter offered every commission (id
    and number) to a coordinator; it offers only their own."""
    ids = _world(app)
    coordinator = role_client(app, [roles.COORDINATOR], ids["me"])
    html = coordinator.get("/coordinatorassignmentview/list/").get_data(as_text=True)
    assert MINE in html
    assert THEIRS not in html


def test_a_colleagues_page_does_not_list_their_commissions(app, client):
    """R-14.8: on a colleague's staff page a coordinator or a specialist saw the colleague's
    open commissions with links; now only those in the reader's own scope."""
    ids = _world(app)
    for role, staff in ((roles.COORDINATOR, ids["me"]), (roles.SPECIALIST, ids["specialist"])):
        reader = role_client(app, [role], staff)
        html = reader.get(f"/staffmemberview/show/{ids['colleague']}").get_data(as_text=True)
        assert THEIRS not in html, role
    supervisor = client.get(f"/staffmemberview/show/{ids['colleague']}").get_data(as_text=True)
    assert THEIRS in supervisor


def test_a_meeting_counts_the_commissions_the_reader_does_not_handle(app, client):
    """R-14.8: a coordinator attending a meeting about two commissions sees their own by
    number, the other only as a count, on the meeting's page and in the meeting ledger."""
    ids = _world(app)
    coordinator = role_client(app, [roles.COORDINATOR], ids["me"])
    page = coordinator.get(f"/coordinationmeetingview/show/{ids['meeting']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert MINE in html and THEIRS not in html
    assert "另有 1 件不在本人办理范围内" in html
    export = coordinator.get("/ledger/meetings.xlsx")
    assert export.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(export.data), read_only=True)
    cells = " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True)
                     for v in row if v is not None)
    assert MINE in cells and THEIRS not in cells
    admin_html = client.get(f"/coordinationmeetingview/show/{ids['meeting']}").get_data(
        as_text=True)
    assert MINE in admin_html and THEIRS in admin_html
